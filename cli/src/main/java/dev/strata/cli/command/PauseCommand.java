package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "pause", description = "Pause all processes within one or more containers (cgroup freezer).")
public final class PauseCommand extends EachContainer {
    @Override
    void apply(Strata strata, String name) throws IOException, StrataException {
        strata.containers().processes().pause(name);
    }
}
