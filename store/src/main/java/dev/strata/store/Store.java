package dev.strata.store;

import dev.strata.content.ContentStore;
import dev.strata.driver.StorageDriver;
import dev.strata.error.StrataException;
import dev.strata.image.ImageStore;
import dev.strata.layer.LayerStore;
import dev.strata.metadata.Database;
import dev.strata.metadata.Tx;
import dev.strata.sys.Flock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One open Strata root: the metadata database, the content store, the storage driver, and the layer and image
 * stores on top of them. Several processes may open the same root at once.
 *
 * <p>Every action that writes holds a shared {@link #writeLease()}; the sweep that removes what no row reaches
 * runs only while nobody holds one, so it never deletes the files of an action in flight. The lock is an
 * flock, which the kernel releases when a process dies, so a killed Strata never blocks the next one.
 */
public final class Store implements AutoCloseable {
    private final Path root;
    private final Database db;
    private final ContentStore content;
    private final StorageDriver driver;
    private final LayerStore layers;
    private final ImageStore images;
    private final Path lockFile;

    private Store(Path root, Database db, ContentStore content, StorageDriver driver) {
        this.root = root;
        this.db = db;
        this.content = content;
        this.driver = driver;
        this.layers = new LayerStore(content, driver);
        this.images = new ImageStore(content);
        this.lockFile = root.resolve("strata.lock");
    }

    /**
     * Opens (creating if needed) the store at {@code root} with the driver the root was created with, or the one
     * {@code requestedDriver} names for a new root, then sweeps leftovers; {@code log} hears what the sweep removed.
     */
    public static Store open(Path root, Optional<String> requestedDriver, Consumer<String> log) throws IOException, StrataException {
        Files.createDirectories(root);
        Database db = Database.open(root.resolve("strata.db"));
        try {
            StorageDriver driver = Drivers.select(root, db, requestedDriver);
            Store store = new Store(root, db, new ContentStore(root), driver);
            store.sweepIfIdle().report(log);
            return store;
        } catch (IOException | StrataException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Path root() {
        return root;
    }

    public Database db() {
        return db;
    }

    public ContentStore content() {
        return content;
    }

    public StorageDriver driver() {
        return driver;
    }

    public LayerStore layers() {
        return layers;
    }

    public ImageStore images() {
        return images;
    }

    /** Held for the whole of an action that writes files or rows. */
    public Flock writeLease() throws IOException {
        return Flock.shared(lockFile);
    }

    /** Sweeps if no action holds a lease right now; otherwise does nothing (the next open will). */
    public SweepReport sweepIfIdle() throws IOException {
        Optional<Flock> exclusive = Flock.tryExclusive(lockFile);
        if (exclusive.isEmpty()) {
            return SweepReport.SKIPPED;
        }
        try (Flock held = exclusive.get()) {
            return Sweeper.sweep(this);
        }
    }

    /** Waits until no action holds a lease, then sweeps (for {@code system prune}). */
    public SweepReport sweep() throws IOException {
        try (Flock held = Flock.exclusive(lockFile)) {
            return Sweeper.sweep(this);
        }
    }

    public Tx read() throws IOException {
        return db.read();
    }

    public Tx write() throws IOException {
        return db.write();
    }

    @Override
    public void close() throws IOException {
        db.close();
    }
}
