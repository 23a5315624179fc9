package dev.strata.cli.command;

import dev.strata.cli.format.ListFormat;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.container.ContainerState;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.container.HostSpec;
import dev.strata.engine.container.MountSpec;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "ps", description = "List containers.")
public class PsCommand extends StoreCommand {
    /** docker truncates COMMAND to 20 characters, ending in an ellipsis, inside quotes. */
    private static final int COMMAND_WIDTH = 20;
    /** ... and each name in MOUNTS to 15. */
    private static final int MOUNT_WIDTH = 15;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs.")
    boolean quiet;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes.")
    boolean size;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default), json, table TEMPLATE or TEMPLATE: a Go template over ID, Image, Command, CreatedAt, "
                    + "RunningFor, Ports, Status, State, Size, Names, Labels, Mounts, Networks, LocalVolumes.")
    String format;

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

    /** docker's default table; {@code -s} adds SIZE. */
    private static final String TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    /** docker's column titles of the fields. */
    private static final ObjectNode TITLES = ListFormat.object()
            .put("ID", "CONTAINER ID")
            .put("Image", "IMAGE")
            .put("Command", "COMMAND")
            .put("CreatedAt", "CREATED AT")
            .put("RunningFor", "CREATED")
            .put("Ports", "PORTS")
            .put("Status", "STATUS")
            .put("State", "STATE")
            .put("Size", "SIZE")
            .put("Names", "NAMES")
            .put("Labels", "LABELS")
            .put("Mounts", "MOUNTS")
            .put("Networks", "NETWORKS")
            .put("LocalVolumes", "LOCAL VOLUMES");

    @Override
    int run(Strata strata) throws IOException, StrataException {
        ListFormat listFormat = quiet ? null : ListFormat.parse("ps", format, size ? TABLE + "\t{{.Size}}" : TABLE);
        // docker computes sizes only when they are shown: with -s, or a template that uses .Size
        boolean sizes = listFormat != null && (size || listFormat.mentions("Size"));
        List<ContainerSummary> shown = new ArrayList<>();
        for (ContainerSummary c : strata.containers().views().list(all, sizes)) {
            if (all || c.state().running()) {
                shown.add(c);
            }
        }
        if (quiet) {
            shown.forEach(c -> out().println(noTrunc ? c.id() : c.id().substring(0, 12)));
            return 0;
        }
        Instant now = Instant.now();
        List<ObjectNode> rows = new ArrayList<>();
        for (ContainerSummary c : shown) {
            rows.add(fields(c, now));
        }
        out().print(listFormat.render(rows, TITLES));
        return 0;
    }

    /** The container as docker's {@code ps --format} sees it, fields in its JSON's order. */
    private ObjectNode fields(ContainerSummary c, Instant now) {
        String command = String.join(" ", c.command());
        if (!noTrunc && command.codePointCount(0, command.length()) > COMMAND_WIDTH) {
            command = command.substring(0, command.offsetByCodePoints(0, COMMAND_WIDTH - 1)) + "…";
        }
        // A container made from an image ID (a build step's) shows the short ID, as docker ps does.
        String image = !noTrunc && c.image().equals(c.imageId().toString()) ? c.imageId().shortHex() : c.image();
        List<String> labels = new ArrayList<>();
        new TreeMap<>(c.labels()).forEach((k, v) -> labels.add(k + "=" + v));
        List<String> mounts = new ArrayList<>();
        int localVolumes = 0;
        for (MountSpec m : c.mounts()) {
            // docker shows a volume's name, else the source, cut to 15 characters unless --no-trunc
            String name = m.source() == null ? "" : m.source();
            mounts.add(noTrunc || name.length() <= MOUNT_WIDTH ? name : name.substring(0, MOUNT_WIDTH - 1) + "…");
            localVolumes += m.type().equals(MountSpec.VOLUME) ? 1 : 0;
        }
        String size = c.size().isEmpty() ? "0B"
                : Units.humanSize(c.size().getAsLong()) + " (virtual " + Units.humanSize(c.virtualSize().orElse(0)) + ")";
        return ListFormat.object()
                .put("Command", "\"" + command + "\"")
                .put("CreatedAt", Units.goTime(c.created()))
                .put("ID", noTrunc ? c.id() : c.id().substring(0, 12))
                .put("Image", image)
                .put("Labels", String.join(",", labels))
                .put("LocalVolumes", Integer.toString(localVolumes))
                .put("Mounts", String.join(",", mounts))
                .put("Names", c.name())
                .put("Networks", c.networkMode() == null ? HostSpec.NETWORK_HOST : c.networkMode())
                .put("Ports", "")
                .put("RunningFor", Units.createdSince(c.created(), now))
                .put("Size", size)
                .put("State", c.state().status().label())
                .put("Status", status(c.state(), now));
    }
}
