package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inspect}: containers first, then images, as {@code docker inspect} looks names up. */
@Command(name = "inspect", description = "Return low-level information on containers and images.")
public final class InspectCommand extends StoreCommand {
    @Option(names = "--type", paramLabel = "TYPE", description = "Only look for this type: container or image.")
    String type;

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        if (type != null && !type.equals("container") && !type.equals("image")) {
            throw new InvalidArgumentException("\"" + type + "\" is not a valid value for --type");
        }
        List<Object> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Object details = null;
            if (type == null || type.equals("container")) {
                try {
                    details = strata.containers().inspect(name);
                } catch (NotFoundException | InvalidArgumentException e) {
                    // an image, maybe
                }
            }
            if (details == null && (type == null || type.equals("image"))) {
                try {
                    details = strata.images().inspect(name);
                } catch (NotFoundException | InvalidArgumentException e) {
                    // neither
                }
            }
            if (details == null) {
                missing.add("No such " + (type == null ? "object" : type) + ": " + name);
            } else {
                found.add(details);
            }
        }
        out().println(Json.pretty(found));
        if (!missing.isEmpty()) {
            throw new NotFoundException(String.join("\n", missing));
        }
        return 0;
    }
}
