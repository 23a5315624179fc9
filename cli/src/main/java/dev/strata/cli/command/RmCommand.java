package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rm", description = "Remove one or more containers.")
public class RmCommand extends EachContainer {
    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL).")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container.")
    boolean volumes;

    @Override
    void apply(Strata strata, String name) throws IOException, StrataException {
        strata.containers().remove(name, force, volumes);
    }
}
