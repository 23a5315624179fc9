package dev.strata.engine.image;

import dev.strata.digest.Digest;
import dev.strata.reference.Reference;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One image as {@code images} lists it. */
public record ImageSummary(
        Digest id,
        List<Reference> tags,
        List<Reference> repoDigests,
        Optional<Digest> parent,
        Instant created,
        long size,
        boolean dangling) {
}
