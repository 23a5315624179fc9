package dev.strata.container;

import dev.strata.digest.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * A container row: an image plus two layers of its own, {@code <id>-init} (the files Docker puts in every
 * container) and {@code <id>} (the writable layer on top).
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

    /** Storage-driver ID of the writable layer. */
    public String layerId() {
        return id;
    }

    /** Storage-driver ID of the init layer under it. */
    public String initLayerId() {
        return id + "-init";
    }
}
