package dev.strata.engine.image;

import java.util.List;

/** What {@code image prune} removed and how many bytes of layer data that freed. */
public record PruneReport(List<RemovedItem> removed, long reclaimedBytes) {
}
