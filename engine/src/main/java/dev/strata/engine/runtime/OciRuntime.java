package dev.strata.engine.runtime;

import dev.strata.container.ContainerStatus;
import dev.strata.container.RunState;
import dev.strata.driver.Trees;
import dev.strata.sys.LinuxException;
import dev.strata.sys.Fds;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A container bundle's runtime side: the files in {@code <root>/containers/<id>/} (config.json, the generated
 * /etc files, conmon's log, PID and exit files, the attach socket and control FIFO) and the commands that act on
 * them through conmon and the OCI runtime. The container package decides when; this class knows how.
 */
public final class OciRuntime {
    public static final String LOG = Conmon.LOG;
    public static final String CONMON_PID_FILE = Conmon.CONMON_PID_FILE;
    public static final String HOSTS = "hosts";
    public static final String HOSTNAME = "hostname";
    public static final String RESOLV_CONF = "resolv.conf";
    private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final String DOCKER_HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private final RuntimeOptions options;
    private volatile Runc runc;

    public OciRuntime(RuntimeOptions options) {
        this.options = options;
    }

    public RuntimeOptions options() {
        return options;
    }

    // ---- the programs ---------------------------------------------------------------------------------------

    /** Checks that the OCI runtime is installed. */
    public void checkRuntime() throws OciRuntimeException {
        runc();
    }

    Runc runc() throws OciRuntimeException {
        Runc r = runc;
        if (r == null) {
            Path binary = executable(options.runtime(), "OCI runtime", "STRATA_RUNTIME", "runc");
            r = new Runc(binary, options.runDir().resolve("runc"));
            runc = r;
        }
        return r;
    }

    public Path conmon() throws OciRuntimeException {
        return executable(options.conmon(), "container monitor", "STRATA_CONMON", "conmon");
    }

    /** The init binary for {@code --init}. */
    public Path init() throws OciRuntimeException {
        Path p = options.init();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new OciRuntimeException("--init needs a static init binary at " + p + ", which is missing; install Debian's tini "
                    + "package (it has /usr/bin/tini-static) or point STRATA_INIT at one", 125);
        }
        return p;
    }

    private static Path executable(String nameOrPath, String what, String variable, String debianPackage) throws OciRuntimeException {
        if (nameOrPath.contains("/")) {
            Path p = Path.of(nameOrPath);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            throw new OciRuntimeException("the " + what + " " + p + " is not installed (no executable file there); install Debian's "
                    + debianPackage + " package, or point " + variable + " at one", 125);
        }
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SEARCH_PATH);
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, nameOrPath);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new OciRuntimeException("the " + what + " " + nameOrPath + " is not installed (not found in $PATH); install Debian's "
                + debianPackage + " package, or point " + variable + " at one", 125);
    }

    // ---- files -------------------------------------------------------------------------------------------

    /**
     * The container's /etc/hosts, /etc/hostname and /etc/resolv.conf: with the host's network, copies of the
     * host's hosts (plus the container's name) and resolv.conf, as Docker does for {@code --network host};
     * without, the localhost entries.
     */
    public void writeEtcFiles(Path bundle, String hostname, boolean hostNetwork) throws IOException {
        Files.writeString(bundle.resolve(HOSTNAME), hostname + "\n");
        String hosts = DOCKER_HOSTS;
        if (hostNetwork && Files.isRegularFile(Path.of("/etc/hosts"))) {
            // The host's names, and the container's own (it has its own host name), as for a host of that name.
            hosts = Files.readString(Path.of("/etc/hosts"));
            hosts += (hosts.isEmpty() || hosts.endsWith("\n") ? "" : "\n") + "127.0.1.1\t" + hostname + "\n";
        }
        Files.writeString(bundle.resolve(HOSTS), hosts);
        String resolv = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"; // Docker's fallback when the host has none
        if (Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
            resolv = Files.readString(Path.of("/etc/resolv.conf"));
        }
        Files.writeString(bundle.resolve(RESOLV_CONF), resolv);
    }

    /** The exit code conmon recorded, once the container has exited. */
    public Optional<Integer> exitCode(Path bundle) {
        try {
            String text = Files.readString(bundle.resolve(Conmon.EXIT_FILE)).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Instant exitTime(Path bundle) {
        try {
            return Files.getLastModifiedTime(bundle.resolve(Conmon.EXIT_FILE)).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    public boolean oomKilled(Path bundle) {
        return Files.exists(bundle.resolve(Conmon.OOM_FILE));
    }

    /** Asks conmon to resize the container's terminal (through its control FIFO); nothing if conmon is gone. */
    public void resize(Path bundle, int rows, int columns) {
        try {
            Fds.writeFifo(bundle.resolve(Conmon.CTL), ("1 " + rows + " " + columns + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (LinuxException e) {
            // the container is going away
        }
    }

    // ---- start -------------------------------------------------------------------------------------------

    /**
     * Creates the container under conmon (it waits for {@link #start}); returns the state it will have once
     * started. Files of an earlier run are removed first, and a runtime state left behind is deleted.
     */
    /**
     * How the container's stdio is held.
     *
     * @param stdin give the container a stdin pipe (non-tty {@code -i})
     * @param leaveStdinOpen keep it open when an attached client goes (unless {@code run -i} attached it: then the
     *     container sees end of file when the client's input ends, as Docker's StdinOnce does)
     */
    public record Stdio(boolean terminal, boolean stdin, boolean leaveStdinOpen) {
    }

    /**
     * What {@link #create} needs: the container's ID and name, its bundle, how its stdio is held, what conmon runs when
     * it exits, how long runc may take, and its state before this start.
     */
    public record Create(String id, String name, Path bundle, Stdio stdio, List<String> exitCommand, Duration timeout,
            RunState previous) {
    }

    public RunState create(Create c) throws IOException, OciRuntimeException {
        String id = c.id();
        Path bundle = c.bundle();
        Runc r = runc();
        Path conmon = conmon();
        r.delete(id);
        for (String f : List.of(Conmon.EXIT_FILE, Conmon.OOM_FILE, Conmon.PID_FILE, Conmon.CONMON_PID_FILE)) {
            Files.deleteIfExists(bundle.resolve(f));
        }
        Conmon.Started s = Conmon.create(conmon, r, id, c.name(), bundle, c.stdio(), c.exitCommand(), c.timeout());
        return new RunState(ContainerStatus.RUNNING, s.pid(), ProcInfo.startTime(s.pid()).orElse(0), s.monitorPid(),
                ProcInfo.startTime(s.monitorPid()).orElse(0), ProcInfo.bootId(), 0, Optional.of(Instant.now()), c.previous().finished(), false, "");
    }

    public void start(String id) throws IOException, OciRuntimeException {
        runc().start(id);
    }

    // ---- signals and the freezer --------------------------------------------------------------------------

    public void kill(String id, int signal) throws IOException, OciRuntimeException {
        runc().kill(id, signal);
    }

    public void pause(String id) throws IOException, OciRuntimeException {
        runc().pause(id);
    }

    public void resume(String id) throws IOException, OciRuntimeException {
        runc().resume(id);
    }

    public List<Long> pids(String id) throws IOException, OciRuntimeException {
        return runc().pids(id);
    }

    // ---- after a run --------------------------------------------------------------------------------------

    /** After the container exited: forget its runtime state and the files of the run (the exit file stays). */
    public void cleanUp(String id, Path bundle) throws IOException {
        try {
            runc().delete(id);
        } catch (OciRuntimeException e) {
            // no runtime installed any more: its state directory is in /run and goes with the next reboot
        }
        for (String f : List.of(Conmon.CONMON_PID_FILE, Conmon.PID_FILE, Conmon.CTL, "winsz", Conmon.ATTACH)) {
            Files.deleteIfExists(bundle.resolve(f));
        }
    }

    /**
     * A start was interrupted (its conmon.pid is there but the row never said "running"): when conmon lives and
     * the runtime reports the container running, it is adopted as a running container; otherwise empty.
     */
    public Optional<RunState> adopt(String id, Path bundle, RunState stored) throws IOException {
        long monitor = readPid(bundle.resolve(Conmon.CONMON_PID_FILE));
        if (!isConmonOf(monitor, id)) {
            return Optional.empty();
        }
        Optional<String> status;
        try {
            status = runc().status(id);
        } catch (OciRuntimeException e) {
            return Optional.empty();
        }
        if (status.isEmpty() || !(status.get().equals("running") || status.get().equals("paused"))) {
            return Optional.empty();
        }
        long pid = readPid(bundle.resolve(Conmon.PID_FILE));
        OptionalLong pidStart = ProcInfo.startTime(pid);
        if (pidStart.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RunState(status.get().equals("paused") ? ContainerStatus.PAUSED : ContainerStatus.RUNNING, pid,
                pidStart.getAsLong(), monitor, ProcInfo.startTime(monitor).orElse(0), ProcInfo.bootId(), 0, Optional.of(Instant.now()),
                stored.finished(), false, ""));
    }

    /**
     * Undoes a start that did not complete: kills the created container (runc delete --force) and its conmon (so
     * that no exit file of that run appears later, and no exit command runs for it), and cleans up.
     */
    public void tearDown(String id, Path bundle) throws IOException {
        long monitor = readPid(bundle.resolve(Conmon.CONMON_PID_FILE));
        cleanUp(id, bundle);
        if (isConmonOf(monitor, id)) {
            ProcessHandle.of(monitor).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (isConmonOf(monitor, id) && System.nanoTime() < deadline) {
                sleep(5);
            }
        }
        // Nothing of that run is to be believed now, not even an exit file conmon wrote on its way out.
        Files.deleteIfExists(bundle.resolve(Conmon.EXIT_FILE));
        Files.deleteIfExists(bundle.resolve(Conmon.OOM_FILE));
    }

    public void deleteBundle(Path bundle) throws IOException {
        Trees.deleteRecursively(bundle);
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Whether {@code pid} is the conmon of container {@code id} (and not some later process with its PID). */
    private static boolean isConmonOf(long pid, String id) {
        if (pid <= 0 || ProcInfo.startTime(pid).isEmpty()) {
            return false;
        }
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return cmdline.contains("\0-c\0" + id + "\0");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    // ---- exec --------------------------------------------------------------------------------------------

    /**
     * Runs a process in the running container with {@code runc exec}: with this process's own stdio
     * ({@code inherit}; stdin only when {@code interactive}; runc then handles a terminal itself: raw mode, window
     * size), or copying the given streams, or detached. Returns its exit code (0 when detached); a process that could not be started is an
     * {@link OciRuntimeException} with 126 or 127.
     */
    /** Where an exec'd process's stdio goes. */
    public sealed interface ExecStdio {
        /** None: the process runs on its own ({@code exec -d}). */
        record Detached() implements ExecStdio {
        }

        /** This process's own stdio; stdin only when {@code interactive} ({@code exec -i}). */
        record Inherited(boolean interactive) implements ExecStdio {
        }

        /** Copied from and to the given streams; no stdin when {@code stdin} is empty. */
        record Copied(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr) implements ExecStdio {
        }
    }

    public int exec(String id, Path bundle, OciSpec.ProcessSpec process, ExecStdio stdio) throws IOException, OciRuntimeException {
        boolean detach = stdio instanceof ExecStdio.Detached;
        Runc r = runc();
        String tag = HexFormat.of().formatHex(randomBytes());
        Path spec = bundle.resolve("exec-" + tag + ".json");
        Path log = bundle.resolve("exec-" + tag + ".log");
        Files.writeString(spec, OciSpec.processJson(process));
        try {
            List<String> cmd = new ArrayList<>(List.of(r.binary().toString(), "--root=" + r.root(), "--log-format=json", "--log=" + log,
                    "exec", "--process", spec.toString()));
            if (detach) {
                cmd.add("--detach");
            }
            cmd.add(id);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            int code;
            if (detach) {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                code = waitFor(pb.start());
            } else if (stdio instanceof ExecStdio.Inherited inherited) {
                pb.inheritIO();
                if (!inherited.interactive()) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())); // no -i: no stdin, as docker
                }
                code = waitFor(pb.start());
            } else {
                ExecStdio.Copied copied = (ExecStdio.Copied) stdio;
                Optional<InputStream> stdin = copied.stdin();
                if (stdin.isEmpty()) {
                    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                }
                Process p = pb.start();
                Thread in = null;
                if (stdin.isPresent()) {
                    in = Thread.ofVirtual().start(() -> copy(stdin.get(), p.getOutputStream(), true));
                }
                Thread err = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), copied.stderr(), false));
                copy(p.getInputStream(), copied.stdout(), false);
                code = waitFor(p);
                join(err);
                if (in != null) {
                    in.interrupt();
                }
            }
            Optional<String> failure = runtimeError(log);
            if (failure.isPresent()) {
                throw new OciRuntimeException(failure.get(), OciRuntimeException.statusFor(failure.get()));
            }
            return code;
        } finally {
            Files.deleteIfExists(spec);
            Files.deleteIfExists(log);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** The errors runc logged, if it failed to start the process. */
    private static Optional<String> runtimeError(Path log) throws IOException {
        if (!Files.exists(log)) {
            return Optional.empty();
        }
        List<String> errors = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (JsonText.stringField(line, "level").map(l -> l.equals("error") || l.equals("fatal")).orElse(false)) {
                JsonText.stringField(line, "msg").ifPresent(errors::add);
            }
        }
        return errors.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", errors));
    }

    private static void copy(InputStream in, OutputStream out, boolean closeOut) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away
        } finally {
            if (closeOut) {
                try {
                    out.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    private static int waitFor(Process p) throws InterruptedIOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for exec");
        }
    }

    private static void join(Thread t) throws InterruptedIOException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
