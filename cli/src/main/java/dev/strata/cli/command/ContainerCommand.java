package dev.strata.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata container ...}: the container commands under Docker's management-command names. */
@Command(name = "container", description = "Manage containers.",
        subcommands = {CreateCommand.class, ContainerCommand.Ls.class, RmCommand.class, MountCommand.class, UmountCommand.class,
            DiffCommand.class, CommitCommand.class, CpCommand.class, ContainerPruneCommand.class})
public final class ContainerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** {@code container ls}: {@code ps} under its management name. */
    @Command(name = "ls", aliases = {"list", "ps"}, description = "List containers.")
    public static final class Ls extends PsCommand {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create, ls, rm, mount, umount, diff, commit, cp or prune");
    }
}
