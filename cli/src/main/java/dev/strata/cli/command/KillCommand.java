package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.Signals;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kill", description = "Kill one or more running containers.")
public final class KillCommand extends EachContainer {
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Signal to send to the container (name or number; default KILL).")
    String signal = "KILL";

    @Override
    void apply(Strata strata, String name) throws IOException, StrataException {
        Signals.parse(signal); // a bad signal is an error before any container is touched
        strata.containers().processes().kill(name, signal);
    }
}
