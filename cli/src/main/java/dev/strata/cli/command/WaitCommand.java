package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes.")
public final class WaitCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                out().println(strata.containers().processes().waitFor(name));
                out().flush();
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
