package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restart", description = "Restart one or more containers.")
public final class RestartCommand extends EachContainer {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before killing the container (default 10).")
    Integer seconds;

    @Override
    void apply(Strata strata, String name) throws IOException, StrataException {
        strata.containers().processes().restart(name, Optional.ofNullable(seconds).map(Duration::ofSeconds));
    }
}
