package dev.strata.layer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A handle on a mounted layer stack: {@link #path()} is its union view. Mounts are counted per process: two holders of
 * one layer share one mount, and closing the last handle unmounts it, unless it was mounted before this process
 * looked (a running container's root file system, {@code strata mount}) or {@link #keep()} handed it over.
 */
public interface Mount extends AutoCloseable {
    /** Where the stack is mounted (overlay2: {@code merged/}; vfs: the layer directory itself). */
    Path path();

    /**
     * Leaves the mount in place when this handle closes: it now belongs to something that outlives this process (a
     * started container, until its clean-up; {@code strata mount}, until {@code umount}). Released by
     * {@link WritableLayer#unmount()}.
     */
    void keep();

    /** Lets go of the mount; the last holder unmounts what this process mounted and did not keep. */
    @Override
    void close() throws IOException;
}
