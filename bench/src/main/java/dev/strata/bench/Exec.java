package dev.strata.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs helper commands (setup, cleanup, version probes), never the measured ones, and captures their output. */
final class Exec {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private Exec() {
    }

    /** Outcome of one helper command. */
    record Result(List<String> command, int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** The last {@code lines} lines of stderr, or of stdout when stderr is empty. */
        String tail(int lines) {
            return Exec.tail(err.isBlank() ? out : err, lines);
        }

        Result check() throws BenchException {
            if (!ok()) {
                throw new BenchException("command failed (exit " + exit + "): " + String.join(" ", command)
                        + "\n" + tail(15));
            }
            return this;
        }
    }

    static Result run(List<String> command) throws BenchException {
        return run(command, Map.of(), DEFAULT_TIMEOUT);
    }

    static Result run(List<String> command, Map<String, String> env, Duration timeout) throws BenchException {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("strata-bench-", ".out");
            err = Files.createTempFile("strata-bench-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            int exit = waitOrKill(p, timeout);
            return new Result(List.copyOf(command), exit, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BenchException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Waits for {@code p}; past the timeout it is sent SIGTERM, then SIGKILL, together with the children it
     * started (by PID). Returns the exit code, or 124 (like timeout(1)) when it had to be killed.
     */
    static int waitOrKill(Process p, Duration timeout) {
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return p.exitValue();
            }
            List<ProcessHandle> children = p.descendants().toList();
            terminate(p.toHandle(), Duration.ofSeconds(10));
            children.forEach(c -> terminate(c, Duration.ofSeconds(5)));
            return 124;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(p.toHandle(), Duration.ofSeconds(5));
            return 130;
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true if the process is gone. */
    static boolean terminate(ProcessHandle h, Duration grace) {
        if (!h.isAlive()) {
            return true;
        }
        h.destroy();
        try {
            h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception timeoutOrInterrupt) {
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported below through isAlive
            }
            return !h.isAlive();
        }
    }

    /** Looks a program up on PATH and in the sbin directories (root's tools live there). */
    static Optional<Path> which(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The first line of a command's stdout, or a short explanation when it fails. */
    static String firstLine(List<String> command) {
        try {
            Result r = run(command, Map.of(), Duration.ofSeconds(30));
            String text = r.out().isBlank() ? r.err() : r.out();
            String line = text.strip().lines().findFirst().orElse("");
            return r.ok() ? line : "unavailable (exit " + r.exit() + ": " + line + ")";
        } catch (BenchException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.strip().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static String tailOfFile(Path file, int lines) {
        try {
            return tail(Files.readString(file, StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
