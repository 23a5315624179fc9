package dev.strata.engine.image;

import dev.strata.digest.Digest;
import dev.strata.reference.Reference;
import java.util.List;

/** An image that {@code load} brought in, with the tags it was given. */
public record LoadedImage(Digest id, List<Reference> tags) {
}
