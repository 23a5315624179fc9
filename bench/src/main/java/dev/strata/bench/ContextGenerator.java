package dev.strata.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A build context of exactly {@code totalBytes}, the same bytes for the same seed on every machine
 * (SplittableRandom's algorithm is specified): ~1,400 files: many small text files in nested directories,
 * fewer medium and large binary files, one Dockerfile. Text is compressible, binary is not, like a real source tree with assets.
 */
final class ContextGenerator {
    static final long DEFAULT_SEED = 20_260_101L;
    static final long DEFAULT_SIZE = 50L * 1024 * 1024;
    static final FileTime MTIME = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
    private static final String[] WORDS = {"layer", "image", "digest", "blob", "chain", "overlay", "mount",
        "tar", "diff", "commit", "container", "volume", "manifest", "config", "index", "driver", "snapshot",
        "content", "store", "lease", "registry", "push", "pull", "build", "stage", "copy", "run", "from"};

    private ContextGenerator() {
    }

    record Summary(int files, long bytes) {
    }

    static Summary generate(Path dir, long seed, long totalBytes) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Files.createDirectories(dir);
        byte[] dockerfile = """
                FROM bench:busybox
                COPY . /ctx
                RUN ["/bin/sh", "-c", "du -s /ctx"]
                """.getBytes(StandardCharsets.UTF_8);
        write(dir.resolve("Dockerfile"), dockerfile);
        long written = dockerfile.length;
        int files = 1;
        while (written < totalBytes) {
            int kind = rnd.nextInt(1000);
            long size;
            Path file;
            boolean text;
            if (kind < 940) { // small source-like text, 256 B .. 16 KiB
                size = 256 + rnd.nextInt(16 * 1024 - 256);
                file = dir.resolve("src/m" + rnd.nextInt(12) + "/p" + rnd.nextInt(10) + "/f" + files + ".txt");
                text = true;
            } else if (kind < 995) { // medium assets, 16 KiB .. 512 KiB
                size = 16 * 1024 + rnd.nextInt(496 * 1024);
                file = dir.resolve("assets/a" + rnd.nextInt(8) + "/b" + files + ".bin");
                text = false;
            } else { // large blobs, 1 .. 4 MiB
                size = 1024 * 1024 + rnd.nextInt(3 * 1024 * 1024);
                file = dir.resolve("vendor/v" + files + ".dat");
                text = false;
            }
            size = Math.min(size, totalBytes - written);
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                long left = size;
                while (left > 0) {
                    int n = (int) Math.min(buf.length, left);
                    if (text) {
                        fillText(rnd, buf, n);
                    } else {
                        fillRandom(rnd, buf, n);
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            Files.setLastModifiedTime(file, MTIME);
            written += size;
            files++;
        }
        try (var dirs = Files.walk(dir)) { // fixed directory mtimes too
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(d, MTIME);
            }
        }
        return new Summary(files, written);
    }

    private static void write(Path file, byte[] data) throws IOException {
        Files.write(file, data);
        Files.setLastModifiedTime(file, MTIME);
    }

    private static void fillText(SplittableRandom rnd, byte[] buf, int n) {
        int i = 0;
        while (i < n) {
            byte[] w = WORDS[rnd.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII);
            for (int j = 0; j < w.length && i < n; j++) {
                buf[i++] = w[j];
            }
            if (i < n) {
                buf[i++] = (byte) (rnd.nextInt(10) == 0 ? '\n' : ' ');
            }
        }
    }

    private static void fillRandom(SplittableRandom rnd, byte[] buf, int n) {
        for (int i = 0; i < n; i += 8) {
            long v = rnd.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                buf[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }
}
