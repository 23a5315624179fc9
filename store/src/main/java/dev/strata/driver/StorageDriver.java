package dev.strata.driver;

import dev.strata.archive.WhiteoutFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns layers into directories: what every storage driver does. Each layer (image layers, and the {@code -init} and
 * writable layers of containers) has a directory named by an ID; the driver decides what lives there: vfs keeps a
 * full copy of the stack, overlay2 keeps only the diff and unions the stack with overlayfs when it is mounted.
 *
 * <p>Abilities only some drivers have are separate small interfaces a driver may also implement: {@link NativeDiff}
 * (what a layer changed, from the driver's own record), {@link Rebase} (re-point a layer at another parent),
 * {@link CopiesParent} (a new directory is a copy of its parent). What a layer changed is otherwise found by comparing
 * its mounted view with its parent's, the same for every driver. A new driver is one class implementing this interface
 * (and the abilities it has) and one entry in {@code Drivers}.
 */
public interface StorageDriver {
    /** {@code vfs}, {@code overlay2}. */
    String name();

    /** The driver's directory under the store root. */
    Path home();

    /** Makes the directory for a new layer on top of {@code parent}. */
    void create(String id, Optional<String> parent) throws IOException;

    /** Where a layer tar is applied and where the layer's own files are (vfs: the full tree; overlay2: diff/). */
    Path diffDir(String id);

    /** How this driver records deletions in {@link #diffDir}. */
    WhiteoutFormat whiteoutFormat();

    /**
     * Makes the layer's whole file system (its stack unioned) available, writable, and returns where; vfs returns
     * the directory itself. Mounting a mounted layer returns the same path. Callers count mounts through the layer
     * store's {@code Mount} handles.
     */
    Path mount(String id) throws IOException;

    /** Undoes {@link #mount}; a layer that is not mounted is fine. */
    void unmount(String id) throws IOException;

    boolean isMounted(String id) throws IOException;

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
