package dev.strata.engine.container;

import dev.strata.container.ContainerStatus;
import dev.strata.container.RunState;
import java.time.Instant;
import java.util.Optional;

/**
 * A container's state as {@code inspect} and {@code ps} report it (Docker's {@code State}).
 *
 * @param pid the host PID of the container's init process while it runs, else 0
 * @param exitCode how the last run ended: the process's exit code, 128 + a signal's number when a signal killed
 *     it (137 for SIGKILL, also when the process and its monitor vanished without a trace), 255 when the machine
 *     restarted under it, or 126/127 when it could not be started
 * @param error why the last start failed, empty otherwise
 */
public record ContainerState(ContainerStatus status, long pid, int exitCode, Optional<Instant> startedAt, Optional<Instant> finishedAt,
        boolean oomKilled, String error) {

    /** Running or paused: it has processes. */
    public boolean running() {
        return status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED;
    }

    public boolean paused() {
        return status == ContainerStatus.PAUSED;
    }

    static ContainerState of(RunState s) {
        return new ContainerState(s.status(), s.alive() ? s.pid() : 0, s.exitCode(), s.started(), s.finished(), s.oomKilled(), s.error());
    }
}
