package dev.strata.cli.command;

import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.container.Containers;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove all stopped containers.")
public final class ContainerPruneCommand extends StoreCommand {
    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
    boolean force;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        if (!force && !Confirm.ask(out(), "WARNING! This will remove all stopped containers.")) {
            return 0;
        }
        Containers.PruneResult r = strata.containers().prune();
        if (!r.removed().isEmpty()) {
            out().println("Deleted Containers:");
            r.removed().forEach(out()::println);
            out().println();
        }
        out().println("Total reclaimed space: " + Units.humanSize(r.reclaimedBytes()));
        return 0;
    }
}
