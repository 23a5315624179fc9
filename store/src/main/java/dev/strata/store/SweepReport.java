package dev.strata.store;

import java.util.List;
import java.util.function.Consumer;

/** What a sweep removed: things on disk that no row reached. */
public record SweepReport(List<String> blobs, List<String> layerDirs, List<String> containerDirs, int ingests, boolean skipped) {
    public static final SweepReport SKIPPED = new SweepReport(List.of(), List.of(), List.of(), 0, true);

    public boolean isEmpty() {
        return blobs.isEmpty() && layerDirs.isEmpty() && containerDirs.isEmpty() && ingests == 0;
    }

    /** One line to {@code log} when anything was removed. */
    public void report(Consumer<String> log) {
        if (!skipped && !isEmpty()) {
            log.accept("strata: removed leftovers of interrupted actions: " + layerDirs.size() + " layer director"
                    + (layerDirs.size() == 1 ? "y" : "ies") + ", " + (containerDirs.isEmpty() ? "" : containerDirs.size()
                    + " container director" + (containerDirs.size() == 1 ? "y, " : "ies, ")) + blobs.size() + " blob" + (blobs.size() == 1 ? "" : "s")
                    + ", " + ingests + " partial download" + (ingests == 1 ? "" : "s"));
        }
    }
}
