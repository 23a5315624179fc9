package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.image.Platform;
import dev.strata.engine.registry.PullOptions;
import dev.strata.engine.registry.PullResult;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = "Download an image from a registry.")
public class PullCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]")
    String name;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to take from a multi-platform image (default: this host's).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output.")
    boolean quiet;

    @Mixin
    RegistryFlags registry = new RegistryFlags();

    @Override
    int run(Strata strata) throws IOException, StrataException {
        PullOptions options = new PullOptions(platform == null ? Optional.empty() : Optional.of(Platform.parse(platform)),
                registry.options());
        PullResult result = strata.registry().pull(name, options, new ProgressPrinter(out(), ProgressPrinter.stdoutIsTerminal(), quiet));
        out().println(result.reference());
        return 0;
    }
}
