package dev.strata.layer;

import dev.strata.archive.Change;
import dev.strata.driver.StorageDriver;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-write layer on top of a layer stack, as one resource. A container's has two driver directories, the
 * {@code -init} layer (the files Docker puts in every container) and the writable layer on it, created and removed
 * together by the {@link LayerStore}; a {@link ScratchLayer}'s has one. What it changed is what its own directory
 * holds relative to the layer under it ({@link #changes()}, {@link #diff}); {@link #mount()} gives a counted handle on
 * its union view.
 */
public final class WritableLayer {
    private static final String INIT = "-init";

    private final StorageDriver driver;
    private final String dir;
    private final Optional<String> init;
    private final Optional<String> base;

    private WritableLayer(StorageDriver driver, String dir, Optional<String> init, Optional<String> base) {
        this.driver = driver;
        this.dir = dir;
        this.init = init;
        this.base = base;
    }

    /** The writable layer of container {@code id}: directories {@code <id>-init} and {@code <id>}. */
    static WritableLayer ofContainer(StorageDriver driver, String id) {
        return new WritableLayer(driver, id, Optional.of(id + INIT), Optional.of(id + INIT));
    }

    /** A lone directory on top of {@code base} (none: an empty file system). */
    static WritableLayer lone(StorageDriver driver, String dir, Optional<String> base) {
        return new WritableLayer(driver, dir, Optional.empty(), base);
    }

    /** The driver directories a container's writable layer has, for the sweep that keeps what rows reach. */
    static Set<String> directoriesOf(String containerId) {
        return Set.of(containerId, containerId + INIT);
    }

    /** The driver directory of its init layer, when it has one. */
    Optional<String> initDirectory() {
        return init;
    }

    String directory() {
        return dir;
    }

    /** Mounts its union view (or joins the mount in place); close the handle when done. */
    public Mount mount() throws IOException {
        return MountTable.acquire(driver, dir);
    }

    /**
     * Takes down a mount that outlived its handle ({@link Mount#keep()}): a container's root file system after it
     * exited, {@code strata umount}. A layer that is not mounted is fine.
     */
    public void unmount() throws IOException {
        MountTable.release(driver, dir);
    }

    /** What it changed, sorted by path, as {@code diff} shows it. */
    public List<Change> changes() throws IOException {
        return LayerDiffs.changes(driver, dir, base);
    }

    /** Writes what it changed as a layer tar (deterministic: the same changes give the same bytes). */
    public void diff(OutputStream out) throws IOException {
        LayerDiffs.diff(driver, dir, base, out);
    }

    /** Bytes of regular-file content it adds. */
    public long diffSize() throws IOException {
        return LayerDiffs.diffSize(driver, dir, base);
    }

    /** Where its files are, as {@code inspect} shows under {@code GraphDriver.Data}. */
    public Map<String, String> metadata() throws IOException {
        return driver.metadata(dir);
    }

    /** Unmounts and deletes its directories; what is gone already is fine. */
    public void remove() throws IOException {
        driver.remove(dir);
        if (init.isPresent()) {
            driver.remove(init.get());
        }
    }
}
