package dev.strata.cli;

import dev.strata.engine.image.BusyboxRootfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
