package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.AttachOutcome;
import dev.strata.engine.container.Containers;
import dev.strata.engine.container.CreateOptions;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: create, start, and stay attached unless {@code -d}. Exits as {@code docker run} does: with the
 * container's exit code, 125 when Strata failed, 126 when the command cannot be executed, 127 when it is not found.
 */
@Command(name = "run", description = "Create and run a new container from an image.")
public final class RunCommand extends CreateCommand {
    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID.")
    boolean detach;

    @Option(names = "--detach-keys", paramLabel = "KEYS", description = "Override the key sequence for detaching a container (default ctrl-p,ctrl-q).")
    String detachKeys;

    @Option(names = "--sig-proxy", arity = "1", paramLabel = "BOOL", defaultValue = "true",
            description = "Proxy received signals to the process (default true).")
    boolean sigProxy;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        try {
            CreateOptions options = options();
            if (detach) {
                Containers.RunResult r = strata.containers().run(options, Optional.empty(), id -> { });
                out().println(r.id());
                return 0;
            }
            try (Attached attached = Attached.open(tty, interactive, detachKeys)) {
                Containers.RunResult r = strata.containers().run(options, Optional.of(attached.streams()), id -> {
                    if (sigProxy && !tty) { // as docker: a terminal sends its signals through the terminal
                        Attached.proxySignals(strata, id);
                    }
                });
                return switch (r.outcome().orElseThrow()) {
                    case AttachOutcome.Exited e -> e.exitCode();
                    case AttachOutcome.Detached d -> 0;
                };
            }
        } catch (OciRuntimeException e) {
            return fail(e, e.exitStatus());
        } catch (StrataException | IOException e) {
            return fail(e, 125);
        }
    }

    private int fail(Exception e, int status) {
        err().println("Error: " + e.getMessage());
        err().println("Run 'strata run --help' for more information");
        err().flush();
        return status;
    }
}
