package dev.strata.container;

import dev.strata.digest.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * A container row: an image plus a writable layer of its own (the layer store's {@code writable(id)}).
 *
 * @param imageName what the user named the image by, as {@code ps} shows it
 * @param parentLayer the image's top layer, which stays while the container exists
 * @param config the engine's container configuration, as JSON
 */
public record Container(String id, String name, Digest imageId, String imageName, Optional<Digest> parentLayer,
        Instant created, String config) {

    public String shortId() {
        return id.substring(0, 12);
    }
}
