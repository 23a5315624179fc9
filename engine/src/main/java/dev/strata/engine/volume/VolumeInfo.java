package dev.strata.engine.volume;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A volume as {@code volume ls} and {@code volume inspect} show it.
 *
 * @param mountpoint the directory containers see ({@code <root>/volumes/<name>/_data})
 * @param usedBy IDs of the containers that mount it
 */
public record VolumeInfo(String name, Path mountpoint, Instant created, Map<String, String> labels, boolean anonymous,
        List<String> usedBy) {
    public static final String DRIVER = "local";
}
