package dev.strata.bench.jmh;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.digest.DigestingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 as every blob and layer goes through it: {@link Digester#update} of one 64 KiB buffer (the unit every
 * stream in Strata reads), and a 16 MiB stream through {@link DigestingInputStream} read in 64 KiB buffers.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DigestBench {
    static final int BUFFER = 64 * 1024;
    static final int STREAM = 16 << 20;

    private byte[] buffer;
    private byte[] stream;
    private Digester digester;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        buffer = new byte[BUFFER];
        stream = new byte[STREAM];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (byte) rnd.nextInt(256);
        }
        System.arraycopy(stream, 0, buffer, 0, BUFFER);
        digester = new Digester();
    }

    /** One 64 KiB update; ops/s × 64 KiB = bytes/s. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long sha256Update64KiB() {
        digester.update(buffer, 0, BUFFER);
        return digester.bytes();
    }

    /** 16 MiB through DigestingInputStream in 64 KiB reads, then the digest. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Digest sha256Stream16MiB() throws IOException {
        DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(stream));
        byte[] buf = new byte[BUFFER];
        while (in.read(buf, 0, buf.length) >= 0) {
            // hashing happens in read
        }
        return in.digest();
    }
}
