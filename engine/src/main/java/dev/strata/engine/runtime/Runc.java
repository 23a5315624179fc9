package dev.strata.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OCI runtime's command line ({@code runc}, or {@code crun}, which takes the same commands), with its state in
 * a directory of our own ({@code --root}) and its errors as JSON log lines on stderr, from which the message is
 * taken.
 */
final class Runc {
    private final Path binary;
    private final Path root;

    Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    Path binary() {
        return binary;
    }

    Path root() {
        return root;
    }

    /** The runtime's arguments that come before any command: where its state is, and JSON errors. */
    List<String> globalArgs() {
        return List.of("--root=" + root, "--log-format=json");
    }

    /** Whether the runtime still knows the container (its state directory exists). */
    boolean knows(String id) {
        return Files.isDirectory(root.resolve(id));
    }

    void start(String id) throws IOException, OciRuntimeException {
        run("start", id);
    }

    /** Sends a signal; false when the container has no process to receive it. */
    boolean kill(String id, int signal) throws IOException, OciRuntimeException {
        try {
            run("kill", id, Integer.toString(signal));
            return true;
        } catch (OciRuntimeException e) {
            String m = e.getMessage();
            if (m.contains("not running") || m.contains("process already finished") || m.contains("does not exist")) {
                return false;
            }
            throw e;
        }
    }

    /** Forgets the container, killing what is left of it; a container it does not know is fine. */
    void delete(String id) throws IOException, OciRuntimeException {
        if (!knows(id)) {
            return;
        }
        try {
            run("delete", "--force", id);
        } catch (OciRuntimeException e) {
            if (!e.getMessage().contains("does not exist")) {
                throw e;
            }
        }
    }

    void pause(String id) throws IOException, OciRuntimeException {
        run("pause", id);
    }

    void resume(String id) throws IOException, OciRuntimeException {
        run("resume", id);
    }

    /** {@code created}, {@code running}, {@code paused} or {@code stopped}; empty when it does not know the container. */
    Optional<String> status(String id) throws IOException {
        if (!knows(id)) {
            return Optional.empty();
        }
        try {
            return JsonText.stringField(run("state", id), "status");
        } catch (OciRuntimeException e) {
            return Optional.empty();
        }
    }

    /** Host PIDs of the container's processes. */
    List<Long> pids(String id) throws IOException, OciRuntimeException {
        String json = run("ps", "--format", "json", id);
        List<Long> out = new ArrayList<>();
        for (tools.jackson.databind.JsonNode pid : JsonText.parse(json).orElseThrow(
                () -> new IOException("runc ps printed no JSON: " + json.strip()))) { // null (no processes) iterates as empty
            out.add(pid.asLong());
        }
        return out;
    }

    /** Runs a runtime command; returns its stdout, or throws with the runtime's error message. */
    String run(String... args) throws IOException, OciRuntimeException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(globalArgs());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        byte[][] err = new byte[1][];
        Thread drain = Thread.ofVirtual().start(() -> err[0] = readAll(p.getErrorStream()));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code;
        try {
            code = p.waitFor();
            drain.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(binary + " " + args[0] + " was interrupted");
        }
        if (code != 0) {
            String message = errorMessage(new String(err[0], StandardCharsets.UTF_8));
            throw new OciRuntimeException(binary.getFileName() + " " + args[0] + " failed: " + message, OciRuntimeException.statusFor(message));
        }
        return out;
    }

    /** The messages of a runtime's JSON log lines ({@code {"level":"error","msg":"..."}}), else the text itself. */
    static String errorMessage(String stderr) {
        List<String> messages = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            String l = line.strip();
            if (l.startsWith("{")) {
                Optional<String> level = JsonText.stringField(l, "level");
                Optional<String> msg = JsonText.stringField(l, "msg");
                if (msg.isPresent() && level.map(v -> v.equals("error") || v.equals("fatal")).orElse(true)) {
                    messages.add(msg.get());
                }
            } else if (!l.isEmpty()) {
                messages.add(l);
            }
        }
        return messages.isEmpty() ? stderr.strip() : String.join("; ", messages);
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
