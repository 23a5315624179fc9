package dev.strata.container;

import java.time.Instant;
import java.util.Optional;

/**
 * A container's runtime state as stored: its status, the container's init process and its monitor (conmon)
 * with their start times, the boot they ran in, and how the last run ended.
 *
 * @param pidStart start time of {@code pid} in clock ticks after boot (field 22 of {@code /proc/<pid>/stat}):
 *     with the boot ID it tells our process from a later one that got the same PID
 */
public record RunState(ContainerStatus status, long pid, long pidStart, long monitorPid, long monitorStart, String bootId,
        int exitCode, Optional<Instant> started, Optional<Instant> finished, boolean oomKilled, String error) {

    /** A container that was never started. */
    public static final RunState CREATED = new RunState(ContainerStatus.CREATED, 0, 0, 0, 0, "", 0, Optional.empty(),
            Optional.empty(), false, "");

    public boolean alive() {
        return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED;
    }

    public RunState withStatus(ContainerStatus s) {
        return new RunState(s, pid, pidStart, monitorPid, monitorStart, bootId, exitCode, started, finished, oomKilled, error);
    }

    /** The run ended: no processes any more, and how it ended. */
    public RunState exited(int code, Instant at, boolean oom, String why) {
        return new RunState(ContainerStatus.EXITED, 0, 0, 0, 0, bootId, code, started, Optional.of(at), oom, why);
    }
}
