package dev.strata.bench.jmh;

import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.driver.Trees;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Test data made in memory or on a tmpfs, the same on every machine: a layer-like tree (many small text files,
 * some binary ones, a few symlinks) and its tar, gzip and zstd forms. Nothing touches the real disk, so the
 * numbers are CPU and page-cache costs only.
 */
final class Fixture {
    /** tmpfs on every Linux machine; the JVM's temp dir may be on disk. */
    static final Path SCRATCH = Path.of(System.getProperty("strata.jmh.scratch", "/dev/shm"));

    private Fixture() {
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(SCRATCH, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A tree of about {@code totalBytes} in ~{@code totalBytes / 24 KiB} files: 90% text of 256 B..16 KiB in nested
     * directories (compressible), 10% random binary of 16..512 KiB, a symlink per 50 files.
     */
    static Path tree(Path dir, long totalBytes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[512 * 1024];
        long written = 0;
        int n = 0;
        try {
            while (written < totalBytes) {
                boolean text = rnd.nextInt(10) != 0;
                int size = text ? 256 + rnd.nextInt(16 * 1024 - 256) : 16 * 1024 + rnd.nextInt(496 * 1024);
                Path f = dir.resolve("usr/share/d" + rnd.nextInt(16) + "/s" + rnd.nextInt(8) + "/f" + n + (text ? ".txt" : ".bin"));
                Files.createDirectories(f.getParent());
                for (int i = 0; i < size; i++) {
                    buf[i] = text ? (byte) ('a' + (rnd.nextInt(27) % 26)) : (byte) rnd.nextInt(256);
                    if (text && rnd.nextInt(12) == 0) {
                        buf[i] = ' ';
                    }
                }
                try (OutputStream out = Files.newOutputStream(f)) {
                    out.write(buf, 0, size);
                }
                if (n % 50 == 0) {
                    Files.createSymbolicLink(f.resolveSibling("link" + n), f.getFileName());
                }
                written += size;
                n++;
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree as a layer tar, written by Strata's own LayerWriter. */
    static byte[] tar(Path tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
        try {
            LayerWriter.write(tree, WhiteoutFormat.deleting(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
        try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Trees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
