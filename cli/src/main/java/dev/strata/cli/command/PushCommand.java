package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.registry.PushOptions;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = "Upload an image to a registry.")
public class PushCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME[:TAG]")
    String name;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "Manifest format for an image that has none to push as it is: v2s2 (Docker, default) or oci.")
    String format = "v2s2";

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output.")
    boolean quiet;

    @Mixin
    RegistryFlags registry = new RegistryFlags();

    @Override
    int run(Strata strata) throws IOException, StrataException {
        PushOptions.ManifestFormat f = switch (format) {
            case "v2s2", "docker" -> PushOptions.ManifestFormat.DOCKER_V2_2;
            case "oci" -> PushOptions.ManifestFormat.OCI;
            default -> throw new InvalidArgumentException("unknown manifest format \"" + format + "\": use v2s2 or oci");
        };
        strata.registry().push(name, PushOptions.of(registry.options()).withFormat(f),
                new ProgressPrinter(out(), ProgressPrinter.stdoutIsTerminal(), quiet));
        return 0;
    }
}
