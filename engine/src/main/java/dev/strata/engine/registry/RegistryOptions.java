package dev.strata.engine.registry;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach registries.
 *
 * @param authFile the docker CLI's {@code config.json} to read credentials from ({@code $DOCKER_CONFIG/config.json}
 *                 or {@code ~/.docker/config.json} by default)
 * @param insecureRegistries registries ({@code host[:port]}) that may be reached over plain HTTP or with a
 *                 certificate that does not verify; {@code localhost} and 127.0.0.0/8 always may, as Docker allows
 * @param tlsVerify false treats every registry of the action as insecure ({@code --tls-verify=false})
 * @param credentials credentials to use instead of those in {@code authFile}
 * @param retry what to retry and how patiently
 * @param uploadChunkSize bytes per PATCH of a blob upload; 0 streams each blob in one PATCH
 * @param parallelTransfers how many blobs move at once
 * @param stallTimeout a download that receives nothing for this long is broken off and resumed (a retry)
 */
public record RegistryOptions(Path authFile, Set<String> insecureRegistries, boolean tlsVerify, Optional<Credentials> credentials,
        RetryPolicy retry, long uploadChunkSize, int parallelTransfers, java.time.Duration stallTimeout) {

    public RegistryOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (parallelTransfers < 1) {
            throw new IllegalArgumentException("parallelTransfers must be at least 1");
        }
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(DockerConfigFile.defaultPath(), Set.of(), true, Optional.empty(), RetryPolicy.DEFAULT, 0, 4,
                java.time.Duration.ofSeconds(60));
    }

    /** Where {@link #load()} reads the list of insecure registries: {@code $STRATA_REGISTRIES_CONFIG}, else this. */
    public static final Path CONFIG = Path.of("/etc/strata/registries.json");

    /**
     * The defaults, with the insecure registries listed in the registries config, a JSON object like Docker's
     * {@code daemon.json}: {@code {"insecure-registries": ["registry.local:5000"]}}. A missing file lists none.
     */
    public static RegistryOptions load() throws java.io.IOException, dev.strata.error.BadContentException {
        String env = System.getenv("STRATA_REGISTRIES_CONFIG");
        Path file = env != null && !env.isEmpty() ? Path.of(env) : CONFIG;
        if (!java.nio.file.Files.isRegularFile(file)) {
            return defaults();
        }
        tools.jackson.databind.JsonNode root;
        try {
            root = dev.strata.image.ImageJson.MAPPER.readTree(java.nio.file.Files.readAllBytes(file));
        } catch (tools.jackson.core.JacksonException e) {
            throw new dev.strata.error.BadContentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        java.util.Set<String> insecure = new java.util.LinkedHashSet<>();
        for (tools.jackson.databind.JsonNode n : root.path("insecure-registries")) {
            insecure.add(RegistryHost.normalizeServer(n.asString("")));
        }
        return defaults().withInsecureRegistries(insecure);
    }

    public RegistryOptions withAuthFile(Path file) {
        return new RegistryOptions(file, insecureRegistries, tlsVerify, credentials, retry, uploadChunkSize, parallelTransfers, stallTimeout);
    }

    public RegistryOptions withInsecureRegistries(Set<String> registries) {
        return new RegistryOptions(authFile, registries, tlsVerify, credentials, retry, uploadChunkSize, parallelTransfers, stallTimeout);
    }

    public RegistryOptions withTlsVerify(boolean verify) {
        return new RegistryOptions(authFile, insecureRegistries, verify, credentials, retry, uploadChunkSize, parallelTransfers, stallTimeout);
    }

    public RegistryOptions withCredentials(Credentials c) {
        return new RegistryOptions(authFile, insecureRegistries, tlsVerify, Optional.of(c), retry, uploadChunkSize, parallelTransfers, stallTimeout);
    }

    public RegistryOptions withRetry(RetryPolicy policy) {
        return new RegistryOptions(authFile, insecureRegistries, tlsVerify, credentials, policy, uploadChunkSize, parallelTransfers, stallTimeout);
    }

    public RegistryOptions withUploadChunkSize(long bytes) {
        return new RegistryOptions(authFile, insecureRegistries, tlsVerify, credentials, retry, bytes, parallelTransfers, stallTimeout);
    }

    public RegistryOptions withStallTimeout(java.time.Duration timeout) {
        return new RegistryOptions(authFile, insecureRegistries, tlsVerify, credentials, retry, uploadChunkSize, parallelTransfers, timeout);
    }

    public RegistryOptions withParallelTransfers(int n) {
        return new RegistryOptions(authFile, insecureRegistries, tlsVerify, credentials, retry, uploadChunkSize, n, stallTimeout);
    }
}
