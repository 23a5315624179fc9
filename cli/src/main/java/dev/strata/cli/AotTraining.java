package dev.strata.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run for the JVM's AOT cache ({@code -XX:AOTCacheOutput}), started by the {@code ./strata}
 * launcher after each build. It runs what short invocations run: help of every command, a bad option, the
 * read-only commands against a fresh store in {@code java.io.tmpdir} (the launcher points that into the build
 * directory), and a container's life short of running it (import of a one-file image, create with mounts,
 * inspect, ps, logs, rm, on vfs so that it needs no mount privileges), so that picocli, SQLite, the store's
 * start-up paths and the JSON of container definitions are in the cache. Output goes nowhere.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("strata-aot-root-");
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("--help"));
        lines.add(List.of("--version"));
        lines.add(List.of("--no-such-option"));
        for (String command : Main.commandNames()) {
            lines.add(List.of(command, "--help"));
        }
        String r = root.toString();
        lines.add(List.of("--root", r, "images"));
        lines.add(List.of("--root", r, "images", "--format", "json"));
        lines.add(List.of("--root", r, "ps", "-a"));
        lines.add(List.of("--root", r, "info"));
        lines.add(List.of("--root", r, "system", "df"));
        lines.add(List.of("--root", r, "history", "no-such-image"));
        lines.add(List.of("--root", r, "inspect", "Not/Valid:"));
        Path image = root.resolveSibling(root.getFileName() + "-image.tar");
        writeTinyImage(image);
        String c = root.resolveSibling(root.getFileName() + "-containers").toString();
        lines.add(List.of("--root", c, "--storage-driver", "vfs", "import", "--change", "CMD [\"sh\"]", image.toString(), "training:1"));
        lines.add(List.of("--root", c, "create", "--name", "trained", "-e", "A=1", "-v", "/tmp:/host-tmp:ro", "--tmpfs", "/t",
                "--network", "none", "--init", "training:1", "sh", "-c", "true"));
        lines.add(List.of("--root", c, "inspect", "trained", "training:1"));
        lines.add(List.of("--root", c, "ps", "-a"));
        lines.add(List.of("--root", c, "logs", "trained"));
        lines.add(List.of("--root", c, "wait", "trained"));
        lines.add(List.of("--root", c, "rm", "-f", "trained"));
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> line : lines) {
            Main.run(line.toArray(String[]::new), nowhere, nowhere);
        }
        System.out.println("AOT training: " + lines.size() + " command lines");
    }

    /** A root file system of one file, as a tarball. */
    private static void writeTinyImage(Path tarball) throws IOException {
        Path dir = Files.createTempDirectory("strata-aot-rootfs-");
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        try (OutputStream out = Files.newOutputStream(tarball)) {
            dev.strata.archive.LayerWriter.write(dir, dev.strata.archive.WhiteoutFormat.deleting(), out);
        }
    }
}
