package dev.strata.bench;

import java.nio.file.Path;
import java.util.Map;

/** One of the engines compared side by side. Operations switch over the closed set to give each its command. */
sealed interface Tool permits StrataTool, DockerTool, PodmanTool {
    /** Short name used in tables and file names: strata, docker, podman. */
    String name();

    /** Creates the tool's data root inside {@code area} and starts whatever must be running (dockerd). */
    void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException;

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
