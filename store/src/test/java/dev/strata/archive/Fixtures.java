package dev.strata.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: running GNU tar and busybox, applying byte arrays. */
final class Fixtures {
    private Fixtures() {
    }

    /** Runs a command, failing the test with its output if it fails; returns stdout. */
    static byte[] run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // reported through the exit code
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        t.join();
        assertThat(rc).as("%s failed: %s", String.join(" ", command), err.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }

    static void sh(Path dir, String script) throws IOException, InterruptedException {
        run(dir, "sh", "-euc", script);
    }

    /** GNU tar of the contents of {@code dir} in the given format, to stdout. */
    static byte[] gnuTar(Path dir, String format, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tar", "--format=" + format, "--numeric-owner", "-cf", "-"));
        cmd.addAll(List.of(extra));
        cmd.add(".");
        return run(dir, cmd.toArray(String[]::new));
    }

    static ApplyResult apply(byte[] tar, Path target, WhiteoutFormat format) throws IOException {
        Files.createDirectories(target);
        return LayerApplier.apply(new ByteArrayInputStream(tar), target, format, new ApplyOptions(true));
    }

    static byte[] reassemble(ApplyResult result, Path root) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarSplit.reassemble(result.tarSplit().newInputStream(), root, out);
        return out.toByteArray();
    }

    static byte[] write(Path root, WhiteoutFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.write(root, format, out);
        return out.toByteArray();
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
