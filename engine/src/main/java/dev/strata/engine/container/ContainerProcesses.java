package dev.strata.engine.container;

import dev.strata.container.Container;
import dev.strata.container.ContainerStatus;
import dev.strata.container.RunState;
import dev.strata.engine.runtime.AttachSession;
import dev.strata.engine.runtime.InRoot;
import dev.strata.engine.runtime.KubeLog;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.engine.runtime.OciSpec;
import dev.strata.engine.runtime.RuntimeMount;
import dev.strata.engine.runtime.Users;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.error.Undo;
import dev.strata.layer.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Process control: start, stop, kill, restart, wait, pause and unpause, through the OCI runtime (runc under conmon).
 * Each acts under the container's lock after {@link ContainerRecovery} brought its state up to date.
 *
 * <p>Safe to call from many threads at once: two actions on one container take turns on its lock (a file lock, so
 * across processes too); actions on different containers run side by side.
 */
public final class ContainerProcesses {
    /** How long conmon may take to report the container's PID (runc create, on a loaded machine). */
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final ContainerRecords records;
    private final ContainerRecovery recovery;
    private final OciRuntime runtime;

    ContainerProcesses(ContainerRecords records, ContainerRecovery recovery) {
        this.records = records;
        this.recovery = recovery;
        this.runtime = records.runtime();
    }

    /** Starts a created or exited container and returns once it runs; a running one is left alone. */
    public void start(String nameOrId) throws IOException, StrataException {
        launch(nameOrId, Optional.empty());
    }

    public void restart(String nameOrId, Optional<Duration> timeout) throws IOException, StrataException {
        stop(nameOrId, timeout);
        start(nameOrId);
    }

    /**
     * A started container, and how its output is followed when it is attached: through the attach socket
     * (connected before it started) when it has a terminal or gets stdin, else by reading its log from where it
     * stood before the start, which needs no native calls.
     */
    record Started(Container container, RunState state, Optional<AttachSession> session, Optional<KubeLog> log,
            boolean wasRunning) {
    }

    /**
     * Starts the container (a running one is left alone) and returns once it runs; with {@code attach}, its output is
     * connected before it starts, for {@link ContainerIo} to stream.
     */
    Started launch(String nameOrId, Optional<AttachStreams> attach) throws IOException, StrataException {
        return recovery.locked(nameOrId, c -> {
            Optional<RunState> state = recovery.reconcile(c);
            if (state.isEmpty()) {
                throw new NotFoundException("No such container: " + nameOrId);
            }
            if (state.get().alive()) {
                return new Started(c, state.get(), Optional.empty(), Optional.empty(), true);
            }
            return startLocked(c, state.get(), attach);
        });
    }

    private Started startLocked(Container c, RunState previous, Optional<AttachStreams> attach) throws IOException, StrataException {
        ContainerDefinition def = records.definition(c);
        ContainerSpec spec = def.config();
        Path conmon = runtime.conmon();
        runtime.checkRuntime(); // fails now, with a clear message, when the OCI runtime is missing
        Optional<Path> init = def.host().init() ? Optional.of(runtime.init()) : Optional.empty();
        List<RuntimeMount> mounts = new ContainerMounts(records.volumes()).forRuntime(def);
        Path b = records.bundle(c.id());
        Files.createDirectories(b);
        Files.write(b.resolve(ContainerRecords.STARTING), new byte[0]); // before the mount: a kill from here on is seen as an interrupted start
        try (Mount mounted = records.layer(c).mount()) {
            return startMounted(c, previous, attach, def, mounted, init, mounts);
        } finally {
            Files.deleteIfExists(b.resolve(ContainerRecords.STARTING));
        }
    }

    /** The rest of a start, with the root file system mounted: it stays mounted ({@link Mount#keep()}) once the container runs. */
    private Started startMounted(Container c, RunState previous, Optional<AttachStreams> attach, ContainerDefinition def, Mount mounted,
            Optional<Path> init, List<RuntimeMount> mounts) throws IOException, StrataException {
        ContainerSpec spec = def.config();
        Path b = records.bundle(c.id());
        Path rootfs = mounted.path();
        Optional<AttachSession> session = Optional.empty();
        Optional<KubeLog> log = Optional.empty();
        try {
            Users.ExecUser user = Users.resolve(rootfs, spec.user());
            String cwd = spec.workingDir() == null || spec.workingDir().isEmpty() ? "/" : spec.workingDir();
            Path cwdOnHost = InRoot.resolve(rootfs, cwd);
            if (!Files.isDirectory(cwdOnHost)) {
                Files.createDirectories(cwdOnHost); // Docker creates a missing working directory
            }
            for (RuntimeMount m : mounts) {
                if (m.type().equals("bind") && !Files.exists(m.source())) {
                    Files.createDirectories(m.source()); // -v /missing:/ctr creates the host directory, as Docker does
                }
            }
            List<String> args = new ArrayList<>(spec.commandLine());
            if (init.isPresent()) {
                args.addAll(0, List.of(OciSpec.INIT_PATH, "--"));
            }
            boolean hostNetwork = !HostSpec.NETWORK_NONE.equals(def.host().networkMode());
            runtime.writeEtcFiles(b, spec.hostname(), hostNetwork);
            OciSpec.ProcessSpec process = new OciSpec.ProcessSpec(args, ContainerRecords.environment(spec, user, spec.tty(), List.of()), cwd, user, spec.tty());
            Files.writeString(b.resolve("config.json"), OciSpec.config(new OciSpec.Bundle(c.id(), spec.hostname(), process, rootfs,
                    def.host().readonlyRootfs(), hostNetwork, mounts, init, b.resolve(OciRuntime.HOSTS), b.resolve(OciRuntime.HOSTNAME),
                    b.resolve(OciRuntime.RESOLV_CONF))));
            boolean attachStdin = attach.isPresent() && attach.get().stdin().isPresent() && spec.openStdin();
            if (attach.isPresent()) {
                records.markCleaner(c.id()); // this process stays to see the exit: it cleans up after it
            }
            // Docker's StdinOnce: the container's stdin ends with the attached client's input, unless it has a terminal.
            boolean leaveStdinOpen = !(attachStdin && spec.stdinOnce());
            RunState started = runtime.create(new OciRuntime.Create(c.id(), c.name(), b,
                    new OciRuntime.Stdio(spec.tty(), spec.openStdin(), leaveStdinOpen), records.cleanupCommand(c.id()), CREATE_TIMEOUT,
                    previous));
            if (attach.isPresent() && (spec.tty() || attachStdin)) {
                session = Optional.of(AttachSession.connect(b));
                if (spec.tty()) {
                    attach.get().terminalSize().get().ifPresent(size -> runtime.resize(b, size.rows(), size.columns()));
                }
            } else if (attach.isPresent()) {
                log = Optional.of(KubeLog.live(b.resolve(OciRuntime.LOG)));
            }
            runtime.start(c.id());
            records.putState(c.id(), started);
            mounted.keep(); // the container's root file system until its clean-up unmounts it
            return new Started(c, started, session, log, false);
        } catch (OciRuntimeException e) {
            // Recorded like Docker does: still not running, with the error and 126/127 (128 for other failures).
            records.putState(c.id(), new RunState(previous.status(), 0, 0, 0, 0, previous.bootId(),
                    e.exitStatus() == 125 ? 128 : e.exitStatus(), previous.started(), previous.finished(), false, e.getMessage()));
            abandonStart(e, c.id(), session, log);
            throw e;
        } catch (IOException | StrataException | RuntimeException e) {
            abandonStart(e, c.id(), session, log);
            throw e;
        }
    }

    /** Undoes a start that failed before the container ran (the mount goes when its handle closes). */
    private void abandonStart(Exception failure, String id, Optional<AttachSession> session, Optional<KubeLog> log) {
        Undo.after(failure, () -> records.unmarkCleaner(id), () -> session.ifPresent(AttachSession::close), () -> {
            if (log.isPresent()) {
                log.get().close();
            }
        }, () -> runtime.tearDown(id, records.bundle(id)));
    }

    public void stop(String nameOrId, Optional<Duration> timeout) throws IOException, StrataException {
        recovery.locked(nameOrId, c -> {
            Optional<RunState> s = recovery.reconcile(c);
            if (s.isEmpty() || !s.get().alive()) {
                return null; // stopping a stopped container is not an error, as in Docker
            }
            end(c, s.get(), stopSignal(records.spec(c)), timeout.orElse(DEFAULT_STOP_TIMEOUT));
            return null;
        });
    }

    public void kill(String nameOrId, String signalName) throws IOException, StrataException {
        int signal = Signals.parse(signalName);
        recovery.locked(nameOrId, c -> {
            Optional<RunState> s = recovery.reconcile(c);
            if (s.isEmpty() || !s.get().alive()) {
                throw new ConflictException("Cannot kill container: " + nameOrId + ": Container " + c.id() + " is not running");
            }
            if (signal == Signals.SIGKILL) {
                end(c, s.get(), Signals.SIGKILL, Duration.ZERO);
            } else {
                signal(c, s.get(), signal);
            }
            return null;
        });
    }

    /**
     * Sends {@code signal}, waits {@code grace} for the container to exit, then SIGKILL; then records the exit and
     * cleans up (this process does it: conmon's exit command is told to stand aside). Empty if it was auto-removed.
     */
    Optional<RunState> end(Container c, RunState running, int signal, Duration grace) throws IOException, StrataException {
        records.markCleaner(c.id());
        try {
            signal(c, running, signal);
            if (signal != Signals.SIGKILL && recovery.awaitExit(c.id(), running, Optional.of(grace)).alive()) {
                signal(c, running, Signals.SIGKILL);
            }
            if (recovery.awaitExit(c.id(), running, Optional.of(KILL_WAIT)).alive()) {
                throw new OciRuntimeException("container " + c.shortId() + " did not stop within " + KILL_WAIT.toSeconds()
                        + "s of SIGKILL", 125);
            }
            return recovery.reconcile(c);
        } finally {
            records.unmarkCleaner(c.id());
        }
    }

    /** Sends a signal to the container's init; a paused container is thawed for SIGKILL (and a stop) to land. */
    private void signal(Container c, RunState s, int signal) throws IOException, StrataException {
        runtime.kill(c.id(), signal);
        if (s.status() == ContainerStatus.PAUSED && (signal == Signals.SIGKILL || signal == stopSignal(records.spec(c)))) {
            try {
                runtime.resume(c.id());
            } catch (OciRuntimeException e) {
                if (!e.getMessage().contains("not paused")) { // thawed already by the stop signal's resume
                    throw e;
                }
            }
        }
    }

    private static int stopSignal(ContainerSpec spec) {
        if (spec.stopSignal() == null || spec.stopSignal().isEmpty()) {
            return Signals.SIGTERM;
        }
        try {
            return Signals.parse(spec.stopSignal());
        } catch (InvalidArgumentException e) {
            return Signals.SIGTERM;
        }
    }

    /** Waits for the container to stop (returns at once if it is not running); its exit code. */
    public int waitFor(String nameOrId) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        RunState stored = records.storedState(c.id());
        if (!stored.alive()) {
            return recovery.refresh(c.id()).orElse(stored).exitCode();
        }
        RunState seen = recovery.awaitExit(c.id(), stored, Optional.empty());
        Optional<RunState> after = recovery.refresh(c.id());
        return after.filter(s -> !s.alive()).orElse(seen).exitCode();
    }

    public void pause(String nameOrId) throws IOException, StrataException {
        pause(nameOrId, true);
    }

    public void unpause(String nameOrId) throws IOException, StrataException {
        pause(nameOrId, false);
    }

    private void pause(String nameOrId, boolean pause) throws IOException, StrataException {
        recovery.locked(nameOrId, c -> {
            Optional<RunState> s = recovery.reconcile(c);
            if (s.isEmpty() || !s.get().alive()) {
                throw new ConflictException("Container " + c.id() + " is not running");
            }
            boolean paused = s.get().status() == ContainerStatus.PAUSED;
            if (pause && paused) {
                throw new ConflictException("Container " + c.id() + " is already paused");
            }
            if (!pause && !paused) {
                throw new ConflictException("Container " + c.id() + " is not paused");
            }
            if (pause) {
                runtime.pause(c.id());
            } else {
                runtime.resume(c.id());
            }
            records.putState(c.id(), s.get().withStatus(pause ? ContainerStatus.PAUSED : ContainerStatus.RUNNING));
            return null;
        });
    }
}
