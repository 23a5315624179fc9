package dev.strata.cli.command;

import dev.strata.engine.registry.RegistryOptions;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by pull, push, login and logout. */
final class RegistryFlags {
    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Require HTTPS and verify certificates (default true; false allows plain HTTP and any certificate).")
    boolean tlsVerify = true;

    @Option(names = "--authfile", paramLabel = "FILE",
            description = "Credentials file (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json).")
    Path authFile;

    RegistryOptions options() throws IOException, StrataException {
        RegistryOptions o = RegistryOptions.load().withTlsVerify(tlsVerify);
        return authFile == null ? o : o.withAuthFile(authFile);
    }
}
