package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** Commands that do one thing to each container named and print its name (stop, kill, restart, pause, ...). */
abstract class EachContainer extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    final int run(Strata strata) throws IOException, StrataException {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                apply(strata, name);
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

    abstract void apply(Strata strata, String name) throws IOException, StrataException;
}
