package dev.strata.driver;

import dev.strata.archive.WhiteoutFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns layers into directories. Each layer (and later each container layer) has a directory named by a random
 * cache ID; the driver decides what lives there: vfs keeps a full copy of the stack, overlay2 keeps only the
 * diff and unions the stack with overlayfs at mount time.
 */
public interface StorageDriver {
    /** {@code vfs}, {@code overlay2}. */
    String name();

    /** The driver's directory under the store root. */
    Path home();

    /** Makes the directory for a new layer on top of {@code parent} (vfs: a full copy of the parent's tree). */
    void create(String id, Optional<String> parent) throws IOException;

    /** Where a layer tar is applied and where its files are read back from (vfs: the full tree). */
    Path diffDir(String id);

    /** How this driver records deletions in {@link #diffDir}. */
    WhiteoutFormat whiteoutFormat();

    boolean exists(String id);

    /** Removes a layer directory and everything in it; a missing one is fine. */
    void remove(String id) throws IOException;

    /** The layer directories on disk, for the sweep that removes those no row reaches. */
    Set<String> ids() throws IOException;

    /** Key/value lines for {@code strata info}. */
    List<String[]> status() throws IOException;
}
