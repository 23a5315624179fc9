package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.container.CreateOptions;
import dev.strata.engine.container.HostSpec;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a new container.")
public class CreateCommand extends StoreCommand {
    @Option(names = "--name", description = "Assign a name to the container.")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set environment variables.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>]).")
    String user;

    @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image.")
    String entrypoint;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Set metadata on a container.")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-h", "--hostname"}, description = "Container host name.")
    String hostname;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY.")
    boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached.")
    boolean interactive;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments.")
    List<String> command = new ArrayList<>();

    CreateOptions options() throws InvalidArgumentException {
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            labelMap.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        for (String e : env) {
            if (e.isEmpty() || e.startsWith("=")) {
                throw new InvalidArgumentException("invalid environment variable: \"" + e + "\"");
            }
        }
        return new CreateOptions(image, Optional.ofNullable(name), command,
                Optional.ofNullable(entrypoint).map(e -> e.isEmpty() ? List.<String>of() : List.of(e)), env,
                Optional.ofNullable(workdir), Optional.ofNullable(user), labelMap, Optional.ofNullable(hostname), tty, interactive,
                HostSpec.defaults());
    }

    @Override
    int run(Strata strata) throws IOException, StrataException {
        ContainerSummary c = strata.containers().create(options());
        out().println(c.id());
        return 0;
    }
}
