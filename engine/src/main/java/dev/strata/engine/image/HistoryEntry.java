package dev.strata.engine.image;

import dev.strata.digest.Digest;
import dev.strata.reference.Reference;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code history}, newest first.
 *
 * @param imageId the local image this row belongs to; empty is shown as {@code <missing>}
 * @param size the size of the layer this row made (0 for a row with {@code empty_layer})
 */
public record HistoryEntry(
        Optional<Digest> imageId,
        Optional<Instant> created,
        String createdBy,
        long size,
        String comment,
        List<Reference> tags) {
}
