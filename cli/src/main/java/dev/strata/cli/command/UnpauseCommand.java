package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "unpause", description = "Unpause all processes within one or more containers.")
public final class UnpauseCommand extends EachContainer {
    @Override
    void apply(Strata strata, String name) throws IOException, StrataException {
        strata.containers().processes().unpause(name);
    }
}
