package dev.strata.engine.runtime;

import dev.strata.sys.LinuxException;
import dev.strata.sys.Processes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a container under conmon, as Podman does: conmon daemonizes, runs {@code runc create} with the
 * container's stdio on pipes or a pseudo-terminal it keeps, writes the log and, when the container exits, its
 * exit code; then it runs the exit command. It reports the container's PID, or the runtime's error, as one JSON
 * line on the sync pipe it gets as fd 3 ({@code _OCI_SYNCPIPE}): {@code {"data": 1234}} or
 * {@code {"data": -1, "message": "..."}} (API version 1). The container then waits in runc's "created" state until
 * {@code runc start}. No start pipe is used: Strata moves nothing into cgroups before conmon starts.
 */
final class Conmon {
    /** conmon and the container's init process. */
    record Started(long monitorPid, long pid) {
    }

    /**
     * How the container's stdio is held.
     *
     * @param stdin give the container a stdin pipe (non-tty {@code -i})
     * @param leaveStdinOpen keep it open when an attached client goes (unless {@code run -i} attached it: then the
     *     container sees end of file when the client's input ends, as Docker's StdinOnce does)
     */
    record Stdio(boolean terminal, boolean stdin, boolean leaveStdinOpen) {
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

    private Conmon() {
    }

    static Started create(Path conmon, Runc runc, String id, String name, Path bundle, Stdio stdio, List<String> exitCommand,
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
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("_OCI_SYNCPIPE", "3");
        int[] sync = Processes.pipe();
        String report;
        try {
            long parent;
            try {
                parent = Processes.spawn(args, env, bundle, bundle.resolve(ERR), sync[1]);
            } finally {
                Processes.close(sync[1]);
            }
            int status = Processes.waitFor(parent); // conmon's first process exits as soon as it has forked its daemon
            if (status != 0) {
                throw new OciRuntimeException("conmon failed (exit status " + status + "): " + conmonErrors(bundle), 125);
            }
            report = readLine(sync[0], timeout).orElseThrow(() -> new OciRuntimeException("conmon reported nothing about container "
                    + id + " within " + timeout.toSeconds() + "s" + details(bundle), 125));
        } finally {
            Processes.close(sync[0]);
        }
        long data = JsonText.numberField(report, "data").orElse(-1L);
        if (data <= 0) {
            String message = Runc.errorMessage(JsonText.stringField(report, "message").orElse("no message")).strip();
            throw new OciRuntimeException(message, OciRuntimeException.statusFor(message));
        }
        long monitor = Long.parseLong(Files.readString(bundle.resolve(CONMON_PID_FILE)).strip());
        return new Started(monitor, data);
    }

    private static Optional<String> readLine(int fd, Duration timeout) throws LinuxException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Optional.empty();
            }
            int n = Processes.read(fd, buf, left);
            if (n < 0) {
                return Optional.empty();
            }
            if (n == 0) {
                // conmon died without a word: what it printed before that is the best we have
                return got.size() > 0 ? Optional.of(got.toString(StandardCharsets.UTF_8)) : Optional.of("{\"data\": -1}");
            }
            got.write(buf, 0, n);
            if (got.toString(StandardCharsets.UTF_8).contains("\n")) {
                return Optional.of(got.toString(StandardCharsets.UTF_8));
            }
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
