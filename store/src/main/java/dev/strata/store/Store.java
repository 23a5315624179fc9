package dev.strata.store;

import dev.strata.container.ContainersTable;
import dev.strata.content.ContentStore;
import dev.strata.volume.VolumeStore;
import dev.strata.digest.Digest;
import dev.strata.driver.StorageDriver;
import dev.strata.error.StrataException;
import dev.strata.image.BuildCacheTable;
import dev.strata.image.ImageStore;
import dev.strata.layer.LayerBlobsTable;
import dev.strata.layer.LayerStore;
import dev.strata.metadata.Database;
import dev.strata.metadata.Tx;
import dev.strata.sys.Flock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One open Strata root: the metadata database, the content store, the storage driver, and the layer and image
 * stores on top of them. Several processes may open the same root at once.
 *
 * <p>Every action that writes holds a shared {@link #writeLease()}; the sweep that removes what no row reaches
 * runs only while nobody holds one, so it never deletes the files of an action in flight. The lock is released
 * by the kernel when a process dies, so a killed Strata never blocks the next one. Each lease also leaves a
 * marker in {@code actions/} until it ends: a marker found while no lease is held belongs to a process that
 * died mid-action, and only then does opening the store pay for a sweep.
 */
public final class Store implements AutoCloseable {
    private final Path root;
    private final Database db;
    private final ContentStore content;
    private final StorageDriver driver;
    private final LayerStore layers;
    private final ImageStore images;
    private final ContainersTable containers = new ContainersTable();
    private final VolumeStore volumes;
    private final BuildCacheTable buildCache = new BuildCacheTable();
    private final LayerBlobsTable layerBlobs = new LayerBlobsTable();
    private final StoreLock lock;
    private final Path actions;
    private final Path locks;

    private Store(Path root, Database db, ContentStore content, StorageDriver driver) throws IOException {
        this.root = root;
        this.db = db;
        this.content = content;
        this.driver = driver;
        this.layers = new LayerStore(content, driver);
        this.images = new ImageStore(content);
        this.lock = StoreLock.of(root.resolve("strata.lock"));
        this.volumes = new VolumeStore(root);
        this.actions = Files.createDirectories(root.resolve("actions"));
        this.locks = Files.createDirectories(root.resolve("locks"));
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
            if (store.hasInterruptedActions()) {
                store.sweepIfIdle().report(log);
            }
            return store;
        } catch (IOException | StrataException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/containers}: one directory per container (OCI bundle, logs, exit status). */
    public Path containersDir() {
        return root.resolve("containers");
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

    public ContainersTable containers() {
        return containers;
    }

    public VolumeStore volumes() {
        return volumes;
    }

    /** Which image each build step made on which parent (the {@code build} layer cache). */
    public BuildCacheTable buildCache() {
        return buildCache;
    }

    /** Registry repositories known to hold a compressed form of a layer (pull and push record them). */
    public LayerBlobsTable layerBlobs() {
        return layerBlobs;
    }

    /** Held for the whole of an action that writes files or rows. */
    public Lease writeLease() throws IOException {
        StoreLock.Held held = lock.shared();
        try {
            Path marker = actions.resolve(ProcessHandle.current().pid() + "-" + LEASES.incrementAndGet());
            Files.createFile(marker);
            return new Lease(() -> {
                try {
                    Files.deleteIfExists(marker);
                } finally {
                    held.close();
                }
            });
        } catch (IOException | RuntimeException e) {
            held.close();
            throw e;
        }
    }

    private static final AtomicLong LEASES = new AtomicLong();

    /**
     * Waits for the exclusive lock on unpacking the layer stack {@code chainId} ({@code locks/layer-<hex>}), across
     * processes and within one. Whoever holds it checks for the layer's row, unpacks it only when there is none, and
     * keeps the lock until its transaction committed, so two pulls of one layer unpack it once. Take these locks
     * bottom layer first, under a {@link #writeLease()}.
     */
    public Flock lockLayer(Digest chainId) throws IOException {
        return waitExclusive(locks.resolve("layer-" + chainId.hex()));
    }

    /** Waits for the exclusive lock on writing the resumable ingest {@code ref} ({@code locks/ingest-<ref>}). */
    public Flock lockIngest(String ref) throws IOException {
        return waitExclusive(locks.resolve("ingest-" + ref));
    }

    /**
     * Polls instead of blocking in flock(2): a virtual thread blocked in a native call keeps its carrier thread, and
     * with as many of them waiting as there are cores, the threads that would release the lock could never run.
     */
    private static Flock waitExclusive(Path file) throws IOException {
        long pause = 2;
        while (true) {
            Optional<Flock> lock = Flock.tryExclusive(file);
            if (lock.isPresent()) {
                return lock.get();
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
            }
            pause = Math.min(pause * 2, 50);
        }
    }

    /** A write action's hold on the store; close it when the action is over. */
    public static final class Lease implements AutoCloseable {
        private final StoreLock.Held release;

        private Lease(StoreLock.Held release) {
            this.release = release;
        }

        @Override
        public void close() throws IOException {
            release.close();
        }
    }

    private boolean hasInterruptedActions() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(actions)) {
            return ds.iterator().hasNext();
        }
    }

    /** Sweeps if no action holds a lease right now; otherwise does nothing (a later open will). */
    public SweepReport sweepIfIdle() throws IOException {
        Optional<StoreLock.Held> exclusive = lock.tryExclusive();
        if (exclusive.isEmpty()) {
            return SweepReport.SKIPPED;
        }
        try (StoreLock.Held held = exclusive.get()) {
            return sweepHeld();
        }
    }

    /**
     * Deletes those of {@code blobs} that no row reaches: what a failed action wrote, so that it leaves the store as
     * it was. Only while no action of any process holds a lease (one might be about to reference the same blob);
     * otherwise it does nothing now and a later sweep removes them. Call it after the action's own lease ended.
     * Returns whether it ran.
     */
    public boolean removeBlobsIfUnreached(Collection<Digest> blobs) throws IOException {
        if (blobs.isEmpty()) {
            return true;
        }
        Optional<StoreLock.Held> exclusive = lock.tryExclusive();
        if (exclusive.isEmpty()) {
            return false;
        }
        try (StoreLock.Held held = exclusive.get()) {
            Set<Digest> live = new HashSet<>();
            try (Tx tx = read()) {
                live.addAll(images.blobs(tx));
                live.addAll(layers.blobs(tx));
                tx.commit();
            }
            for (Digest d : blobs) {
                if (!live.contains(d)) {
                    content.delete(d);
                }
            }
            return true;
        }
    }

    /** Waits until no action holds a lease, then sweeps (for {@code system prune}). */
    public SweepReport sweep() throws IOException {
        try (StoreLock.Held held = lock.exclusive()) {
            return sweepHeld();
        }
    }

    private SweepReport sweepHeld() throws IOException {
        SweepReport report = Sweeper.sweep(this);
        // Every marker now belongs to a dead process: nobody else holds the lock. Lock files are only held under a
        // lease, so none is in use either.
        for (Path dir : List.of(actions, locks)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path file : ds) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return report;
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
