package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker: an isolated dockerd (its own data root, exec root, pid file and socket under the storage area; no
 * networking set-up; overlay2), driven by Debian's docker CLI. The daemon is stopped by PID at the end.
 */
final class DockerTool implements Tool {
    /** Debian's docker.io binaries; a different docker CLI may shadow /usr/bin on PATH. */
    static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
    static final Path DOCKER = Path.of("/usr/bin/docker");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private Path toolDir;
    private Path dir;
    private Path socket;
    private Path logDir;
    private String areaLabel;
    private Cleanup cleanup;
    private int generation;
    private String state = "dirty";
    private StorageArea area;
    private Process daemon;
    private Path daemonLog;
    private Cleanup.Registration registration;
    private String serverVersion = "not started";

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException {
        this.area = area;
        this.dir = null;
        this.toolDir = area.dirFor("docker");
        this.logDir = logDir;
        this.areaLabel = area.kind().label();
        this.cleanup = cleanup;
        this.generation = 0;
        if (Files.exists(Path.of("/run/containerd/containerd.sock"))) {
            System.err.println("warning: a system containerd is running; dockerd 20.10 attaches to it instead of"
                    + " starting its own (image and layer storage stay in --data-root)");
        }
        freshStore();
    }

    /** Stops dockerd (if running) and starts a new one on a new data root, exec root and socket. */
    @Override
    public void freshStore() throws BenchException {
        stop();
        Cleanup.checkNotShuttingDown();
        Tool.dropIfTmpfs(area, dir);
        dir = toolDir.resolve("s" + (++generation));
        state = "dirty";
        Path dataRoot = dir.resolve("data");
        Path execRoot = dir.resolve("exec");
        Path pidFile = dir.resolve("dockerd.pid");
        Path config = dir.resolve("daemon.json");
        socket = dir.resolve("docker.sock");
        if (socket.toString().length() > 100) {
            throw new BenchException("socket path too long for AF_UNIX (" + socket + "): use a shorter --work-dir");
        }
        try {
            Files.createDirectories(dataRoot);
            Files.createDirectories(execRoot);
            Files.createDirectories(dir.resolve("client"));
            Files.writeString(config, "{}\n"); // keeps /etc/docker/daemon.json out of the run
        } catch (IOException e) {
            throw new BenchException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        List<String> cmd = List.of(DOCKERD.toString(),
                "--config-file", config.toString(),
                "--data-root", dataRoot.toString(),
                "--exec-root", execRoot.toString(),
                "--pidfile", pidFile.toString(),
                "-H", "unix://" + socket,
                "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--storage-driver", "overlay2");
        daemonLog = logDir.resolve("dockerd-" + areaLabel + ".log");
        try {
            Files.createDirectories(logDir);
            Files.writeString(daemonLog, "### dockerd for " + dir + "\n", java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            daemon = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + DOCKERD + ": " + e.getMessage(), e);
        }
        Cleanup.daemonStarted(daemon.pid());
        registration = cleanup.push("stop dockerd (pid " + daemon.pid() + ")", this::stop);
        waitReady();
        state = "empty";
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public void state(String label) {
        state = label;
    }

    @Override
    public Path storeDir() {
        return dir;
    }

    /** The running dockerd's PID (for strace), or -1. */
    long daemonPid() {
        Process d = daemon;
        return d == null ? -1 : d.pid();
    }

    private void waitReady() throws BenchException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new BenchException("dockerd exited with " + daemon.exitValue() + " while starting; log "
                        + daemonLog + ":\n" + Exec.tailOfFile(daemonLog, 15));
            }
            if (Files.exists(socket)) {
                Exec.Result r = Exec.run(cli("version", "--format", "{{.Server.Version}}"), env(), Duration.ofSeconds(10));
                if (r.ok()) {
                    serverVersion = r.out().strip();
                    return;
                }
                last = r.tail(3);
            }
            sleep(200);
        }
        throw new BenchException("dockerd did not answer on " + socket + " within " + READY_TIMEOUT.toSeconds()
                + " s: " + last + "\nlog " + daemonLog + ":\n" + Exec.tailOfFile(daemonLog, 15));
    }

    /** {@code docker -H unix://<socket> <args>}. */
    List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(DOCKER.toString(), "-H", "unix://" + socket));
        cmd.addAll(List.of(args));
        return List.copyOf(cmd);
    }

    @Override
    public Map<String, String> env() {
        // the client's own config (credentials, contexts) stays out of the run
        return dir == null ? Map.of() : Map.of("DOCKER_CONFIG", dir.resolve("client").toString());
    }

    /** SIGTERM to dockerd by PID (it stops its own containerd), then SIGKILL for anything of it still alive. */
    @Override
    public synchronized void stop() {
        if (daemon == null) {
            return;
        }
        Process d = daemon;
        daemon = null;
        List<ProcessHandle> children = d.descendants().toList();
        if (!Exec.terminate(d.toHandle(), STOP_GRACE)) {
            System.err.println("warning: dockerd pid " + d.pid() + " survived SIGKILL");
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                System.err.println("stopping leftover dockerd child pid " + c.pid());
                Exec.terminate(c, Duration.ofSeconds(10));
            }
        }
        Cleanup.daemonStopped(d.pid());
        if (registration != null) {
            Cleanup.Registration r = registration;
            registration = null;
            r.close(); // already stopped: only drops the entry
        }
    }

    @Override
    public long daemonCpuMicros() {
        Process d = daemon;
        return d == null ? 0 : Cpu.processMicros(d.pid());
    }

    @Override
    public String version() {
        return "client " + Exec.firstLine(List.of(DOCKER.toString(), "--version")) + "; server " + serverVersion;
    }

    @Override
    public String describe() {
        return "isolated `dockerd` (own --data-root, --exec-root, --pidfile, unix socket; --iptables=false"
                + " --ip6tables=false --bridge=none; --storage-driver overlay2; empty --config-file), CLI `"
                + DOCKER + " -H unix://…`";
    }

    private static void sleep(long ms) throws BenchException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
