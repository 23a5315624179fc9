package dev.strata.bench.jmh;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.ApplyResult;
import dev.strata.archive.Compression;
import dev.strata.archive.LayerApplier;
import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The layer paths: applying a 32 MiB layer tar (~2,700 files) into an empty tmpfs directory with LayerApplier,
 * writing the same tree back as a tar with LayerWriter (what commit's diff and save do), and decompressing the tar
 * from gzip and zstd (what pull does before applying).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ArchiveBench {
    static final long LAYER_BYTES = 32L << 20;

    private Path source;
    private byte[] tar;
    private byte[] gzip;
    private byte[] zstd;
    private Path targets;
    private Path target;
    private int n;

    @Setup(Level.Trial)
    public void setup() {
        source = Fixture.tree(Fixture.tempDir("strata-jmh-src-"), LAYER_BYTES, 7);
        tar = Fixture.tar(source);
        gzip = Fixture.gzip(tar);
        zstd = Fixture.zstd(tar);
        targets = Fixture.tempDir("strata-jmh-apply-");
        System.err.printf("fixture: tar %d bytes, gzip %d, zstd %d%n", tar.length, gzip.length, zstd.length);
    }

    /** A new empty target for every apply; the last one is deleted first (untimed). */
    @Setup(Level.Invocation)
    public void freshTarget() throws IOException {
        Fixture.delete(target);
        target = Files.createDirectory(targets.resolve("t" + (n++)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Fixture.delete(targets);
        Fixture.delete(source);
    }

    @Benchmark
    public ApplyResult tarApply32MiB() throws IOException {
        return LayerApplier.apply(new ByteArrayInputStream(tar), target, WhiteoutFormat.deleting(), ApplyOptions.defaults());
    }

    @Benchmark
    public long tarDiff32MiB() throws IOException {
        Counting out = new Counting();
        LayerWriter.write(source, WhiteoutFormat.deleting(), out);
        return out.count;
    }

    @Benchmark
    public long gunzip32MiB() throws IOException {
        return drain(Compression.GZIP.decompress(new ByteArrayInputStream(gzip)));
    }

    @Benchmark
    public long unzstd32MiB() throws IOException {
        return drain(Compression.ZSTD.decompress(new ByteArrayInputStream(zstd)));
    }

    private static long drain(InputStream in) throws IOException {
        try (in) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int r;
            while ((r = in.read(buf)) >= 0) {
                total += r;
            }
            return total;
        }
    }

    /** Counts what the writer produces without keeping it. */
    static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
