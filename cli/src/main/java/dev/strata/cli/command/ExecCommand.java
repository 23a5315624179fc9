package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.ExecIo;
import dev.strata.engine.container.ExecOptions;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.sys.Terminal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code exec}: the command gets this process's stdin, stdout and stderr (and its terminal, with {@code -t}). */
@Command(name = "exec", description = "Execute a command in a running container.")
public final class ExecCommand extends StoreCommand {
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
    boolean tty;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background.")
    boolean detach;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set environment variables.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>]).")
    String user;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "Command and arguments.")
    List<String> command = new ArrayList<>();

    @Override
    int run(Strata strata) throws IOException, StrataException {
        if (tty && interactive && !detach && !Terminal.isTerminal(0)) {
            throw new InvalidArgumentException("the input device is not a TTY");
        }
        List<String> environment = new ArrayList<>();
        for (String e : env) {
            CreateCommand.variable(e).ifPresent(environment::add); // as run -e: KEY alone takes this process's value
        }
        ExecOptions options = new ExecOptions(command, environment, Optional.ofNullable(workdir), Optional.ofNullable(user), tty,
                interactive, detach);
        out().flush();
        try {
            return strata.containers().io().exec(name, options, new ExecIo.Inherit());
        } catch (OciRuntimeException e) {
            err().println("Error: " + e.getMessage());
            return e.exitStatus();
        }
    }
}
