package dev.strata.engine.container;

import dev.strata.container.Container;
import dev.strata.container.ContainerStatus;
import dev.strata.container.RunState;
import dev.strata.engine.runtime.AttachSession;
import dev.strata.engine.runtime.KubeLog;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.OciSpec;
import dev.strata.engine.runtime.Users;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.layer.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A container's input and output: attaching to it (and starting it attached, for {@code run} and {@code start -a}),
 * its logs, and commands run in it ({@code exec}).
 *
 * <p>Safe to call from many threads at once: each attach, log reader or exec has its own connection to conmon or
 * its own reader of the log file; none holds the container's lock while it streams.
 */
public final class ContainerIo {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final ContainerRecords records;
    private final ContainerRecovery recovery;
    private final ContainerProcesses processes;
    private final OciRuntime runtime;

    ContainerIo(ContainerRecords records, ContainerRecovery recovery, ContainerProcesses processes) {
        this.records = records;
        this.recovery = recovery;
        this.processes = processes;
        this.runtime = records.runtime();
    }

    /**
     * Starts the container with its stdio attached to {@code io} (attaching to it if it runs already) and streams
     * until it exits or the user detaches: {@code run} without {@code -d}, {@code start -a}.
     */
    public AttachOutcome startAttached(String nameOrId, AttachStreams io) throws IOException, StrataException {
        ContainerProcesses.Started s = processes.launch(nameOrId, Optional.of(io));
        if (s.wasRunning()) {
            return attachRunning(s.container(), io);
        }
        if (s.log().isPresent()) {
            return streamLog(s.container(), s.state(), s.log().get(), io);
        }
        return stream(s.container(), s.state(), s.session().orElseThrow(), io);
    }

    /** Attaches to a running container's stdio. */
    public AttachOutcome attach(String nameOrId, AttachStreams io) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        return attachRunning(c, io);
    }

    private AttachOutcome attachRunning(Container c, AttachStreams io) throws IOException, StrataException {
        RunState s = recovery.observe(c.id(), records.storedState(c.id()));
        if (!s.alive()) {
            throw new ConflictException("You cannot attach to a stopped container, start it first");
        }
        if (s.status() == ContainerStatus.PAUSED) {
            throw new ConflictException("You cannot attach to a paused container, unpause it first");
        }
        AttachSession session = AttachSession.connect(records.bundle(c.id()));
        records.markCleaner(c.id());
        return stream(c, s, session, io);
    }

    /** Streams until the container exits or the user detaches; after an exit, cleans up and returns its code. */
    private AttachOutcome stream(Container c, RunState running, AttachSession session, AttachStreams io) throws IOException,
            StrataException {
        ContainerSpec spec = records.spec(c);
        Path b = records.bundle(c.id());
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
            int code = recovery.awaitExit(c.id(), running, Optional.empty()).exitCode();
            recovery.refresh(c.id());
            return new AttachOutcome.Exited(code);
        } finally {
            records.unmarkCleaner(c.id());
        }
    }

    /** Copies the container's output from its log as conmon writes it, until it exits; then cleans up. */
    private AttachOutcome streamLog(Container c, RunState running, KubeLog log, AttachStreams io) throws IOException, StrataException {
        try (log) {
            long pause = 1;
            while (true) {
                List<KubeLog.Entry> got = log.poll();
                write(got, LogOptions.all(), io.stdout(), io.stderr());
                RunState seen = recovery.observe(c.id(), running);
                if (!seen.alive()) {
                    write(log.poll(), LogOptions.all(), io.stdout(), io.stderr()); // conmon drained the output before the exit file
                    recovery.refresh(c.id());
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
            records.unmarkCleaner(c.id());
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

    public void resize(String nameOrId, int rows, int columns) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        if (recovery.observe(c.id(), records.storedState(c.id())).alive()) {
            runtime.resize(records.bundle(c.id()), rows, columns);
        }
    }

    public void logs(String nameOrId, LogOptions options, OutputStream out, OutputStream err) throws IOException, StrataException {
        Container c = records.find(nameOrId);
        RunState stored = records.storedState(c.id());
        try (KubeLog log = new KubeLog(records.bundle(c.id()).resolve(OciRuntime.LOG))) {
            boolean follow = options.follow() && recovery.observe(c.id(), stored).alive();
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
                boolean alive = recovery.observe(c.id(), stored).alive();
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

    public int exec(String nameOrId, ExecOptions o, ExecIo io) throws IOException, StrataException {
        if (o.command().isEmpty()) {
            throw new InvalidArgumentException("exec needs a command to run");
        }
        Container c = records.find(nameOrId);
        RunState s = recovery.observe(c.id(), records.storedState(c.id()));
        if (!s.alive()) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        if (s.status() == ContainerStatus.PAUSED) {
            throw new ConflictException("Container " + c.id() + " is paused, unpause the container before exec");
        }
        ContainerSpec spec = records.spec(c);
        Users.ExecUser user;
        try (Mount rootfs = records.layer(c).mount()) { // mounted while it runs: this joins that mount
            user = Users.resolve(rootfs.path(), o.user().orElse(spec.user()));
        }
        String cwd = o.workingDir().filter(w -> !w.isEmpty())
                .orElse(spec.workingDir() == null || spec.workingDir().isEmpty() ? "/" : spec.workingDir());
        boolean tty = o.tty() && !o.detach(); // a detached exec has nobody to hold its terminal
        OciSpec.ProcessSpec process = new OciSpec.ProcessSpec(o.command(), ContainerRecords.environment(spec, user, tty, o.env()), cwd, user, tty);
        OciRuntime.ExecStdio stdio = switch (io) {
            case ExecIo.Inherit i -> o.detach() ? new OciRuntime.ExecStdio.Detached() : new OciRuntime.ExecStdio.Inherited(o.interactive());
            case ExecIo.Streams st -> o.detach() ? new OciRuntime.ExecStdio.Detached()
                    : new OciRuntime.ExecStdio.Copied(o.interactive() ? st.stdin() : Optional.empty(), st.stdout(), st.stderr());
        };
        return runtime.exec(c.id(), records.bundle(c.id()), process, stdio);
    }
}
