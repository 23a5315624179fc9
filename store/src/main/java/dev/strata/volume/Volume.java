package dev.strata.volume;

import java.time.Instant;
import java.util.Map;

/**
 * A data volume: a directory outside the storage driver that containers mount, which outlives them.
 *
 * @param anonymous made for a container's {@code VOLUME} or {@code -v /path} without a name; {@code rm -v} removes it
 */
public record Volume(String name, Instant created, Map<String, String> labels, boolean anonymous) {
}
