package dev.strata.engine;

import dev.strata.engine.build.Builder;
import dev.strata.engine.container.Containers;
import dev.strata.engine.image.ImageArchives;
import dev.strata.engine.image.Images;
import dev.strata.engine.registry.RegistryService;
import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.StrataException;
import dev.strata.metadata.Tx;
import dev.strata.driver.FileSystems;
import dev.strata.layer.LayerStore;
import dev.strata.store.Store;
import dev.strata.engine.migrate.MigrateOptions;
import dev.strata.engine.migrate.Migrator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Strata as a library: everything the {@code strata} command does is a method here first. Open one per store
 * root; close it when done. Other processes may use the same root at the same time.
 *
 * <pre>{@code
 * try (Strata strata = Strata.open(StrataOptions.at(Path.of("/var/lib/strata")))) {
 *     Digest id = strata.images().importImage(Files.newInputStream(rootfs), ImportOptions.tagged("base:1")).id();
 * }
 * }</pre>
 *
 * <p>One instance serves many threads: every service it returns is safe to call from many threads at once (each
 * says how), and several processes may share the root as well.
 */
public final class Strata implements AutoCloseable {
    private final Store store;
    private final Images images;
    private final ImageArchives archives;
    private final Containers containers;
    private final SystemService system;
    private final Volumes volumes;
    private final RegistryService registry;
    private final Builder builder;

    private Strata(Store store, RuntimeOptions runtime) {
        this.store = store;
        this.images = new Images(store);
        this.archives = new ImageArchives(store);
        this.volumes = new Volumes(store);
        this.containers = new Containers(store, volumes, runtime);
        this.system = new SystemService(store, images, containers, volumes);
        this.registry = new RegistryService(store);
        this.builder = new Builder(store, images, containers, registry);
    }

    /**
     * Opens the store at {@code options.root()}. When that directory is a Docker ≤ 1.9 data directory (a
     * {@code graph/} directory, a legacy driver's layers, no {@code strata.db}), the store is
     * {@code <root>/strata} instead, and the first open migrates the legacy data into it before returning, with
     * progress on {@code options.log()}; the legacy files themselves are only read.
     */
    public static Strata open(StrataOptions options) throws IOException, StrataException {
        if (!Migrator.isLegacyRoot(options.root())) {
            return new Strata(Store.open(options.root(), options.storageDriver(), options.log()), options.runtime());
        }
        Path storeRoot = options.root().resolve(Migrator.STORE_DIR);
        Strata strata = new Strata(Store.open(storeRoot, options.storageDriver(), options.log()), options.runtime());
        try {
            if (!strata.migrator().migrated(options.root())) {
                options.log().accept(options.root() + " is a Docker <= 1.9 data directory: migrating it into " + storeRoot
                        + " first (the legacy files are only read)");
                strata.migrator().migrate(MigrateOptions.from(options.root()).withProgress(options.log()));
            }
            return strata;
        } catch (IOException | StrataException | RuntimeException e) {
            strata.close();
            throw e;
        }
    }

    /** {@code migrate}: bringing a Docker ≤ 1.9 data directory into this store. */
    public Migrator migrator() {
        return new Migrator(store);
    }

    public Images images() {
        return images;
    }

    /** create, run, start, stop, ps, logs, exec, rm, mount, diff, commit, ... */
    public Containers containers() {
        return containers;
    }

    /** Data volumes. */
    public Volumes volumes() {
        return volumes;
    }

    /** system df and prune. */
    public SystemService system() {
        return system;
    }

    /** {@code save} and {@code load}. */
    public ImageArchives archives() {
        return archives;
    }

    /** {@code pull}, {@code push}, {@code login}, {@code logout}. */
    public RegistryService registry() {
        return registry;
    }

    /** {@code build}: images from Dockerfiles, with a layer cache. */
    public Builder builder() {
        return builder;
    }

    /** Driver, root and counts, for {@code strata info}. */
    public SystemInfo info() throws IOException {
        try (Tx tx = store.read()) {
            long images = store.images().count(tx);
            long layers = store.layers().count(tx);
            tx.commit();
            LayerStore.DriverStatus driver = store.layers().driverStatus();
            return new SystemInfo(store.root(), driver.name(), FileSystems.name(driver.home()), driver.lines(), images, layers);
        }
    }

    /** The storage underneath, for tools and tests that need to look at it. */
    public Store store() {
        return store;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
