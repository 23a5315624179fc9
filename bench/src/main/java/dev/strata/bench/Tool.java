package dev.strata.bench;

import java.nio.file.Path;
import java.util.Map;

/** One of the engines compared side by side. Operations switch over the closed set to give each its command. */
sealed interface Tool permits StrataTool, DockerTool, PodmanTool {
    /** Short name used in tables and file names: strata, docker, podman. */
    String name();

    /** Remembers the area and moves to a first fresh store in it (starting dockerd for docker). */
    void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException;

    /**
     * Moves to a brand-new, initialised, empty store ({@code <area>/<tool>/s<N>}; dockerd is restarted on it).
     * The previous store is left alone until the area is released: deleting thousands of files between
     * timed runs slows the next run's file creation (see README, "Noise on the bench machine").
     */
    void freshStore() throws BenchException;

    /** Whether the current store has been written to since {@link #freshStore}. */
    boolean storeUsed();

    /** Records that an operation wrote to the current store. */
    void markStoreUsed();

    /** A fresh store unless the current one is still untouched. */
    default void ensureEmptyStore() throws BenchException {
        if (storeUsed()) {
            freshStore();
        }
    }

    /** Stops what {@link #start} started, by PID; safe to call twice. */
    void stop();

    /** Environment added to every command of this tool. */
    Map<String, String> env();

    /** Removes an image so the next run starts from an empty store. */
    void removeImage(String ref) throws BenchException;

    /** CPU time so far of a long-running helper that does the tool's work (dockerd), in microseconds; 0 if none. */
    default long daemonCpuMicros() {
        return 0;
    }

    /** Versions, for the report. */
    String version();

    /** How the tool was set up for this run (flags, data root), for the report. */
    String describe();
}
