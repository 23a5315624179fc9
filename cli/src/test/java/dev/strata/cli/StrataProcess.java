package dev.strata.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    record Result(int status, String output) {
    }
}
