package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inspect}: containers first, then images, then volumes, as {@code docker inspect} looks names up. */
@Command(name = "inspect", description = "Return low-level information on containers, images and volumes.")
public final class InspectCommand extends StoreCommand {
    @Option(names = "--type", paramLabel = "TYPE", description = "Only look for this type: container, image or volume.")
    String type;

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE", description = Json.FORMAT_HELP)
    String format;

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        if (type != null && !List.of("container", "image", "volume").contains(type)) {
            throw new InvalidArgumentException("\"" + type + "\" is not a valid value for --type");
        }
        return Json.inspectEach(out(), "inspect", format, names, name -> {
            if (wanted("container")) {
                try {
                    return strata.containers().views().inspect(name);
                } catch (NotFoundException | InvalidArgumentException e) {
                    // an image, maybe
                }
            }
            if (wanted("image")) {
                try {
                    return strata.images().inspect(name);
                } catch (NotFoundException | InvalidArgumentException e) {
                    // a volume, maybe
                }
            }
            if (wanted("volume")) {
                try {
                    return VolumeCommand.details(strata.volumes().inspect(name));
                } catch (NotFoundException | InvalidArgumentException e) {
                    // none of them
                }
            }
            throw new NotFoundException("No such " + (type == null ? "object" : type) + ": " + name);
        });
    }

    private boolean wanted(String kind) {
        return type == null || type.equals(kind);
    }
}
