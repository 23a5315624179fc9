package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code container cleanup ID}: what conmon runs when a container exits. It records the exit, unmounts the root
 * file system and removes a {@code --rm} container; a container that is gone already is fine.
 */
@Command(name = "cleanup", hidden = true, description = "Clean up after a container that exited (run by its monitor).")
public final class CleanupCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        try {
            strata.containers().recovery().cleanup(name);
        } catch (NotFoundException e) {
            // removed already
        }
        return 0;
    }
}
