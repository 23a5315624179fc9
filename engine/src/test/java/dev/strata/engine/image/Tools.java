package dev.strata.engine.image;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real Docker, Podman and skopeo for interop tests, each isolated from the machine's own: a dockerd with its own data
 * root, exec root, pid file and socket (started once per test class, stopped by PID afterwards), and podman with its
 * own root and run root. A missing tool fails the test: {@code ./run-tests} installs them.
 */
final class Tools implements BeforeAllCallback, AfterAllCallback {
    private static final Duration DOCKERD_START = Duration.ofSeconds(90);

    private Path dir;
    private Process dockerd;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (String tool : List.of("dockerd", "docker", "podman", "skopeo", "runc")) {
            requireTool(tool);
        }
        // Under /tmp: a unix socket path must stay short.
        dir = Files.createTempDirectory(Path.of("/tmp"), "strata-it-");
        Files.createDirectories(dir.resolve("docker-cli"));
        ProcessBuilder pb = new ProcessBuilder("dockerd", "--data-root", dir.resolve("docker").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("dockerd.pid").toString(),
                "-H", "unix://" + dir.resolve("docker.sock"), "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--storage-driver", "vfs",
                // should dockerd find the machine's containerd and use it instead of starting its own, stay apart there
                "--containerd-namespace", "strata-it", "--containerd-plugins-namespace", "strata-it-plugins")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile());
        dockerd = pb.start();
        long deadline = System.nanoTime() + DOCKERD_START.toNanos();
        while (true) {
            Result r = exec(docker("version", "--format", "{{.Server.Version}}"));
            if (r.code() == 0) {
                break;
            }
            if (!dockerd.isAlive() || System.nanoTime() > deadline) {
                fail("dockerd did not start: " + r.output() + "\n" + Files.readString(dir.resolve("dockerd.log")));
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dockerd != null) {
            List<ProcessHandle> children = dockerd.descendants().toList();
            dockerd.destroy(); // SIGTERM: dockerd stops its own containerd on the way out
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        }
        if (dir != null) {
            exec(List.of("rm", "-rf", dir.toString()));
        }
    }

    private static void requireTool(String tool) throws IOException, InterruptedException {
        Result r = exec(List.of("sh", "-c", "command -v " + tool));
        if (r.code() != 0) {
            fail(tool + " is not installed; ./run-tests installs docker.io, podman and skopeo (apt-get install docker.io podman skopeo)");
        }
    }

    List<String> docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + dir.resolve("docker.sock"),
                "--config", dir.resolve("docker-cli").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    List<String> podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", dir.resolve("podman").toString(), "--runroot",
                dir.resolve("podman-run").toString(), "--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs",
                "--events-backend", "none", "--tmpdir", dir.resolve("podman-tmp").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    record Result(int code, String output) {
    }

    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("TMPDIR", "/tmp"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** Runs a command that must succeed; returns its output. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Result r = exec(cmd);
        if (r.code() != 0) {
            fail(String.join(" ", cmd) + " failed (exit " + r.code() + "):\n" + r.output());
        }
        return r.output();
    }
}
