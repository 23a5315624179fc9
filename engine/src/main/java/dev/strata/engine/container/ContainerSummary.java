package dev.strata.engine.container;

import dev.strata.digest.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One container as {@code ps} lists it.
 *
 * @param state running, exited and so on, with times and exit code: {@code ps} makes its STATUS column of it
 * @param size bytes in its writable layer, when asked for ({@code ps -s})
 * @param virtualSize that plus its image's size
 * @param labels its {@code Config.Labels}, empty when none
 * @param mounts the mounts it asked for (volumes named, anonymous ones too)
 * @param networkMode {@code host} or {@code none}
 */
public record ContainerSummary(String id, String name, String image, Digest imageId, List<String> command, Instant created,
        ContainerState state, OptionalLong size, OptionalLong virtualSize, Map<String, String> labels,
        List<MountSpec> mounts, String networkMode) {
}
