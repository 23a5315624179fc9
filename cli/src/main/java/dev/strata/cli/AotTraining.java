package dev.strata.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training runs for the JVM's AOT caches ({@code -XX:AOTCacheOutput}), started by the {@code ./strata} launcher
 * after each build. A JVM loads every class of its cache at start-up, so there are two caches and the launcher picks
 * one by the command: {@code short} (help of every command, a bad option, the read-only commands against a fresh
 * store, and a container's life short of running it: import of a one-file image, create with mounts, inspect, ps,
 * logs, rm, on vfs so that it needs no mount privileges) keeps quick commands quick; {@code long} adds the data paths (import, a container's
 * commit, push, pull through an in-memory registry, a build without RUN steps, hashing) for the commands that move hundreds of megabytes. Stores live in {@code java.io.tmpdir}, which
 * the launcher points into the build directory. Output goes nowhere.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        boolean dataPaths = args.length > 0 && args[0].equals("long");
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
        lines.add(List.of("--root", c, "inspect", "-f", "{{.State.Status}} {{json .Config}} {{range .Mounts}}{{.Destination}}{{end}}", "trained"));
        lines.add(List.of("--root", c, "ps", "-a"));
        lines.add(List.of("--root", c, "logs", "trained"));
        lines.add(List.of("--root", c, "wait", "trained"));
        if (dataPaths) {
            lines.add(List.of("--root", c, "commit", "-c", "ENV B=2", "-m", "training", "trained", "committed:1"));
        }
        lines.add(List.of("--root", c, "rm", "-f", "trained"));
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> line : lines) {
            Main.run(line.toArray(String[]::new), nowhere, nowhere);
        }
        int registryLines = 0;
        if (dataPaths) {
            registryLines = registry(root, nowhere) + build(c, root, nowhere);
            hashing();
        }
        System.out.println("AOT training: " + (lines.size() + registryLines) + " command lines");
    }

    /**
     * SHA-256 over enough data, in the chunk sizes layers stream in, that the digest loops are hot in the training
     * profile: with the profile in the AOT cache they are compiled early in a real run, instead of the first hundred
     * megabytes of a pull, push or import being hashed by the interpreter (about a second).
     */
    private static void hashing() {
        byte[] chunk = new byte[1 << 17];
        for (int round = 0; round < 4; round++) {
            dev.strata.digest.Digester d = new dev.strata.digest.Digester();
            for (int i = 0; i < 256; i++) {
                d.update(chunk, 0, chunk.length);
            }
            d.digest();
        }
    }

    /**
     * Push and pull, cold and warm, through an in-memory registry: the HTTP client, the registry client and the pull
     * and push paths are most of what a warm pull or push spends its time on. Returns how many command lines ran.
     */
    private static int registry(Path root, PrintWriter nowhere) throws IOException {
        Path tar = root.resolve("training.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            dev.strata.archive.TarWriter w = new dev.strata.archive.TarWriter(out);
            byte[] data = "training\n".repeat(4096).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            w.writeHeader(new dev.strata.archive.TarWriter.Header("etc/", (byte) '5', 0755, 0, 0, 0, 0, "", 0, 0, new java.util.TreeMap<>()));
            w.writeHeader(new dev.strata.archive.TarWriter.Header("etc/training", (byte) '0', 0644, 0, 0, data.length, 0, "", 0, 0,
                    new java.util.TreeMap<>()));
            out.write(data);
            w.pad(data.length);
            w.finish();
        }
        try (TrainingRegistry registry = new TrainingRegistry()) {
            String r = root.toString();
            String pulled = root.resolveSibling(root.getFileName() + "-pulled").toString();
            String auth = root.resolve("docker-config.json").toString();
            String name = registry.host() + "/training/image:1";
            List<List<String>> lines = List.of(
                    List.of("--root", r, "import", tar.toString(), name),
                    List.of("--root", r, "push", "--authfile", auth, name),
                    List.of("--root", r, "push", "--authfile", auth, name),
                    List.of("--root", pulled, "pull", "--authfile", auth, name),
                    List.of("--root", pulled, "pull", "--authfile", auth, name),
                    List.of("--root", pulled, "images", "--digests"));
            for (List<String> line : lines) {
                java.io.StringWriter err = new java.io.StringWriter();
                if (Main.run(line.toArray(String[]::new), nowhere, new PrintWriter(err)) != 0) {
                    System.err.println("AOT training: " + String.join(" ", line) + " failed: " + err);
                }
            }
            return lines.size();
        }
    }

    /** A root file system of one file, as a tarball. */
    /**
     * A build without RUN steps (COPY, ENV, WORKDIR, CMD) on the vfs store of {@code training:1}, cold then from the
     * cache: the parser, the context scan, the scratch-layer commit and the cache lookup. Returns how many command
     * lines ran.
     */
    private static int build(String store, Path root, PrintWriter nowhere) throws IOException {
        Path context = Files.createDirectories(root.resolveSibling(root.getFileName() + "-context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM training:1\nENV A=1\nWORKDIR /app\nCOPY . /app/\nCMD [\"sh\"]\n");
        Files.writeString(context.resolve("data.txt"), "training\n".repeat(1024));
        for (int i = 0; i < 2; i++) {
            Main.run(new String[] {"--root", store, "build", "-q", "-t", "trained:1", context.toString()}, nowhere, nowhere);
        }
        return 2;
    }

    private static void writeTinyImage(Path tarball) throws IOException {
        Path dir = Files.createTempDirectory("strata-aot-rootfs-");
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        try (OutputStream out = Files.newOutputStream(tarball)) {
            dev.strata.archive.LayerWriter.write(dir, dev.strata.archive.WhiteoutFormat.deleting(), out);
        }
    }
}
