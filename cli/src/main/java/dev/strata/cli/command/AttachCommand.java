package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.AttachOutcome;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach", description = "Attach local standard input, output, and error streams to a running container.")
public final class AttachCommand extends StoreCommand {
    @Option(names = "--no-stdin", description = "Do not attach STDIN.")
    boolean noStdin;

    @Option(names = "--detach-keys", paramLabel = "KEYS", description = "Override the key sequence for detaching a container (default ctrl-p,ctrl-q).")
    String detachKeys;

    @Option(names = "--sig-proxy", arity = "1", paramLabel = "BOOL", defaultValue = "true", description = "Proxy all received signals to the process.")
    boolean sigProxy;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        var spec = strata.containers().spec(strata.containers().find(name));
        boolean stdin = !noStdin && spec.openStdin();
        try (Attached attached = Attached.open(spec.tty(), stdin, detachKeys)) {
            if (sigProxy && !spec.tty()) {
                Attached.proxySignals(strata, name);
            }
            return switch (strata.containers().io().attach(name, attached.streams())) {
                case AttachOutcome.Exited e -> e.exitCode();
                case AttachOutcome.Detached d -> 0;
            };
        }
    }
}
