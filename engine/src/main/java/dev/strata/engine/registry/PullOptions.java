package dev.strata.engine.registry;

import java.util.Optional;

/**
 * How to pull.
 *
 * @param platform the platform to take from an index ({@code --platform}); this host's when empty
 * @param registry how to reach the registry
 */
public record PullOptions(Optional<PlatformSpec> platform, RegistryOptions registry) {
    public static PullOptions defaults() {
        return new PullOptions(Optional.empty(), RegistryOptions.defaults());
    }

    public static PullOptions of(RegistryOptions registry) {
        return new PullOptions(Optional.empty(), registry);
    }

    public PullOptions withPlatform(PlatformSpec p) {
        return new PullOptions(Optional.of(p), registry);
    }
}
