package dev.strata.engine.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 and a free port, with storage in a temporary
 * directory: open, behind htpasswd Basic auth, or behind a {@link TokenServer}. Stopped by its PID; restartable on
 * the same port and storage, so that a test can take it away mid-transfer and bring it back.
 */
public final class TestRegistry implements AutoCloseable {
    public static final String USER = "strata";
    public static final String PASSWORD = "s3cret-pass";

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private TestRegistry(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    public static TestRegistry open(Path dir) throws Exception {
        return start(dir, "");
    }

    public static TestRegistry basic(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        Process p = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] line = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("htpasswd failed; ./run-tests installs apache2-utils");
        }
        Files.write(htpasswd, line);
        return start(dir, """
                auth:
                  htpasswd:
                    realm: strata-test
                    path: %s
                """.formatted(htpasswd));
    }

    public static TestRegistry token(Path dir, TokenServer tokens) throws Exception {
        return start(dir, """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificate()));
    }

    private static TestRegistry start(Path dir, String auth) throws Exception {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: strata-test-secret
                %s""".formatted(dir.resolve("storage"), port, auth));
        TestRegistry r = new TestRegistry(dir, config, port);
        r.start();
        return r;
    }

    public void start() throws Exception {
        process = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host() + "/v2/").toURL().openConnection();
                c.setConnectTimeout(500);
                int status = c.getResponseCode();
                c.disconnect();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("docker-registry did not start: " + Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }

    /** Kills the registry at once (SIGKILL), as a crash or a pulled cable would end it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:<port>/<path>}. */
    public String ref(String pathAndTag) {
        return host() + "/" + pathAndTag;
    }

    public Path storage() {
        return dir.resolve("storage");
    }

    public List<String> skopeo(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
