package dev.strata.layer;

import dev.strata.driver.StorageDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mounts this process holds, counted per layer directory (across every open store, since the kernel's mount
 * table is per process too). A directory's entry lives from its first {@link #acquire} to its last release; it
 * remembers whether this process mounted it, so that a mount found in place is never taken down by a handle.
 */
final class MountTable {
    /** One mounted directory: how many handles hold it and whether the last one unmounts it. */
    private static final class Entry {
        final Path path;
        int holders;
        boolean unmountWhenReleased;

        Entry(Path path, boolean unmountWhenReleased) {
            this.path = path;
            this.unmountWhenReleased = unmountWhenReleased;
        }
    }

    private static final ConcurrentHashMap<Path, Entry> ENTRIES = new ConcurrentHashMap<>();

    private MountTable() {
    }

    /** Mounts layer directory {@code id} of {@code driver} (or joins the mount in place) and returns a handle. */
    static Mount acquire(StorageDriver driver, String id) throws IOException {
        Path key = driver.home().resolve(id);
        Entry entry = locked(key, e -> {
            if (e == null) {
                boolean mountedBefore = driver.isMounted(id);
                e = new Entry(driver.mount(id), !mountedBefore);
            }
            e.holders++;
            return e;
        });
        return new Handle(driver, id, key, entry.path);
    }

    /**
     * Takes down the mount of {@code id} that outlived its handles ({@link Mount#keep()}); when handles of this
     * process still hold it, the last of them unmounts it instead.
     */
    static void release(StorageDriver driver, String id) throws IOException {
        Path key = driver.home().resolve(id);
        locked(key, e -> {
            if (e == null) {
                driver.unmount(id);
            } else {
                e.unmountWhenReleased = true;
            }
            return e;
        });
    }

    private static void keep(Path key) {
        ENTRIES.computeIfPresent(key, (k, e) -> {
            e.unmountWhenReleased = false;
            return e;
        });
    }

    private static void close(StorageDriver driver, String id, Path key) throws IOException {
        locked(key, e -> {
            if (e == null || --e.holders > 0) {
                return e;
            }
            if (e.unmountWhenReleased) {
                driver.unmount(id);
            }
            return null;
        });
    }

    /** What to do with a directory's entry (null: none), under the table's lock for that directory. */
    @FunctionalInterface
    private interface Change {
        Entry apply(Entry e) throws IOException;
    }

    /**
     * Runs {@code change} while no other thread changes the entry of {@code key}: mounting and unmounting happen
     * inside, so a thread that joins a mount never sees one that another thread is taking down.
     */
    private static Entry locked(Path key, Change change) throws IOException {
        try {
            return ENTRIES.compute(key, (k, e) -> {
                try {
                    return change.apply(e);
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private record Handle(StorageDriver driver, String id, Path key, Path path, AtomicBoolean closed) implements Mount {
        Handle(StorageDriver driver, String id, Path key, Path path) {
            this(driver, id, key, path, new AtomicBoolean());
        }

        @Override
        public void keep() {
            MountTable.keep(key);
        }

        @Override
        public void close() throws IOException {
            if (closed.compareAndSet(false, true)) {
                MountTable.close(driver, id, key);
            }
        }
    }
}
