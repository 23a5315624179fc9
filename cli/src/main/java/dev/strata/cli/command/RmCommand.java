package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove one or more containers.")
public class RmCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL).")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container.")
    boolean volumes;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                strata.containers().remove(name, force, volumes);
                out().println(name);
            } catch (StrataException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new StrataException(String.join("\n", errors));
        }
        return 0;
    }
}
