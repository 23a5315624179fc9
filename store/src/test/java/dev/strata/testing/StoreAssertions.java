package dev.strata.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks of a store's on-disk state that several tests share. */
public final class StoreAssertions {
    private StoreAssertions() {
    }

    /** Names of the entries directly under {@code dir} (empty when it does not exist). */
    public static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** No blobs, no ingest files, no layer directories: what a failed first action must leave. */
    public static void assertEmptyStore(Path root, String driver) throws IOException {
        assertThat(entries(root.resolve("blobs/sha256"))).as("blobs").isEmpty();
        assertThat(entries(root.resolve("ingest"))).as("ingest").isEmpty();
        assertThat(layerDirs(root, driver)).as(driver + " layer directories").isEmpty();
        if (driver.equals("overlay2")) {
            assertThat(entries(root.resolve("overlay2/l"))).as("overlay2 short links").isEmpty();
        }
    }

    /** The layer directories of a driver's home (not its own bookkeeping: overlay2's l/, dot files). */
    public static List<String> layerDirs(Path root, String driver) throws IOException {
        return entries(root.resolve(driver)).stream().filter(n -> !n.equals("l") && !n.startsWith(".")).toList();
    }
}
