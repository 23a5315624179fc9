package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.AttachOutcome;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start one or more stopped containers.")
public final class StartCommand extends StoreCommand {
    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals.")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN.")
    boolean interactive;

    @Option(names = "--detach-keys", paramLabel = "KEYS", description = "Override the key sequence for detaching a container.")
    String detachKeys;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        if (attach || interactive) {
            if (names.size() > 1) {
                throw new InvalidArgumentException("you cannot start and attach multiple containers at once");
            }
            String name = names.getFirst();
            boolean tty = strata.containers().spec(strata.containers().find(name)).tty();
            try (Attached attached = Attached.open(tty, interactive, detachKeys)) {
                if (!tty) {
                    Attached.proxySignals(strata, name);
                }
                return switch (strata.containers().io().startAttached(name, attached.streams())) {
                    case AttachOutcome.Exited e -> e.exitCode();
                    case AttachOutcome.Detached d -> 0;
                };
            } catch (OciRuntimeException e) {
                err().println("Error: " + e.getMessage());
                return e.exitStatus();
            }
        }
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                strata.containers().processes().start(name);
                out().println(name);
            } catch (StrataException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new StrataException(String.join("\n", errors) + "\nError: failed to start containers: " + String.join(", ", names));
        }
        return 0;
    }
}
