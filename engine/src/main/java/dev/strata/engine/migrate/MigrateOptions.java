package dev.strata.engine.migrate;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What to migrate and how.
 *
 * @param from the legacy Docker root (e.g. {@code /var/lib/docker}); only read, except for the {@code --precompute}
 *             results in {@code <from>/strata-migration/}
 * @param driver the legacy storage driver; empty to detect it from {@code repositories-<driver>} or the layer dirs
 * @param threads layers checksummed at once (each uses about one core)
 * @param reuse how layer files get into the Strata store
 * @param progress one line per layer as it finishes, failures, and the summary
 */
public record MigrateOptions(Path from, Optional<LegacyDriver> driver, int threads, LayerReuse reuse, Consumer<String> progress) {
    public MigrateOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }

    /** Every core, the driver detected, files linked where that is safe, progress dropped. */
    public static MigrateOptions from(Path legacyRoot) {
        return new MigrateOptions(legacyRoot, Optional.empty(), Runtime.getRuntime().availableProcessors(), LayerReuse.LINK, line -> { });
    }

    public MigrateOptions withThreads(int n) {
        return new MigrateOptions(from, driver, n, reuse, progress);
    }

    public MigrateOptions withDriver(Optional<LegacyDriver> d) {
        return new MigrateOptions(from, d, threads, reuse, progress);
    }

    public MigrateOptions withReuse(LayerReuse r) {
        return new MigrateOptions(from, driver, threads, r, progress);
    }

    public MigrateOptions withProgress(Consumer<String> p) {
        return new MigrateOptions(from, driver, threads, reuse, p);
    }

    /** How a legacy layer's files become the Strata layer's. */
    public enum LayerReuse {
        /**
         * Image-layer files are hard-linked (Docker never writes to an image layer's files, and neither does Strata:
         * overlayfs copies a file up before changing it), reflinked where hard links are impossible, copied where
         * neither works; container layers, which the old engine may still write to, are reflinked or copied.
         */
        LINK,
        /** Every file is reflinked where the file system can (btrfs, XFS), else copied. */
        COPY
    }
}
