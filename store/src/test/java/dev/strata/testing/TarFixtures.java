package dev.strata.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds real tarballs with GNU tar from small trees, for tests across modules. */
public final class TarFixtures {
    private TarFixtures() {
    }

    /** Writes {@code files} (path to content; a path ending in "/" is a directory) under {@code dir}. */
    public static Path tree(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (e.getKey().endsWith("/")) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
            }
        }
        return dir;
    }

    /** {@code tar -C dir -cf out .} with numeric owners and sorted names, plus any extra GNU tar options. */
    public static Path tar(Path dir, Path out, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tar", "--numeric-owner", "--sort=name"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-C", dir.toString(), "-cf", out.toString(), "."));
        run(cmd);
        return out;
    }

    /** A small root file system tarball with a few files, distinct per {@code seed}. */
    public static Path rootfs(Path work, String seed) throws IOException {
        Path dir = tree(work.resolve("rootfs-" + seed), Map.of(
                "bin/", "",
                "etc/os-release", "NAME=fixture-" + seed + "\n",
                "etc/hostname", "fixture\n",
                "usr/share/doc/readme", "seed " + seed + "\n".repeat(100),
                "tmp/", ""));
        return tar(dir, work.resolve("rootfs-" + seed + ".tar"));
    }

    public static void run(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
