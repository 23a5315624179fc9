package dev.strata.bench;

import java.nio.file.Path;
import java.util.Map;

/** One of the engines compared side by side. Operations switch over the closed set to give each its command. */
sealed interface Tool permits StrataTool, DockerTool, PodmanTool {
    /** Short name used in tables and file names: strata, strata-vfs, docker, podman. */
    String name();

    /** Remembers the area and moves to a first fresh store in it (starting dockerd for docker). */
    void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException;

    /**
     * Moves to a brand-new, initialised, empty store ({@code <area>/<tool>/s<N>}; dockerd is restarted on it) and
     * sets its state to {@code "empty"}. On disk the previous store is left alone until the area is released:
     * deleting thousands of files between timed runs slows the next run's file creation (see README, "Noise on the
     * bench machine"); on a tmpfs it is deleted at once, since memory is short and tmpfs has no such penalty.
     */
    void freshStore() throws BenchException;

    /** The label of what the current store holds ({@link Operation.StoreState}); "dirty" when unknown. */
    String state();

    void state(String label);

    /** The directory holding everything of the current store (for {@code du}). */
    Path storeDir();

    /** Stops what {@link #start} started, by PID; safe to call twice. */
    void stop();

    /** Environment added to every command of this tool. */
    Map<String, String> env();

    /** CPU time so far of a long-running helper that does the tool's work (dockerd), in microseconds; 0 if none. */
    default long daemonCpuMicros() {
        return 0;
    }

    /** Versions, for the report. */
    String version();

    /** How the tool was set up for this run (flags, data root), for the report. */
    String describe();

    /** Deletes a previous store right away when it is on a tmpfs (see {@link #freshStore}). */
    static void dropIfTmpfs(StorageArea area, Path previous) throws BenchException {
        if (previous != null && area.kind() == StorageKind.TMPFS) {
            Mounts.unmountUnder(previous);
            Mounts.deleteTree(previous);
        }
    }
}
