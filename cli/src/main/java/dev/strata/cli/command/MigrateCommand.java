package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.migrate.LegacyDriver;
import dev.strata.engine.migrate.MigrateOptions;
import dev.strata.engine.migrate.MigrationReport;
import dev.strata.engine.migrate.Migrator;
import dev.strata.error.InvalidArgumentException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", description = "Bring a Docker <= 1.9 data directory (images, tags, history, stopped containers with "
        + "their volumes and bind mounts) into the store. The legacy directory is only read; exit status 1 when anything had to be "
        + "skipped.")
public final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The legacy data directory, e.g. /var/lib/docker.")
    Path from;

    @Option(names = "--storage-driver", paramLabel = "DRIVER", defaultValue = "auto",
            description = "The legacy storage driver: aufs, overlay, vfs or auto (default: auto, from repositories-<driver>).")
    String legacyDriver;

    @Option(names = "--precompute", description = "Only compute the layer checksums, into <DIR>/" + Migrator.PRECOMPUTE_DIR + "/"
            + Migrator.PRECOMPUTE_FILE + ", so that the migration later finishes quickly; safe while the old engine runs.")
    boolean precompute;

    @Option(names = "--threads", paramLabel = "N", description = "Layers checksummed at once (default: one per core).")
    Integer threads;

    @Option(names = "--copy", description = "Copy (or reflink) layer files instead of hard-linking them.")
    boolean copy;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Optional<LegacyDriver> driver = Optional.empty();
        if (!legacyDriver.equals("auto")) {
            driver = Optional.of(LegacyDriver.named(legacyDriver).orElseThrow(() -> new InvalidArgumentException(
                    "unknown legacy storage driver \"" + legacyDriver + "\": use aufs, overlay, vfs or auto")));
        }
        MigrateOptions options = MigrateOptions.from(from).withDriver(driver)
                .withReuse(copy ? MigrateOptions.LayerReuse.COPY : MigrateOptions.LayerReuse.LINK)
                .withProgress(line -> {
                    out.println(line);
                    out.flush();
                });
        if (threads != null) {
            if (threads < 1) {
                throw new InvalidArgumentException("--threads must be at least 1");
            }
            options = options.withThreads(threads);
        }
        MigrationReport report;
        if (precompute) {
            report = Migrator.precompute(options);
        } else {
            GlobalOptions main = (GlobalOptions) spec.root().userObject();
            try (Strata strata = main.open(spec.commandLine().getErr())) {
                report = strata.migrator().migrate(options);
            }
        }
        if (!report.complete()) {
            spec.commandLine().getErr().println("Error: " + report.failures().size() + " item(s) could not be migrated and were skipped:");
            for (MigrationReport.Failure f : report.failures()) {
                spec.commandLine().getErr().println("  " + f);
            }
            return 1;
        }
        return 0;
    }
}
