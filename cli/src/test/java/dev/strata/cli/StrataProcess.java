package dev.strata.cli;

import dev.strata.engine.image.BusyboxRootfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code strata} CLI in a separate JVM, as a user's second terminal would. */
final class StrataProcess {
    private StrataProcess() {
    }

    static ProcessBuilder builder(Path root, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Runs to completion; returns exit status and combined output. */
    static Result run(Path root, String... args) throws IOException, InterruptedException {
        Process p = builder(root, args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), output);
    }

    /**
     * Runs a strata command line under script(1), which gives it a pseudo-terminal. {@code input} is typed once the
     * output shows {@code prompt} (typed earlier, the line discipline of a terminal not yet in raw mode would eat
     * ctrl-q as XON). Gives up after a minute, killing what it started.
     */
    static Result inTerminal(Path root, String prompt, String input, String... args) throws Exception {
        StringBuilder cmd = new StringBuilder();
        for (String a : builder(root, args).command()) {
            cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        Process p = new ProcessBuilder("script", "-qefc", cmd.toString(), "/dev/null").redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[4096];
            int n;
            try {
                while ((n = p.getInputStream().read(buf)) >= 0) {
                    out.append(new String(buf, 0, n));
                }
            } catch (IOException e) {
                // done
            }
        });
        try {
            if (!input.isEmpty()) {
                RunCommandsTest.eventually("the prompt", Duration.ofSeconds(30), () -> out.toString().contains(prompt));
                p.getOutputStream().write(input.getBytes());
                p.getOutputStream().flush();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("no end after a minute: " + out);
            }
            reader.join(5000);
            return new Result(p.exitValue(), out.toString());
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /**
     * A new overlay2 store at {@code work/root} holding the host's static busybox as {@code busybox}, imported by a
     * {@code strata import} process with {@code importOptions} (e.g. {@code --change}); returns the store's root.
     */
    static Path storeWithBusybox(Path work, String... importOptions) throws Exception {
        Path root = work.resolve("root");
        Path tar = work.resolve("busybox.tar");
        BusyboxRootfs.write(BusyboxRootfs.findOrInstallBusybox(new PrintWriter(new StringWriter())), tar);
        List<String> args = new ArrayList<>(List.of("--storage-driver", "overlay2", "import"));
        args.addAll(List.of(importOptions));
        args.addAll(List.of(tar.toString(), "busybox"));
        Result r = run(root, args.toArray(String[]::new));
        if (r.status() != 0) {
            throw new IllegalStateException("importing busybox failed: " + r.output());
        }
        return root;
    }

    record Result(int status, String output) {
    }
}
