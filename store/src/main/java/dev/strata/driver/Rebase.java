package dev.strata.driver;

import java.io.IOException;
import java.util.Optional;

/**
 * An ability of drivers whose layer directories refer to their parents instead of copying them (overlay2's lower
 * stack): a layer made on top of one directory can be put on top of another with the same files (migration finds
 * duplicates only after both were made). Layers made on top of it must be rebased after it.
 */
public interface Rebase {
    void rebase(String id, Optional<String> newParent) throws IOException;
}
