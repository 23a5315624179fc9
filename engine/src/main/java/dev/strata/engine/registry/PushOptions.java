package dev.strata.engine.registry;

/**
 * How to push.
 *
 * @param format the manifest format for an image that has no kept manifest to push as it is
 * @param registry how to reach the registry
 * @param compressionLevel gzip level (1 fastest .. 9 smallest) for layers compressed for the push
 */
public record PushOptions(ManifestFormat format, RegistryOptions registry, int compressionLevel) {
    /** The manifest formats push writes. */
    public enum ManifestFormat { DOCKER_V2_2, OCI }

    public static PushOptions defaults() {
        return new PushOptions(ManifestFormat.DOCKER_V2_2, RegistryOptions.defaults(), 1);
    }

    public static PushOptions of(RegistryOptions registry) {
        return new PushOptions(ManifestFormat.DOCKER_V2_2, registry, 1);
    }

    public PushOptions withFormat(ManifestFormat f) {
        return new PushOptions(f, registry, compressionLevel);
    }
}
