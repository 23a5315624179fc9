package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata image ...}: the same image commands under Docker's management-command names. */
@Command(name = "image", description = "Manage images.",
        subcommands = {ImportCommand.class, ImageCommand.Ls.class, HistoryCommand.class, ImageCommand.Inspect.class, TagCommand.class,
            ImageCommand.Rm.class, PruneCommand.class, SaveCommand.class, LoadCommand.class, PullCommand.class, PushCommand.class})
public final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** {@code image ls}: {@code images} under its management name. */
    @Command(name = "ls", aliases = "list", description = "List images.")
    public static final class Ls extends ImagesCommand {
    }

    /** {@code image inspect}: images only. */
    @Command(name = "inspect", description = "Display detailed information on one or more images.")
    public static final class Inspect extends StoreCommand {
        @Parameters(arity = "1..*", paramLabel = "IMAGE")
        List<String> names;

        @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE", description = Json.FORMAT_HELP)
        String format;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            return Json.inspectEach(out(), "image inspect", format, names, name -> {
                try {
                    return strata.images().inspect(name);
                } catch (InvalidArgumentException e) {
                    throw new NotFoundException("No such image: " + name);
                }
            });
        }
    }

    /** {@code image rm}: {@code rmi} under its management name. */
    @Command(name = "rm", aliases = "remove", description = "Remove one or more images.")
    public static final class Rm extends RmiCommand {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: import, ls, history, inspect, tag, rm, prune, save, load, pull or push");
    }
}
