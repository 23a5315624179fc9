package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "mount", description = "Mount a container's root file system and print where it is.")
public final class MountCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        out().println(strata.containers().mount(name));
        return 0;
    }
}
