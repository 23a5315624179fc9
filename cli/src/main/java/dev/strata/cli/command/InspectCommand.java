package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.image.ImageDetails;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Display detailed information on one or more images.")
public final class InspectCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> names;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<ImageDetails> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(strata.images().inspect(name));
            } catch (NotFoundException e) {
                missing.add(e.getMessage());
            }
        }
        out().println(Json.pretty(found));
        if (!missing.isEmpty()) {
            throw new NotFoundException(String.join("\n", missing));
        }
        return 0;
    }
}
