package dev.strata.engine.migrate;

import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Not a test: the measurement for the migration note. Usage:
 * {@code java -cp <test+main classpath> dev.strata.engine.migrate.MigrationBenchmark <scratch dir> [runs] [aufs|overlay|vfs]}.
 * Writes a 2 GB legacy root (7 images, {@link LegacyFixture.Scale#TWO_GB}) under the scratch dir once, then
 * migrates it into fresh overlay2 stores (same file system, so layer files are hard-linked) with 1 and 2 threads,
 * after {@code --precompute}, and with copying, and prints each run and the medians. {@code scripts/migrate-bench}
 * runs it next to the machine's limits (tar and openssl over the same files).
 */
public final class MigrationBenchmark {
    private MigrationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        LegacyDriver driver = args.length > 2 ? LegacyDriver.named(args[2]).orElseThrow() : LegacyDriver.AUFS;
        Path legacy = scratch.resolve("legacy-" + driver.dockerName());
        if (!Files.exists(legacy.resolve("done"))) {
            long t0 = System.nanoTime();
            LegacyFixture.Written w = LegacyFixture.write(legacy, driver, LegacyFixture.Scale.TWO_GB);
            Files.writeString(legacy.resolve("done"), "");
            System.out.printf(Locale.ROOT, "generated %s: %d layers, %.2f GB of layer tar, in %.1f s%n", legacy, w.layers().size(),
                    w.tarBytes() / 1e9, (System.nanoTime() - t0) / 1e9);
        }
        if (args.length > 3 && args[3].equals("generate-only")) {
            return;
        }
        record Mode(String name, int threads, boolean precompute, MigrateOptions.LayerReuse reuse) {
        }
        List<Mode> modes = List.of(new Mode("link, 1 thread", 1, false, MigrateOptions.LayerReuse.LINK),
                new Mode("link, 2 threads", 2, false, MigrateOptions.LayerReuse.LINK),
                new Mode("copy, 2 threads", 2, false, MigrateOptions.LayerReuse.COPY),
                new Mode("after --precompute, 2 threads", 2, true, MigrateOptions.LayerReuse.LINK));
        Path precomputed = Migrator.precomputeFile(legacy);
        for (Mode mode : modes) {
            List<Double> seconds = new ArrayList<>();
            double mbps = 0;
            for (int run = 0; run < runs; run++) {
                Files.deleteIfExists(precomputed);
                if (mode.precompute()) {
                    MigrationReport pre = Migrator.precompute(MigrateOptions.from(legacy).withThreads(mode.threads()));
                    if (run == 0) {
                        System.out.printf(Locale.ROOT, "  precompute: %.2f s (%.0f MB/s)%n", pre.seconds(), pre.megabytesPerSecond());
                    }
                }
                Path store = scratch.resolve("store-" + run);
                LegacyFixture.deleteTree(store);
                try (Strata strata = Strata.open(new StrataOptions(store, Optional.of("overlay2"), m -> { }))) {
                    MigrationReport r = strata.migrator().migrate(MigrateOptions.from(legacy).withThreads(mode.threads()).withReuse(mode.reuse()));
                    if (!r.complete()) {
                        throw new IllegalStateException("skipped: " + r.failures());
                    }
                    seconds.add(r.seconds());
                    mbps = r.megabytesPerSecond();
                    System.out.printf(Locale.ROOT, "  %-32s run %d: %s%n", mode.name(), run + 1, r.summary());
                }
                LegacyFixture.deleteTree(store);
            }
            seconds.sort(null);
            double median = seconds.get(seconds.size() / 2);
            System.out.printf(Locale.ROOT, "%-32s median %.2f s over %d runs (last run %.0f MB/s)%n", mode.name(), median, runs, mbps);
        }
        Files.deleteIfExists(precomputed);
    }
}
