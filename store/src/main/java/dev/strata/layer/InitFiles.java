package dev.strata.layer;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the files of a container's {@code -init} layer into its mounted view (the engine knows which files). */
@FunctionalInterface
public interface InitFiles {
    void write(Path root) throws IOException;
}
