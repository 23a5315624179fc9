package dev.strata.engine.registry;

import java.util.Optional;
import dev.strata.image.Platform;

/**
 * How to pull.
 *
 * @param platform the platform to take from an index ({@code --platform}); this host's when empty
 * @param registry how to reach the registry
 */
public record PullOptions(Optional<Platform> platform, RegistryOptions registry) {
    public static PullOptions defaults() {
        return new PullOptions(Optional.empty(), RegistryOptions.defaults());
    }

    public static PullOptions of(RegistryOptions registry) {
        return new PullOptions(Optional.empty(), registry);
    }

    public PullOptions withPlatform(Platform p) {
        return new PullOptions(Optional.of(p), registry);
    }
}
