package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.image.RemovedItem;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rmi", description = "Remove one or more images.")
public class RmiCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image.")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents.")
    boolean noPrune;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                print(strata.images().remove(name, force, !noPrune));
            } catch (StrataException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            // docker reports each failed name and goes on with the rest
            throw new StrataException(String.join("\n", errors));
        }
        return 0;
    }

    void print(List<RemovedItem> items) {
        for (RemovedItem item : items) {
            out().println((item.kind() == RemovedItem.Kind.UNTAGGED ? "Untagged: " : "Deleted: ") + item.name());
        }
    }
}
