package dev.strata.engine;

import java.nio.file.Path;
import java.util.List;

/** What {@code strata info} shows. */
public record SystemInfo(
        Path root,
        String storageDriver,
        String backingFilesystem,
        List<String[]> driverStatus,
        long images,
        long layers) {
}
