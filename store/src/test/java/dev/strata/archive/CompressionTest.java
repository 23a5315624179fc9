package dev.strata.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        }
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Delivers a few bytes per read and reports nothing available, like a slow network stream. */
    static InputStream trickle(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }

    @Test
    void detectsAndDecompresses() throws Exception {
        byte[] data = new RawTar().file("a", "x".repeat(100_000)).bytes();
        assertThat(Compression.decompressed(new ByteArrayInputStream(data)).readAllBytes()).isEqualTo(data);
        assertThat(Compression.decompressed(new ByteArrayInputStream(gzip(data))).readAllBytes()).isEqualTo(data);
        assertThat(Compression.decompressed(new ByteArrayInputStream(Zstd.compress(data))).readAllBytes()).isEqualTo(data);
        byte[] head = Zstd.compress(data);
        assertThat(Compression.detect(head, head.length)).isEqualTo(Compression.ZSTD);
        assertThat(Compression.detect(new byte[] {1}, 1)).isEqualTo(Compression.NONE);
    }

    @Test
    void multiMemberGzipAndMultiFrameZstdAreReadToTheEnd() throws Exception {
        byte[] a = "first member ".repeat(1000).getBytes();
        byte[] b = "second member".repeat(1000).getBytes();
        byte[] gz = concat(gzip(a), gzip(b), gzip(new byte[0]), gzip("third".getBytes()));
        assertThat(Compression.decompressed(trickle(gz)).readAllBytes()).isEqualTo(concat(a, b, "third".getBytes()));
        byte[] zst = concat(Zstd.compress(a), Zstd.compress(b));
        assertThat(Compression.decompressed(trickle(zst)).readAllBytes()).isEqualTo(concat(a, b));
    }

    @Test
    void gnuTarGzipIsApplied() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("hello"), "world");
        Fixtures.run(src, "sh", "-c", "tar -cf - hello | gzip > ../layer.tar.gz; tar -cf - hello | zstd -q > ../layer.tar.zst");
        for (String f : new String[] {"layer.tar.gz", "layer.tar.zst"}) {
            Path target = Files.createDirectories(dir.resolve("out-" + f));
            try (InputStream in = Compression.decompressed(Files.newInputStream(dir.resolve(f)))) {
                LayerApplier.apply(in, target, WhiteoutFormat.deleting(), new ApplyOptions(true));
            }
            assertThat(target.resolve("hello")).hasContent("world");
        }
    }

    @Test
    void xzAndBzip2AreRefusedClearly() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("f"), "x");
        byte[] xz = Fixtures.run(src, "sh", "-c", "tar -cf - f | xz");
        assertThatThrownBy(() -> Compression.decompressed(new ByteArrayInputStream(xz))).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("xz-compressed layer").hasMessageContaining("not supported; use gzip or zstd");
        byte[] bz = {'B', 'Z', 'h', '9', 0x31, 0x41};
        assertThatThrownBy(() -> Compression.decompressed(new ByteArrayInputStream(bz))).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("bzip2-compressed layer");
    }
}
