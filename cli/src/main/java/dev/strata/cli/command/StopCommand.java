package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", description = "Stop one or more running containers (the image's STOPSIGNAL or SIGTERM, then SIGKILL).")
public final class StopCommand extends EachContainer {
    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", description = "Seconds to wait before killing the container (default 10).")
    Integer seconds;

    @Override
    void apply(Strata strata, String name) throws IOException, StrataException {
        strata.containers().processes().stop(name, Optional.ofNullable(seconds).map(Duration::ofSeconds));
    }
}
