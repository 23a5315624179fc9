package dev.strata.engine.container;

import dev.strata.container.Container;
import dev.strata.container.ContainerStatus;
import dev.strata.container.ContainersTable;
import dev.strata.container.RunState;
import dev.strata.driver.StorageDriver;
import dev.strata.engine.runtime.AttachSession;
import dev.strata.engine.runtime.InRoot;
import dev.strata.engine.runtime.KubeLog;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.engine.runtime.OciSpec;
import dev.strata.engine.runtime.ProcInfo;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.engine.runtime.Users;
import dev.strata.engine.runtime.RuntimeMount;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Running containers: start (optionally attached), stop, kill, pause, wait, logs, exec, top, and the
 * reconciliation that keeps each container's stored state true to what its processes are doing.
 *
 * <p>State lives in the database ({@link RunState}); the truth lives in processes and files: conmon's PID and
 * the container's (with their start times, so a reused PID is not ours), and the exit file conmon writes into the
 * bundle when the container ends. {@link #reconcile} compares the two under the container's lock and fixes the
 * row: a container whose exit file appeared, or whose processes vanished, becomes exited (with the file's code;
 * 137 if nothing recorded one in this boot, 255 after a reboot), its runtime state is deleted and its root file
 * system unmounted, and a {@code --rm} container is removed. Every command that looks at a container runs it,
 * and conmon's exit command runs it as soon as a container exits, so no Strata process needs to stay behind.
 *
 * <p>A start writes {@code starting} into the bundle before it mounts the root file system and deletes it when it
 * has recorded the outcome; conmon leaves {@code conmon.pid} there from the moment it exists until the container's
 * clean-up. Either found next to a row that says "not running" is an interrupted start (the starter held the lock
 * and died): the container is adopted if the runtime reports it running, torn down and unmounted otherwise.
 */
final class Lifecycle {
    /** How long conmon may take to report the container's PID (runc create, on a loaded machine). */
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    /** Present in the bundle while a start is under way: from before the mount until the outcome is recorded. */
    private static final String STARTING = "starting";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Store store;
    private final ContainersTable rows;
    private final StorageDriver driver;
    private final Volumes volumes;
    private final OciRuntime runtime;
    private final Containers containers;

    Lifecycle(Store store, Volumes volumes, RuntimeOptions options, Containers containers) {
        this.store = store;
        this.rows = store.containers();
        this.driver = store.driver();
        this.volumes = volumes;
        this.runtime = new OciRuntime(options);
        this.containers = containers;
    }

    Path bundle(String id) {
        return store.containersDir().resolve(id);
    }

    // ---- reading and reconciling state ---------------------------------------------------------------------

    RunState storedState(String id) throws IOException {
        try (Tx tx = store.read()) {
            RunState s = rows.runState(tx, id);
            tx.commit();
            return s;
        }
    }

    /**
     * What {@code stored} says corrected by what the processes and files show, without changing anything: an
     * alive container whose exit file exists, or whose monitor and process are both gone, has exited.
     */
    RunState observe(String id, RunState stored) {
        if (!stored.alive()) {
            return stored;
        }
        Path b = bundle(id);
        Optional<Integer> code = runtime.exitCode(b);
        if (code.isPresent()) {
            return stored.exited(code.get(), runtime.exitTime(b), runtime.oomKilled(b), "");
        }
        String boot = ProcInfo.bootId();
        if (!stored.bootId().equals(boot)) {
            // The machine restarted under it: nothing of it is left, and nothing recorded how it ended.
            return stored.exited(255, Instant.now(), false, "");
        }
        if (ProcInfo.alive(stored.monitorPid(), stored.monitorStart()) || ProcInfo.alive(stored.pid(), stored.pidStart())) {
            return stored;
        }
        // conmon may have written the exit file and exited between the first look and the liveness check.
        code = runtime.exitCode(b);
        if (code.isPresent()) {
            return stored.exited(code.get(), runtime.exitTime(b), runtime.oomKilled(b), "");
        }
        // Monitor and process vanished without an exit file: only SIGKILL does that to conmon.
        return stored.exited(137, Instant.now(), false, "");
    }

    /** Whether {@link #reconcile} would change something: a cheap test for list-like commands. */
    boolean needsReconcile(Container c, RunState stored, boolean autoRemove) {
        if (stored.alive()) {
            return !observe(c.id(), stored).alive();
        }
        return interruptedStart(bundle(c.id())) || (stored.status() == ContainerStatus.EXITED && autoRemove);
    }

    /** Runs {@code action} on the container under the store's write lease and the container's lock. */
    <T> T locked(String nameOrId, LockedAction<T> action) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease()) {
            Container c = containers.find(nameOrId);
            try (ContainerLock lock = ContainerLock.acquire(bundle(c.id()), c.id())) {
                Optional<Container> current;
                try (Tx tx = store.read()) {
                    current = rows.get(tx, c.id());
                    tx.commit();
                }
                if (current.isEmpty()) { // removed while we waited for the lock
                    Files.deleteIfExists(bundle(c.id()).resolve("lock"));
                    try {
                        Files.deleteIfExists(bundle(c.id()));
                    } catch (java.nio.file.DirectoryNotEmptyException e) {
                        // something else lives there now; the sweep decides
                    }
                    throw new NotFoundException("No such container: " + nameOrId);
                }
                return action.run(current.get());
            }
        }
    }

    @FunctionalInterface
    interface LockedAction<T> {
        T run(Container c) throws IOException, StrataException;
    }

    /**
     * Makes the stored state true (the container's lock held): records an exit, cleans up after it, finishes or
     * undoes an interrupted start, removes an exited {@code --rm} container. Empty when the container is gone.
     */
    Optional<RunState> reconcile(Container c) throws IOException, StrataException {
        ContainerDefinition def = containers.definition(c);
        RunState stored = storedState(c.id());
        Path b = bundle(c.id());
        if (stored.alive()) {
            Files.deleteIfExists(b.resolve(STARTING)); // a start killed after it recorded "running"
            RunState seen = observe(c.id(), stored);
            if (seen.alive()) {
                return Optional.of(stored);
            }
            stored = seen;
            runtime.cleanUp(c.id(), b);
            driver.unmount(c.layerId());
            putState(c.id(), stored);
        } else if (interruptedStart(b)) {
            Optional<RunState> adopted = runtime.adopt(c.id(), b, stored);
            if (adopted.isPresent()) {
                putState(c.id(), adopted.get());
                Files.deleteIfExists(b.resolve(STARTING));
                return adopted;
            }
            runtime.tearDown(c.id(), b);
            driver.unmount(c.layerId());
            Files.deleteIfExists(b.resolve(STARTING));
        }
        if (stored.status() == ContainerStatus.EXITED && def.host().autoRemove()) {
            removeLocked(c, true); // --rm takes the container's anonymous volumes with it, as Docker's does
            return Optional.empty();
        }
        return Optional.of(stored);
    }

    /** Whether a start that did not record its outcome left its marks in the bundle (read under the lock). */
    private static boolean interruptedStart(Path bundle) {
        return Files.exists(bundle.resolve(STARTING)) || Files.exists(bundle.resolve(OciRuntime.CONMON_PID_FILE));
    }

    /** {@link #reconcile} under the lock; empty when the container is gone (or was auto-removed). */
    Optional<RunState> refresh(String id) throws IOException, StrataException {
        try {
            return locked(id, this::reconcile);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private void putState(String id, RunState s) throws IOException {
        try (Tx tx = store.write()) {
            rows.putRunState(tx, id, s);
            tx.commit();
        }
    }

    // ---- start -------------------------------------------------------------------------------------------

    /**
     * A started container, and how its output is followed when it is attached: through the attach socket
     * (connected before it started) when it has a terminal or gets stdin, else by reading its log from where it
     * stood before the start, which needs no native calls.
     */
    private record Started(Container container, RunState state, Optional<AttachSession> session, Optional<KubeLog> log,
            boolean wasRunning) {
    }

    /**
     * Starts the container (a running one is left alone) and, with {@code attach}, streams its stdio until it
     * exits or the user detaches. Without {@code attach} returns empty as soon as it runs.
     */
    Optional<AttachOutcome> start(String nameOrId, Optional<AttachStreams> attach) throws IOException, StrataException {
        Started s = locked(nameOrId, c -> {
            Optional<RunState> state = reconcile(c);
            if (state.isEmpty()) {
                throw new NotFoundException("No such container: " + nameOrId);
            }
            if (state.get().alive()) {
                return new Started(c, state.get(), Optional.empty(), Optional.empty(), true);
            }
            return startLocked(c, state.get(), attach);
        });
        if (attach.isEmpty()) {
            return Optional.empty();
        }
        if (s.wasRunning()) {
            return Optional.of(attachRunning(s.container(), attach.get()));
        }
        if (s.log().isPresent()) {
            return Optional.of(streamLog(s.container(), s.state(), s.log().get(), attach.get()));
        }
        return Optional.of(stream(s.container(), s.state(), s.session().orElseThrow(), attach.get()));
    }

    private Started startLocked(Container c, RunState previous, Optional<AttachStreams> attach) throws IOException, StrataException {
        ContainerDefinition def = containers.definition(c);
        ContainerSpec spec = def.config();
        Path conmon = runtime.conmon();
        runtime.checkRuntime(); // fails now, with a clear message, when the OCI runtime is missing
        Optional<Path> init = def.host().init() ? Optional.of(runtime.init()) : Optional.empty();
        List<RuntimeMount> mounts = new ContainerMounts(volumes).forRuntime(def);
        Path b = bundle(c.id());
        Files.createDirectories(b);
        Files.write(b.resolve(STARTING), new byte[0]); // before the mount: a kill from here on is seen as an interrupted start
        Path rootfs = driver.mount(c.layerId());
        boolean running = false;
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
            OciSpec.ProcessSpec process = new OciSpec.ProcessSpec(args, environment(spec, user, spec.tty(), List.of()), cwd, user, spec.tty());
            Files.writeString(b.resolve("config.json"), OciSpec.config(new OciSpec.Bundle(c.id(), spec.hostname(), process, rootfs,
                    def.host().readonlyRootfs(), hostNetwork, mounts, init, b.resolve(OciRuntime.HOSTS), b.resolve(OciRuntime.HOSTNAME),
                    b.resolve(OciRuntime.RESOLV_CONF))));
            boolean attachStdin = attach.isPresent() && attach.get().stdin().isPresent() && spec.openStdin();
            if (attach.isPresent()) {
                markCleaner(c.id()); // this process stays to see the exit: it cleans up after it
            }
            // Docker's StdinOnce: the container's stdin ends with the attached client's input, unless it has a terminal.
            boolean leaveStdinOpen = !(attachStdin && spec.stdinOnce());
            RunState started = runtime.create(c.id(), c.name(), b, spec.tty(), spec.openStdin(), leaveStdinOpen,
                    cleanupCommand(c.id()), CREATE_TIMEOUT, previous);
            if (attach.isPresent() && (spec.tty() || attachStdin)) {
                session = Optional.of(AttachSession.connect(b));
                if (spec.tty()) {
                    attach.get().terminalSize().get().ifPresent(size -> runtime.resize(b, size.rows(), size.columns()));
                }
            } else if (attach.isPresent()) {
                log = Optional.of(KubeLog.live(b.resolve(OciRuntime.LOG)));
            }
            runtime.start(c.id());
            putState(c.id(), started);
            running = true;
            return new Started(c, started, session, log, false);
        } catch (OciRuntimeException e) {
            // Recorded like Docker does: still not running, with the error and 126/127 (128 for other failures).
            putState(c.id(), new RunState(previous.status(), 0, 0, 0, 0, previous.bootId(),
                    e.exitStatus() == 125 ? 128 : e.exitStatus(), previous.started(), previous.finished(), false, e.getMessage()));
            throw e;
        } finally {
            if (!running) {
                unmarkCleaner(c.id());
                session.ifPresent(AttachSession::close);
                if (log.isPresent()) {
                    log.get().close();
                }
                runtime.tearDown(c.id(), b);
                driver.unmount(c.layerId());
            }
            Files.deleteIfExists(b.resolve(STARTING));
        }
    }

    /**
     * A file in the bundle naming a Strata process that will clean up after the container's exit itself (an
     * attached {@code run}, a {@code stop}, ...): while that process lives, conmon's exit command does nothing,
     * so that no second JVM starts just to find the work done.
     */
    private static final String CLEANER = "cleaner";
    private static final String SKIP_IF_CLEANER = "p=$(cat \"$1\" 2>/dev/null) && [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null && exit 0; "
            + "shift; exec \"$@\"";

    /** Conmon's exit command for this container, or none: {@code strata container cleanup} unless a cleaner is there. */
    private List<String> cleanupCommand(String id) {
        List<String> prefix = runtime.options().exitCommand();
        if (prefix.isEmpty()) {
            return List.of();
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", SKIP_IF_CLEANER, "strata-exit", bundle(id).resolve(CLEANER).toString()));
        cmd.addAll(prefix);
        cmd.addAll(List.of("--root", store.root().toAbsolutePath().toString(), "container", "cleanup", id));
        return cmd;
    }

    private void markCleaner(String id) throws IOException {
        Files.writeString(bundle(id).resolve(CLEANER), Long.toString(ProcessHandle.current().pid()));
    }

    private void unmarkCleaner(String id) {
        try {
            Path f = bundle(id).resolve(CLEANER);
            if (Files.exists(f) && Files.readString(f).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(f);
            }
        } catch (IOException e) {
            // a stale marker names a dead process: the exit command ignores it
        }
    }

    /**
     * The process environment, as Docker builds it: a default PATH, HOSTNAME, TERM for a terminal, then the
     * container's variables and {@code extra} (each replacing one of the same name in place), and HOME from the
     * user's passwd entry unless set.
     */
    static List<String> environment(ContainerSpec spec, Users.ExecUser user, boolean tty, List<String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "PATH=" + OciSpec.DEFAULT_PATH);
        env.put("HOSTNAME", "HOSTNAME=" + spec.hostname());
        if (tty) {
            env.put("TERM", "TERM=xterm");
        }
        List<String> all = new ArrayList<>(spec.env() == null ? List.of() : spec.env());
        all.addAll(extra);
        for (String e : all) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e);
            }
        }
        env.putIfAbsent("HOME", "HOME=" + user.home());
        return List.copyOf(env.values());
    }

    // ---- attach ------------------------------------------------------------------------------------------

    AttachOutcome attach(String nameOrId, AttachStreams io) throws IOException, StrataException {
        Container c = containers.find(nameOrId);
        return attachRunning(c, io);
    }

    private AttachOutcome attachRunning(Container c, AttachStreams io) throws IOException, StrataException {
        RunState s = observe(c.id(), storedState(c.id()));
        if (!s.alive()) {
            throw new ConflictException("You cannot attach to a stopped container, start it first");
        }
        if (s.status() == ContainerStatus.PAUSED) {
            throw new ConflictException("You cannot attach to a paused container, unpause it first");
        }
        AttachSession session = AttachSession.connect(bundle(c.id()));
        markCleaner(c.id());
        return stream(c, s, session, io);
    }

    /** Streams until the container exits or the user detaches; after an exit, cleans up and returns its code. */
    private AttachOutcome stream(Container c, RunState running, AttachSession session, AttachStreams io) throws IOException,
            StrataException {
        ContainerSpec spec = containers.spec(c);
        Path b = bundle(c.id());
        AtomicBoolean done = new AtomicBoolean();
        Thread resizer = null;
        if (spec.tty()) {
            resizer = Thread.ofVirtual().start(() -> followTerminalSize(b, io, done));
        }
        boolean detached;
        try (session) {
            Optional<InputStream> in = spec.openStdin() ? io.stdin() : Optional.empty();
            detached = session.pump(in, io.stdout(), io.stderr(), spec.tty() ? io.detachKeys() : Optional.empty());
        } finally {
            done.set(true);
            if (resizer != null) {
                resizer.interrupt();
            }
        }
        try {
            if (detached) {
                return new AttachOutcome.Detached();
            }
            int code = awaitExit(c.id(), running, Optional.empty()).exitCode();
            refresh(c.id());
            return new AttachOutcome.Exited(code);
        } finally {
            unmarkCleaner(c.id());
        }
    }

    /** Copies the container's output from its log as conmon writes it, until it exits; then cleans up. */
    private AttachOutcome streamLog(Container c, RunState running, KubeLog log, AttachStreams io) throws IOException, StrataException {
        try (log) {
            long pause = 1;
            while (true) {
                List<KubeLog.Entry> got = log.poll();
                write(got, LogOptions.all(), io.stdout(), io.stderr());
                RunState seen = observe(c.id(), running);
                if (!seen.alive()) {
                    write(log.poll(), LogOptions.all(), io.stdout(), io.stderr()); // conmon drained the output before the exit file
                    refresh(c.id());
                    return new AttachOutcome.Exited(seen.exitCode());
                }
                pause = got.isEmpty() ? Math.min(20, pause * 2) : 1;
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while attached to " + c.shortId());
                }
            }
        } finally {
            unmarkCleaner(c.id());
        }
    }

    private void followTerminalSize(Path bundle, AttachStreams io, AtomicBoolean done) {
        Optional<AttachStreams.TerminalSize> last = io.terminalSize().get();
        last.ifPresent(size -> runtime.resize(bundle, size.rows(), size.columns())); // attach: the terminal may differ from the last one
        while (!done.get()) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
            Optional<AttachStreams.TerminalSize> now = io.terminalSize().get();
            if (now.isPresent() && !now.equals(last)) {
                runtime.resize(bundle, now.get().rows(), now.get().columns());
                last = now;
            }
        }
    }

    void resize(String nameOrId, int rows, int columns) throws IOException, StrataException {
        Container c = containers.find(nameOrId);
        if (observe(c.id(), storedState(c.id())).alive()) {
            runtime.resize(bundle(c.id()), rows, columns);
        }
    }

    /**
     * Waits until the container is no longer running, or until {@code timeout}; returns what was observed last.
     * Polls the exit file and the processes: quickly at first, as most waits are short.
     */
    private RunState awaitExit(String id, RunState running, Optional<Duration> timeout) throws IOException {
        long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        long pause = 2;
        while (true) {
            RunState seen = observe(id, running);
            if (!seen.alive() || System.nanoTime() > deadline) {
                return seen;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for container " + id);
            }
            pause = Math.min(50, pause * 2);
        }
    }

    // ---- stop, kill, restart, wait, pause --------------------------------------------------------------------

    void stop(String nameOrId, Optional<Duration> timeout) throws IOException, StrataException {
        locked(nameOrId, c -> {
            Optional<RunState> s = reconcile(c);
            if (s.isEmpty() || !s.get().alive()) {
                return null; // stopping a stopped container is not an error, as in Docker
            }
            end(c, s.get(), stopSignal(containers.spec(c)), timeout.orElse(DEFAULT_STOP_TIMEOUT));
            return null;
        });
    }

    void kill(String nameOrId, String signalName) throws IOException, StrataException {
        int signal = Signals.parse(signalName);
        locked(nameOrId, c -> {
            Optional<RunState> s = reconcile(c);
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
    private Optional<RunState> end(Container c, RunState running, int signal, Duration grace) throws IOException, StrataException {
        markCleaner(c.id());
        try {
            signal(c, running, signal);
            if (signal != Signals.SIGKILL && awaitExit(c.id(), running, Optional.of(grace)).alive()) {
                signal(c, running, Signals.SIGKILL);
            }
            if (awaitExit(c.id(), running, Optional.of(KILL_WAIT)).alive()) {
                throw new OciRuntimeException("container " + c.shortId() + " did not stop within " + KILL_WAIT.toSeconds()
                        + "s of SIGKILL", 125);
            }
            return reconcile(c);
        } finally {
            unmarkCleaner(c.id());
        }
    }

    /** Sends a signal to the container's init; a paused container is thawed for SIGKILL (and a stop) to land. */
    private void signal(Container c, RunState s, int signal) throws IOException, StrataException {
        runtime.kill(c.id(), signal);
        if (s.status() == ContainerStatus.PAUSED && (signal == Signals.SIGKILL || signal == stopSignal(containers.spec(c)))) {
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
    int waitFor(String nameOrId) throws IOException, StrataException {
        Container c = containers.find(nameOrId);
        RunState stored = storedState(c.id());
        if (!stored.alive()) {
            return refresh(c.id()).orElse(stored).exitCode();
        }
        RunState seen = awaitExit(c.id(), stored, Optional.empty());
        Optional<RunState> after = refresh(c.id());
        return after.filter(s -> !s.alive()).orElse(seen).exitCode();
    }

    void pause(String nameOrId, boolean pause) throws IOException, StrataException {
        locked(nameOrId, c -> {
            Optional<RunState> s = reconcile(c);
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
            putState(c.id(), s.get().withStatus(pause ? ContainerStatus.PAUSED : ContainerStatus.RUNNING));
            return null;
        });
    }

    // ---- remove --------------------------------------------------------------------------------------------

    void remove(String nameOrId, boolean force, boolean removeVolumes) throws IOException, StrataException {
        locked(nameOrId, c -> {
            Optional<RunState> s = reconcile(c);
            if (s.isEmpty()) {
                return null; // it was an exited --rm container: gone now
            }
            if (s.get().alive()) {
                if (!force) {
                    throw new ConflictException("You cannot remove a " + s.get().status().label() + " container " + c.id()
                            + ". Stop the container before attempting removal or force remove");
                }
                if (end(c, s.get(), Signals.SIGKILL, Duration.ZERO).isEmpty()) {
                    return null;
                }
            }
            removeLocked(c, removeVolumes);
            return null;
        });
    }

    /** Deletes the rows, then the layers and the bundle (the container's lock held, nothing running). */
    private void removeLocked(Container c, boolean removeVolumes) throws IOException, StrataException {
        Path b = bundle(c.id());
        runtime.tearDown(c.id(), b);
        containers.removeRows(c, removeVolumes, () -> runtime.deleteBundle(b));
    }

    // ---- logs, exec, top -------------------------------------------------------------------------------------

    void logs(String nameOrId, LogOptions options, OutputStream out, OutputStream err) throws IOException, StrataException {
        Container c = containers.find(nameOrId);
        RunState stored = storedState(c.id());
        try (KubeLog log = new KubeLog(bundle(c.id()).resolve(OciRuntime.LOG))) {
            boolean follow = options.follow() && observe(c.id(), stored).alive();
            List<KubeLog.Entry> first = new ArrayList<>(log.poll());
            if (!follow) {
                first.addAll(log.flush());
            }
            List<KubeLog.Entry> shown = first.stream().filter(e -> within(e, options)).toList();
            if (options.tail().isPresent()) {
                int n = options.tail().getAsInt();
                shown = shown.subList(Math.max(0, shown.size() - n), shown.size());
            }
            write(shown, options, out, err);
            while (follow) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                boolean alive = observe(c.id(), stored).alive();
                List<KubeLog.Entry> more = new ArrayList<>(log.poll());
                if (!alive) {
                    more.addAll(log.poll()); // conmon drains the container's output before it writes the exit file
                    more.addAll(log.flush());
                    follow = false;
                }
                write(more.stream().filter(e -> within(e, options)).toList(), options, out, err);
            }
        }
    }

    private static boolean within(KubeLog.Entry e, LogOptions o) {
        return o.since().map(s -> !e.time().isBefore(s)).orElse(true) && o.until().map(u -> e.time().isBefore(u)).orElse(true);
    }

    private static void write(List<KubeLog.Entry> entries, LogOptions o, OutputStream out, OutputStream err) throws IOException {
        for (KubeLog.Entry e : entries) {
            OutputStream target = e.stderr() ? err : out;
            if (o.timestamps()) {
                target.write((LOG_TIME.format(e.time()) + " ").getBytes(StandardCharsets.US_ASCII));
            }
            target.write(e.bytes());
        }
        out.flush();
        err.flush();
    }

    int exec(String nameOrId, ExecOptions o, ExecIo io) throws IOException, StrataException {
        if (o.command().isEmpty()) {
            throw new InvalidArgumentException("exec needs a command to run");
        }
        Container c = containers.find(nameOrId);
        RunState s = observe(c.id(), storedState(c.id()));
        if (!s.alive()) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        if (s.status() == ContainerStatus.PAUSED) {
            throw new ConflictException("Container " + c.id() + " is paused, unpause the container before exec");
        }
        ContainerSpec spec = containers.spec(c);
        Path rootfs = driver.mount(c.layerId()); // mounted while it runs: this returns where
        Users.ExecUser user = Users.resolve(rootfs, o.user().orElse(spec.user()));
        String cwd = o.workingDir().filter(w -> !w.isEmpty())
                .orElse(spec.workingDir() == null || spec.workingDir().isEmpty() ? "/" : spec.workingDir());
        boolean tty = o.tty() && !o.detach(); // a detached exec has nobody to hold its terminal
        OciSpec.ProcessSpec process = new OciSpec.ProcessSpec(o.command(), environment(spec, user, tty, o.env()), cwd, user, tty);
        return switch (io) {
            case ExecIo.Inherit i -> runtime.exec(c.id(), bundle(c.id()), process, o.detach(), true, o.interactive(), Optional.empty(),
                    null, null);
            case ExecIo.Streams st -> runtime.exec(c.id(), bundle(c.id()), process, o.detach(), false, o.interactive(),
                    o.interactive() ? st.stdin() : Optional.empty(), st.stdout(), st.stderr());
        };
    }

    TopResult top(String nameOrId, List<String> psArgs) throws IOException, StrataException {
        Container c = containers.find(nameOrId);
        RunState s = observe(c.id(), storedState(c.id()));
        if (!s.alive()) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        Set<Long> pids = new HashSet<>(runtime.pids(c.id()));
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new InvalidArgumentException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running ps");
        }
        List<String> lines = output.lines().toList();
        if (lines.isEmpty()) {
            return new TopResult(List.of(), List.of());
        }
        List<String> titles = List.of(lines.getFirst().strip().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) {
            throw new InvalidArgumentException("Couldn't find PID field in ps output");
        }
        List<List<String>> processes = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            // The last column (the command) may contain spaces: split into as many fields as there are titles.
            List<String> fields = List.of(line.strip().split("\\s+", titles.size()));
            if (fields.size() > pidColumn && pids.contains(Long.parseLong(fields.get(pidColumn)))) {
                processes.add(fields);
            }
        }
        return new TopResult(titles, processes);
    }

    // ---- inspect -----------------------------------------------------------------------------------------------

    ContainerDetails inspect(String nameOrId) throws IOException, StrataException {
        Container c = containers.find(nameOrId);
        ContainerDefinition def = containers.definition(c);
        RunState s = current(c, storedState(c.id()), def.host().autoRemove())
                .orElseThrow(() -> new NotFoundException("No such container: " + nameOrId));
        ContainerSpec spec = def.config();
        List<String> command = spec.commandLine();
        Path b = bundle(c.id());
        Map<String, String> graph = driver.metadata(c.layerId());
        List<ContainerDetails.MountPoint> mounts = new ArrayList<>();
        for (MountSpec m : def.host().mounts()) {
            String propagation = m.type().equals(MountSpec.BIND) ? (m.options() == null ? "rprivate" : m.options()) : "";
            switch (m.type()) {
                case MountSpec.BIND -> mounts.add(new ContainerDetails.MountPoint("bind", null, m.source(), m.target(), null,
                        m.readOnly() ? "ro" : "", !m.readOnly(), propagation));
                case MountSpec.VOLUME -> mounts.add(new ContainerDetails.MountPoint("volume", m.source(),
                        m.source().isEmpty() ? "" : store.root().resolve("volumes").resolve(m.source()).resolve("_data").toString(),
                        m.target(), "local", m.readOnly() ? "ro" : "z", !m.readOnly(), ""));
                default -> mounts.add(new ContainerDetails.MountPoint("tmpfs", null, "", m.target(), null, "", !m.readOnly(), ""));
            }
        }
        String network = def.host().networkMode() == null ? HostSpec.NETWORK_HOST : def.host().networkMode();
        return new ContainerDetails(c.id(), GoTime.format(c.created()), command.isEmpty() ? "" : command.getFirst(),
                command.size() > 1 ? command.subList(1, command.size()) : List.of(), ContainerDetails.State.of(ContainerState.of(s)),
                c.imageId().toString(), b.resolve(OciRuntime.RESOLV_CONF).toString(), b.resolve(OciRuntime.HOSTNAME).toString(),
                b.resolve(OciRuntime.HOSTS).toString(), b.resolve(OciRuntime.LOG).toString(), "/" + c.name(), 0, driver.name(), "linux", "", "",
                "", null, def.host(), new ContainerDetails.GraphDriver(graph.isEmpty() ? null : graph, driver.name()), mounts, spec,
                new ContainerDetails.NetworkSettings("", "", "", Map.of(), Map.of(network, Map.of())));
    }

    /**
     * The state {@code ps}, {@code inspect} and friends show, reconciled first when it is stale. They never wait
     * for a container another command is busy with (a {@code stop} may hold it for its timeout): then what the
     * processes show is reported, and the busy command writes it. Empty when the container is gone.
     */
    Optional<RunState> current(Container c, RunState stored, boolean autoRemove) throws IOException, StrataException {
        if (!needsReconcile(c, stored, autoRemove)) {
            return Optional.of(stored);
        }
        try (Store.Lease lease = store.writeLease()) {
            Optional<ContainerLock> lock = ContainerLock.tryAcquire(bundle(c.id()), c.id());
            if (lock.isEmpty()) {
                return Optional.of(observe(c.id(), stored));
            }
            try (ContainerLock held = lock.get()) {
                Optional<Container> row;
                try (Tx tx = store.read()) {
                    row = rows.get(tx, c.id());
                    tx.commit();
                }
                return row.isEmpty() ? Optional.empty() : reconcile(row.get());
            }
        }
    }

    /** The exit command's entry: reconciles a container that just exited; a container already gone is fine. */
    void cleanup(String nameOrId) throws IOException, StrataException {
        refresh(nameOrId);
    }
}
