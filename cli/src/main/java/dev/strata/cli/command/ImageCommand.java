package dev.strata.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata image ...}: the same image commands under Docker's management-command names. */
@Command(name = "image", description = "Manage images.",
        subcommands = {ImportCommand.class, ImageCommand.Ls.class, HistoryCommand.class, InspectCommand.class, TagCommand.class,
            ImageCommand.Rm.class, PruneCommand.class, SaveCommand.class, LoadCommand.class, PullCommand.class, PushCommand.class})
public final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** {@code image ls}: {@code images} under its management name. */
    @Command(name = "ls", aliases = "list", description = "List images.")
    public static final class Ls extends ImagesCommand {
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
