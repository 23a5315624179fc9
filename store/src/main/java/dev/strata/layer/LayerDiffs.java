package dev.strata.layer;

import dev.strata.archive.Change;
import dev.strata.archive.Changes;
import dev.strata.archive.LayerWriter;
import dev.strata.driver.NativeDiff;
import dev.strata.driver.StorageDriver;
import dev.strata.driver.Trees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a layer directory changed relative to the one under it: read from the driver's own record where it has one
 * ({@link NativeDiff}), otherwise found the same way for every driver, by comparing the mounted view of the layer
 * with its parent's (an empty directory for none). Like moby's naive diff driver.
 */
final class LayerDiffs {
    private LayerDiffs() {
    }

    static List<Change> changes(StorageDriver driver, String id, Optional<String> parent) throws IOException {
        if (driver instanceof NativeDiff n && n.nativeDiffWorks()) {
            return n.nativeChanges(id);
        }
        return compared(driver, id, parent, (child, base) -> Changes.between(base, child));
    }

    static void diff(StorageDriver driver, String id, Optional<String> parent, OutputStream out) throws IOException {
        if (driver instanceof NativeDiff n && n.nativeDiffWorks()) {
            n.nativeDiff(id, out);
            return;
        }
        compared(driver, id, parent, (child, base) -> {
            LayerWriter.write(child, Changes.between(base, child), out);
            return null;
        });
    }

    static long diffSize(StorageDriver driver, String id, Optional<String> parent) throws IOException {
        if (driver instanceof NativeDiff n && n.nativeDiffWorks()) {
            return n.nativeDiffSize(id);
        }
        return compared(driver, id, parent, (child, base) -> Trees.regularFileBytes(child, Changes.between(base, child)));
    }

    private interface TreePair<T> {
        T apply(Path child, Path base) throws IOException;
    }

    /** Runs {@code work} on the mounted views of a layer and of its parent (an empty directory for none). */
    private static <T> T compared(StorageDriver driver, String id, Optional<String> parent, TreePair<T> work) throws IOException {
        try (Mount child = MountTable.acquire(driver, id)) {
            if (parent.isPresent()) {
                try (Mount base = MountTable.acquire(driver, parent.get())) {
                    return work.apply(child.path(), base.path());
                }
            }
            Path empty = Files.createTempDirectory(driver.home(), ".empty-");
            try {
                return work.apply(child.path(), empty);
            } finally {
                Files.deleteIfExists(empty);
            }
        }
    }
}
