package dev.strata.layer;

import dev.strata.archive.ApplyOptions;
import java.io.IOException;
import java.io.InputStream;

/** What goes into a new layer directory of a {@link WritableLayer}: nothing, files written through a mount, or a tar. */
public sealed interface LayerContent {
    /** Nothing: the directory starts empty (a container's read-write layer). */
    record None() implements LayerContent {
    }

    /** Files written into the mounted view of the directory (a container's {@code -init} layer). */
    record Written(InitFiles files) implements LayerContent {
    }

    /** A layer tar applied into the directory itself, with its whiteouts in the driver's format (a migrated layer). */
    record Tar(Opener tar, ApplyOptions options) implements LayerContent {
    }

    /** Opens the tar when the directory is ready for it. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    static LayerContent none() {
        return new None();
    }

    static LayerContent written(InitFiles files) {
        return new Written(files);
    }
}
