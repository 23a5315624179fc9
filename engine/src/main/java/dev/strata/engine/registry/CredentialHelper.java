package dev.strata.engine.registry;

import dev.strata.error.StrataException;
import dev.strata.image.ImageJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A docker credential helper, the program {@code docker-credential-<name>} on the PATH, spoken to as the docker CLI
 * does: {@code get} (server URL on stdin, JSON out), {@code store} (JSON in), {@code erase} (server URL in).
 */
final class CredentialHelper {
    private static final String NOT_FOUND = "credentials not found in native keychain";
    private final String name;

    CredentialHelper(String name) {
        this.name = name;
    }

    String program() {
        return "docker-credential-" + name;
    }

    Optional<Credentials> get(String server) throws IOException, StrataException {
        Result r = run("get", server.getBytes(StandardCharsets.UTF_8));
        if (r.code() != 0) {
            if (r.output().contains(NOT_FOUND)) {
                return Optional.empty();
            }
            throw new StrataException(program() + " get failed (exit " + r.code() + "): " + r.output().strip());
        }
        JsonNode node = ImageJson.MAPPER.readTree(r.output());
        String user = node.path("Username").asString("");
        String secret = node.path("Secret").asString("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(user, secret));
    }

    void store(String server, Credentials credentials) throws IOException, StrataException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("ServerURL", server);
        body.put("Username", credentials.username());
        body.put("Secret", credentials.secret());
        Result r = run("store", ImageJson.MAPPER.writeValueAsBytes(body));
        if (r.code() != 0) {
            throw new StrataException(program() + " store failed (exit " + r.code() + "): " + r.output().strip());
        }
    }

    /** Returns false when the helper had no credentials for {@code server}. */
    boolean erase(String server) throws IOException, StrataException {
        Result r = run("erase", server.getBytes(StandardCharsets.UTF_8));
        if (r.code() != 0) {
            if (r.output().contains(NOT_FOUND)) {
                return false;
            }
            throw new StrataException(program() + " erase failed (exit " + r.code() + "): " + r.output().strip());
        }
        return true;
    }

    private record Result(int code, String output) {
    }

    private Result run(String action, byte[] input) throws IOException, StrataException {
        Process p;
        try {
            p = new ProcessBuilder(program(), action).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new StrataException("cannot run the credential helper " + program() + " (named in the docker config): "
                    + e.getMessage());
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new StrataException(program() + " " + action + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + program(), e);
        }
        return new Result(p.exitValue(), out);
    }
}
