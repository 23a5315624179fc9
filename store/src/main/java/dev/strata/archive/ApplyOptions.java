package dev.strata.archive;

import dev.strata.sys.Linux;

/**
 * How a layer is applied.
 *
 * @param privileged create device nodes and set numeric owners (needs root); otherwise both are skipped and
 *                   counted in {@link ApplyResult#skipped()}
 */
public record ApplyOptions(boolean privileged) {
    /** Privileged exactly when this process runs as root. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(Linux.isRoot());
    }
}
