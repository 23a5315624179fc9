package dev.strata.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A local registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 and a free port, with its
 * storage in the area, for the pull and push operations. Stopped by PID.
 */
final class Registry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;
    private final Path dir;
    private final boolean deleteOnClose;
    private final Cleanup.Registration registration;

    private Registry(Process process, int port, Path dir, boolean deleteOnClose, Cleanup cleanup) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        Cleanup.daemonStarted(process.pid());
        this.registration = cleanup.push("stop registry (pid " + process.pid() + ")", () -> {
            Exec.terminate(process.toHandle(), Duration.ofSeconds(10));
            Cleanup.daemonStopped(process.pid());
        });
    }

    /** Starts a registry with its storage in {@code dir}; on a tmpfs the storage is deleted when it stops. */
    static Registry start(StorageArea area, Path dir, Path logDir, Cleanup cleanup) throws BenchException {
        Cleanup.checkNotShuttingDown();
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Path log = logDir.resolve("registry-" + area.kind().label() + ".log");
        Process p;
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(logDir);
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("data"), port));
            p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + BINARY + ": " + e.getMessage(), e);
        }
        Registry r = new Registry(p, port, dir, area.kind() == StorageKind.TMPFS, cleanup);
        try {
            r.waitReady(log);
        } catch (BenchException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** {@code 127.0.0.1:<port>}: docker treats loopback registries as insecure (plain HTTP) by default. */
    String address() {
        return "127.0.0.1:" + port;
    }

    private void waitReady(Path log) throws BenchException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchException("registry exited with " + process.exitValue() + "; log " + log + ":\n"
                        + Exec.tailOfFile(log, 10));
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
        throw new BenchException("registry did not answer on " + address() + "; log " + log + ":\n"
                + Exec.tailOfFile(log, 10));
    }

    static String version() {
        return Exec.firstLine(List.of(BINARY.toString(), "--version"));
    }

    private static int freePort() throws BenchException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BenchException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        registration.close();
        if (deleteOnClose) {
            try {
                Mounts.deleteTree(dir);
            } catch (BenchException e) {
                System.err.println("warning: " + e.getMessage());
            }
        }
    }
}
