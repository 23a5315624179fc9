package dev.strata.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Not a test: measures apply throughput on a real layer tar. Usage:
 * {@code java -cp <test+main classpath> dev.strata.archive.ApplyBenchmark <layer.tar> <scratch dir> [rounds]}.
 * Each round applies into a fresh directory (overlay format), then the tar-split is reassembled and the writer
 * re-exports the tree; the page cache is warm after round 1, so later rounds show the CPU cost.
 */
public final class ApplyBenchmark {
    private ApplyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path tar = Path.of(args[0]);
        Path scratch = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long bytes = Files.size(tar);
        for (int i = 0; i < rounds; i++) {
            Path target = Files.createDirectories(scratch.resolve("round-" + i));
            long t0 = System.nanoTime();
            ApplyResult r;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 20)) {
                r = LayerApplier.apply(in, target, WhiteoutFormat.overlay(), ApplyOptions.defaults());
            }
            long t1 = System.nanoTime();
            dev.strata.digest.Digester rebuilt = new dev.strata.digest.Digester();
            try (OutputStream out = new OutputStream() {
                @Override
                public void write(int b) {
                    rebuilt.update(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    rebuilt.update(b, off, len);
                }
            }) {
                TarSplit.reassemble(r.tarSplit().newInputStream(), target, out);
            }
            if (i == 0) {
                dev.strata.digest.Digest original = dev.strata.digest.Digester.of(Files.readAllBytes(tar));
                System.out.println("reassembled tar " + (rebuilt.digest().equals(original) ? "matches" : "DIFFERS FROM")
                        + " the original (" + original + ")");
            }
            long t2 = System.nanoTime();
            try (OutputStream out = OutputStream.nullOutputStream()) {
                LayerWriter.write(target, WhiteoutFormat.overlay(), out);
            }
            long t3 = System.nanoTime();
            System.out.printf("round %d: apply %d entries, %.1f MB in %.0f ms = %.0f MB/s (tar-split %d KB); "
                    + "reassemble %.0f ms; write %.0f ms%n", i, r.entries(), bytes / 1e6, (t1 - t0) / 1e6,
                    bytes / 1e6 / ((t1 - t0) / 1e9), r.tarSplit().length() / 1024, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            if (i == 0) {
                // Determinism on a real tree: write, apply what was written, write again: same DiffID.
                Path again = Files.createDirectories(scratch.resolve("again"));
                java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
                LayerWriter.write(target, WhiteoutFormat.overlay(), first);
                LayerApplier.apply(new java.io.ByteArrayInputStream(first.toByteArray()), again, WhiteoutFormat.overlay(),
                        ApplyOptions.defaults());
                java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();
                LayerWriter.write(again, WhiteoutFormat.overlay(), second);
                System.out.println("written layer " + dev.strata.digest.Digester.of(first.toByteArray()) + " rewritten "
                        + dev.strata.digest.Digester.of(second.toByteArray()));
                delete(again);
            }
            delete(target);
        }
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(x);
            }
        }
    }
}
