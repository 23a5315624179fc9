package dev.strata.cli.command;

import dev.strata.cli.format.Table;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.container.ContainerState;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List containers.")
public class PsCommand extends StoreCommand {
    /** docker truncates COMMAND to 20 characters, ending in an ellipsis, inside quotes. */
    private static final int COMMAND_WIDTH = 20;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs.")
    boolean quiet;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes.")
    boolean size;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    /** Docker's STATUS column: {@code Up 2 minutes}, {@code Up 5 seconds (Paused)}, {@code Exited (0) 3 seconds ago}, {@code Created}. */
    static String status(ContainerState s, Instant now) {
        if (s.running()) {
            String up = "Up " + Units.humanDuration(Duration.between(s.startedAt().orElse(now), now));
            return s.paused() ? up + " (Paused)" : up;
        }
        if (s.startedAt().isEmpty()) {
            return "Created";
        }
        if (s.finishedAt().isEmpty()) {
            return "";
        }
        return "Exited (" + s.exitCode() + ") " + Units.humanDuration(Duration.between(s.finishedAt().get(), now)) + " ago";
    }

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<ContainerSummary> list = strata.containers().list(all, size && !quiet);
        List<ContainerSummary> shown = new ArrayList<>();
        for (ContainerSummary c : list) {
            if (all || c.state().running()) {
                shown.add(c);
            }
        }
        if (quiet) {
            shown.forEach(c -> out().println(noTrunc ? c.id() : c.id().substring(0, 12)));
            return 0;
        }
        Instant now = Instant.now();
        Table table = Table.docker();
        List<String> header = new ArrayList<>(List.of("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"));
        if (size) {
            header.add("SIZE");
        }
        table.row(header);
        for (ContainerSummary c : shown) {
            String command = String.join(" ", c.command());
            if (!noTrunc && command.codePointCount(0, command.length()) > COMMAND_WIDTH) {
                command = command.substring(0, command.offsetByCodePoints(0, COMMAND_WIDTH - 1)) + "…";
            }
            // A container made from an image ID (a build step's) shows the short ID, as docker ps does.
            String image = !noTrunc && c.image().equals(c.imageId().toString()) ? c.imageId().shortHex() : c.image();
            List<String> row = new ArrayList<>(List.of(noTrunc ? c.id() : c.id().substring(0, 12), image, "\"" + command + "\"",
                    Units.humanDuration(Duration.between(c.created(), now)) + " ago", status(c.state(), now), "", c.name()));
            if (size) {
                row.add(Units.humanSize(c.size().orElse(0)) + " (virtual " + Units.humanSize(c.virtualSize().orElse(0)) + ")");
            }
            table.row(row);
        }
        out().print(table.render());
        return 0;
    }
}
