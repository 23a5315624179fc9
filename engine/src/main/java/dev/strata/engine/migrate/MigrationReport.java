package dev.strata.engine.migrate;

import java.util.List;
import java.util.Locale;

/**
 * What a migration (or a {@code --precompute} run) did.
 *
 * @param layers legacy layers looked at and brought over (or, precomputing, checksummed or found checksummed)
 * @param hashed of those, layers whose tar was hashed in this run (the others had a checksum recorded earlier)
 * @param reused of those, layers the Strata store already had (an earlier run, or an identical stack)
 * @param bytes bytes of layer tar read in this run
 * @param seconds wall-clock time of the whole run
 * @param images images added (every legacy image, intermediate ones too, as Docker 1.10 did)
 * @param tags tags and digest references added
 * @param containers containers added
 * @param volumes volumes added (the local volumes the added containers mount that the store did not have)
 * @param failures what was skipped, by ID, and why
 */
public record MigrationReport(int layers, int hashed, int reused, long bytes, double seconds, int images, int tags, int containers,
        int volumes, List<Failure> failures) {

    /** Something skipped: {@code kind} is layer, image, container or tag; {@code id} the legacy ID or the tag. */
    public record Failure(String kind, String id, String reason) {
        @Override
        public String toString() {
            return kind + " " + id + ": " + reason;
        }
    }

    public boolean complete() {
        return failures.isEmpty();
    }

    public double megabytesPerSecond() {
        return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
    }

    /** One line for people. */
    public String summary() {
        return String.format(Locale.ROOT, "%d layers (%d hashed, %d already in the store), %.1f MB read in %.2f s (%.0f MB/s); "
                + "%d images, %d tags, %d containers, %d volumes; %d skipped", layers, hashed, reused, bytes / 1e6, seconds,
                megabytesPerSecond(), images, tags, containers, volumes, failures.size());
    }
}
