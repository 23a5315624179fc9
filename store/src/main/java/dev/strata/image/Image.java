package dev.strata.image;

import dev.strata.digest.Digest;
import java.time.Instant;
import java.util.Optional;

/**
 * An image row: the config's digest is its ID.
 *
 * @param topLayer ChainID of its top layer (empty for an image without layers)
 * @param parent the local image it was built or committed from, for {@code history} and the build cache
 * @param created when the config says the image was created
 * @param size sum of the sizes of its layers, stored when it was added
 */
public record Image(Digest id, Optional<Digest> topLayer, Optional<Digest> parent, Instant created, long size, Instant added) {
}
