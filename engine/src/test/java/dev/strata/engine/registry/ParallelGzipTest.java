package dev.strata.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import dev.strata.image.Platform;

class ParallelGzipTest {
    private static byte[] gzip(byte[] data, int level) throws Exception {
        try (InputStream in = new ParallelGzip(new ByteArrayInputStream(data), level)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void oneGzipMemberThatDecompressesToTheInputAndIsTheSameEveryTime() throws Exception {
        Random random = new Random(1);
        for (int size : new int[] {0, 1, 1000, ParallelGzip.BLOCK, ParallelGzip.BLOCK * 3, ParallelGzip.BLOCK * 3 + 17}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (random.nextInt(16) + 'a'); // compressible, with matches across block boundaries
            }
            byte[] gz = gzip(data, 1);
            assertThat(gunzip(gz)).as("size " + size).isEqualTo(data);
            assertThat(gzip(data, 1)).isEqualTo(gz);
            // gzip(1) reads it too: one member, right CRC and length
            Process p = new ProcessBuilder("gzip", "-t").start();
            p.getOutputStream().write(gz);
            p.getOutputStream().close();
            assertThat(p.waitFor()).isZero();
        }
    }

    @Test
    void aFailingSourceFailsTheStream() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("source broke");
            }
        };
        assertThatThrownBy(() -> new ParallelGzip(broken, 1).readAllBytes()).hasMessageContaining("source broke");
    }

    @Test
    void platformsParseAndMatchAsIndexesNameThem() throws Exception {
        assertThat(Platform.parse("linux/arm64").matches(new Platform("arm64", "linux", null, "v8"))).isTrue();
        assertThat(Platform.parse("linux/arm64/v8").matches(new Platform("arm64", "linux", null, null))).isTrue();
        assertThat(Platform.parse("linux/arm/v7").matches(new Platform("arm", "linux", null, "v6"))).isFalse();
        assertThat(Platform.parse("amd64").toString()).isEqualTo("linux/amd64");
        assertThat(Platform.parse("linux/x86_64").architecture()).isEqualTo("amd64");
        assertThatThrownBy(() -> Platform.parse("linux/")).isInstanceOf(dev.strata.error.InvalidArgumentException.class);
    }
}
