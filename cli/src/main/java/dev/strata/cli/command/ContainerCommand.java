package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata container ...}: the container commands under Docker's management-command names. */
@Command(name = "container", description = "Manage containers.",
        subcommands = {CreateCommand.class, RunCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
            KillCommand.class, WaitCommand.class, PauseCommand.class, UnpauseCommand.class, AttachCommand.class, ExecCommand.class,
            LogsCommand.class, TopCommand.class, ContainerCommand.Inspect.class, ContainerCommand.Ls.class, RmCommand.class,
            MountCommand.class, UmountCommand.class, DiffCommand.class, CommitCommand.class, CpCommand.class,
            ContainerPruneCommand.class, CleanupCommand.class})
public final class ContainerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** {@code container ls}: {@code ps} under its management name. */
    @Command(name = "ls", aliases = {"list", "ps"}, description = "List containers.")
    public static final class Ls extends PsCommand {
    }

    /** {@code container inspect}: containers only. */
    @Command(name = "inspect", description = "Display detailed information on one or more containers.")
    public static final class Inspect extends StoreCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE", description = Json.FORMAT_HELP)
        String format;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            return Json.inspectEach(out(), "container inspect", format, names, strata.containers().views()::inspect);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create, run, start, stop, restart, kill, wait, pause, unpause, attach, exec, logs, top, inspect, ls, rm, mount, umount, diff, commit, cp or prune");
    }
}
