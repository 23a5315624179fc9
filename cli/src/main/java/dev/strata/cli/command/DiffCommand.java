package dev.strata.cli.command;

import dev.strata.archive.Change;
import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem.")
public final class DiffCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        for (Change c : strata.containers().diff(name)) {
            out().println(c);
        }
        return 0;
    }
}
