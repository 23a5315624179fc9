package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/run --strace}: one extra run per row under strace, counting the calls that make data durable. For
 * the daemonless tools strace runs the command ({@code -f} follows every child); for docker it attaches to dockerd
 * and everything below it (containerd, shims) for the duration of the CLI command, since the CLI only talks.
 */
final class Strace {
    static final String CALLS = "fsync,fdatasync,syncfs,sync,sync_file_range,msync";
    static final Path BINARY = Path.of("/usr/bin/strace");
    private static final Pattern CALL = Pattern.compile("^(?:\\[pid\\s+\\d+\\]\\s+|\\d+\\s+)?([a-z_0-9]+)\\(");

    private Strace() {
    }

    /** {@code strace -f -qq -e trace=CALLS -o out argv...}. */
    static List<String> wrap(List<String> argv, Path out) {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-f", "-qq", "-e", "trace=" + CALLS,
                "-o", out.toString()));
        cmd.addAll(argv);
        return cmd;
    }

    /** Attaches to the given processes and their future children; stop with {@link #detach}. */
    static Process attach(List<Long> pids, Path out) throws BenchException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-f", "-qq", "-e", "trace=" + CALLS,
                "-o", out.toString()));
        for (long pid : pids) {
            cmd.addAll(List.of("-p", Long.toString(pid)));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(1000); // attaching takes a moment per thread; dockerd has dozens
            return p;
        } catch (IOException e) {
            throw new BenchException("cannot start strace: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    /** Lets the daemon finish what the command started (write-back of metadata), then stops strace by PID. */
    static void detach(Process strace) {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Exec.terminate(strace.toHandle(), Duration.ofSeconds(10));
    }

    /** Calls by name, from strace's output file (an "unfinished" call and its "resumed" line count once). */
    static Map<String, Integer> count(Path out) {
        Map<String, Integer> counts = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(out)) {
                Matcher m = CALL.matcher(line.strip());
                if (m.find()) {
                    counts.merge(m.group(1), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            counts.put("unreadable", 1);
        }
        return counts;
    }

    static String describe(Map<String, Integer> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }
}
