package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "umount", aliases = "unmount", description = "Unmount containers' root file systems.")
public final class UmountCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        for (String name : names) {
            strata.containers().unmount(name);
            out().println(name);
        }
        return 0;
    }
}
