package dev.strata.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a container under conmon, as Podman does: conmon daemonizes, runs {@code runc create} with the
 * container's stdio on pipes or a pseudo-terminal it keeps, writes the log and, when the container exits, its
 * exit code; then it runs the exit command. It reports the container's PID, or the runtime's error, as one JSON
 * line on the fd named by {@code _OCI_SYNCPIPE}: {@code {"data": 1234}} or {@code {"data": -1, "message": "..."}}
 * (API version 1). The container then waits in runc's "created" state until {@code runc start}. No start pipe
 * is used: Strata moves nothing into cgroups before conmon starts.
 *
 * <p>The "pipe" is a file in the bundle that a shell opens as conmon's fd 3 ({@code exec conmon ... 3>sync}):
 * {@link ProcessBuilder} can pass no other descriptor, and doing without native calls here keeps a container's
 * start from paying for linking a dozen of them. A conmon that dies without a word is noticed by its PID.
 */
final class Conmon {
    /** conmon and the container's init process. */
    record Started(long monitorPid, long pid) {
    }

    static final String LOG = "ctr.log";
    static final String PID_FILE = "pidfile";
    static final String CONMON_PID_FILE = "conmon.pid";
    /** Written by conmon into its persist directory (the bundle): the exit code, and a marker of an OOM kill. */
    static final String EXIT_FILE = "exit";
    static final String OOM_FILE = "oom";
    static final String ATTACH = "attach";
    static final String CTL = "ctl";
    private static final String ERR = "conmon.err";
    private static final String SYNC = "sync";

    private Conmon() {
    }

    static Started create(Path conmon, Runc runc, String id, String name, Path bundle, OciRuntime.Stdio stdio, List<String> exitCommand,
            Duration timeout) throws IOException, OciRuntimeException {
        List<String> args = new ArrayList<>(List.of(conmon.toString(), "--api-version", "1", "-c", id, "-u", id,
                "-r", runc.binary().toString(), "-b", bundle.toString(), "-p", bundle.resolve(PID_FILE).toString(), "-n", name,
                "--persist-dir", bundle.toString(), "--full-attach", "-l", "k8s-file:" + bundle.resolve(LOG),
                "--log-level", "warning", "--conmon-pidfile", bundle.resolve(CONMON_PID_FILE).toString()));
        for (String a : runc.globalArgs()) {
            args.add("--runtime-arg");
            args.add(a);
        }
        if (stdio.terminal()) {
            args.add("-t");
        } else if (stdio.stdin()) {
            args.add("-i");
        }
        if (stdio.leaveStdinOpen()) {
            args.add("--leave-stdin-open");
        }
        if (!exitCommand.isEmpty()) {
            args.add("--exit-command");
            args.add(exitCommand.getFirst());
            for (String a : exitCommand.subList(1, exitCommand.size())) {
                args.add("--exit-command-arg");
                args.add(a);
            }
        }
        Path sync = bundle.resolve(SYNC);
        Files.deleteIfExists(sync);
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" 3>" + quote(sync.toString())));
        shell.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(shell).directory(bundle.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(bundle.resolve(ERR).toFile());
        pb.environment().put("_OCI_SYNCPIPE", "3");
        Process parent = pb.start();
        int status;
        try {
            status = parent.waitFor(); // conmon's first process exits as soon as it has forked its daemon
        } catch (InterruptedException e) {
            parent.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while starting conmon");
        }
        if (status != 0) {
            throw new OciRuntimeException("conmon failed (exit status " + status + "): " + conmonErrors(bundle), 125);
        }
        long monitor = Long.parseLong(Files.readString(bundle.resolve(CONMON_PID_FILE)).strip());
        String report = readLine(sync, monitor, timeout).orElseThrow(() -> new OciRuntimeException("conmon reported nothing about "
                + "container " + id + " within " + timeout.toSeconds() + "s" + details(bundle), 125));
        Files.deleteIfExists(sync);
        long data = JsonText.numberField(report, "data").orElse(-1L);
        if (data <= 0) {
            String message = Runc.errorMessage(JsonText.stringField(report, "message").orElse("no message")).strip();
            throw new OciRuntimeException(message, OciRuntimeException.statusFor(message));
        }
        return new Started(monitor, data);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Waits for conmon's one line; empty on time-out. When conmon is gone before writing a line, what it wrote
     * so far (if anything) is the answer.
     */
    private static Optional<String> readLine(Path sync, long monitor, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (true) {
            String text = Files.exists(sync) ? Files.readString(sync, StandardCharsets.UTF_8) : "";
            if (text.contains("\n")) {
                return Optional.of(text);
            }
            if (ProcInfo.startTime(monitor).isEmpty()) {
                text = Files.exists(sync) ? Files.readString(sync, StandardCharsets.UTF_8) : "";
                return Optional.of(text.isBlank() ? "{\"data\": -1}" : text);
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for conmon");
            }
            pause = Math.min(20, pause + 1);
        }
    }

    private static String conmonErrors(Path bundle) {
        try {
            String text = Files.readString(bundle.resolve(ERR)).strip();
            return text.isEmpty() ? "no message" : text;
        } catch (IOException e) {
            return "no message";
        }
    }

    private static String details(Path bundle) {
        String errors = conmonErrors(bundle);
        return errors.equals("no message") ? "" : ": " + errors;
    }
}
