package dev.strata.driver;

import dev.strata.archive.Change;
import dev.strata.archive.WhiteoutFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns layers into directories. Each layer (image layers, and the {@code -init} and writable layers of
 * containers) has a directory named by an ID; the driver decides what lives there: vfs keeps a full copy of the
 * stack, overlay2 keeps only the diff and unions the stack with overlayfs when it is mounted.
 */
public interface StorageDriver {
    /** {@code vfs}, {@code overlay2}. */
    String name();

    /** The driver's directory under the store root. */
    Path home();

    /** Makes the directory for a new layer on top of {@code parent} (vfs: a full copy of the parent's tree). */
    void create(String id, Optional<String> parent) throws IOException;

    /**
     * True when {@link #create} copies the parent's files (vfs), so a parent must be complete before a child is
     * created; false when it only refers to the parent (overlay2), so a whole stack can be created first and filled in
     * any order.
     */
    default boolean createCopiesParent() {
        return false;
    }

    /**
     * Puts layer {@code id}, made by {@link #create} on top of one directory, on top of {@code newParent} instead,
     * whose files are the same (migration finds duplicates only after both were made). Layers made on top of
     * {@code id} must be rebased after it. Drivers whose directories are copies have nothing to change.
     */
    default void rebase(String id, Optional<String> newParent) throws IOException {
    }

    /** Where a layer tar is applied and where the layer's own files are (vfs: the full tree; overlay2: diff/). */
    Path diffDir(String id);

    /** How this driver records deletions in {@link #diffDir}. */
    WhiteoutFormat whiteoutFormat();

    /**
     * Makes the layer's whole file system (its stack unioned) available, writable, and returns where; vfs returns
     * the directory itself. Mounting a mounted layer returns the same path.
     */
    Path mount(String id) throws IOException;

    /** Undoes {@link #mount}; a layer that is not mounted is fine. */
    void unmount(String id) throws IOException;

    boolean isMounted(String id) throws IOException;

    /** What the layer {@code id} changed relative to {@code parent}, sorted by path, as {@code diff} shows it. */
    List<Change> changes(String id, Optional<String> parent) throws IOException;

    /** Writes those changes as a layer tar (deterministic: the same changes give the same bytes). */
    void diff(String id, Optional<String> parent, OutputStream out) throws IOException;

    /** Bytes of regular-file content that layer {@code id} adds relative to {@code parent}. */
    long diffSize(String id, Optional<String> parent) throws IOException;

    boolean exists(String id);

    /** Unmounts and removes a layer directory with everything in it; a missing one is fine. */
    void remove(String id) throws IOException;

    /** The layer directories on disk, for the sweep that removes those no row reaches. */
    Set<String> ids() throws IOException;

    /**
     * Where a layer's files are, as {@code inspect} shows under {@code GraphDriver.Data} (overlay2: LowerDir,
     * MergedDir, UpperDir, WorkDir); empty when the driver has nothing to say.
     */
    default Map<String, String> metadata(String id) throws IOException {
        return Map.of();
    }

    /** Key/value lines for {@code strata info}. */
    List<String[]> status() throws IOException;
}
