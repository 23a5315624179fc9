package dev.strata.cli.command;

import dev.strata.cli.format.ListFormat;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.volume.VolumeInfo;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code strata volume create|ls|inspect|rm|prune}. */
@Command(name = "volume", description = "Manage volumes.",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Inspect.class, VolumeCommand.Rm.class,
            VolumeCommand.Prune.class})
public final class VolumeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create, ls, inspect, rm or prune");
    }

    @Command(name = "create", description = "Create a volume.")
    public static final class Create extends StoreCommand {
        @Parameters(arity = "0..1", paramLabel = "VOLUME")
        String name;

        @Option(names = "--name", description = "Specify volume name.")
        String nameOption;

        @Option(names = {"-d", "--driver"}, description = "Specify volume driver name (only \"local\").")
        String driver = VolumeInfo.DRIVER;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set metadata for a volume.")
        List<String> labels = new ArrayList<>();

        @Override
        int run(Strata strata) throws IOException, StrataException {
            if (!driver.equals(VolumeInfo.DRIVER)) {
                throw new InvalidArgumentException("volume driver \"" + driver + "\" is not supported; only \"local\" is");
            }
            if (name != null && nameOption != null && !name.equals(nameOption)) {
                throw new InvalidArgumentException("conflicting options: either specify --name or provide positional arg, not both");
            }
            Map<String, String> l = new LinkedHashMap<>();
            for (String label : labels) {
                int eq = label.indexOf('=');
                l.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
            }
            VolumeInfo v = strata.volumes().create(Optional.ofNullable(name != null ? name : nameOption), l);
            out().println(v.name());
            return 0;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List volumes.")
    public static final class Ls extends StoreCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display volume names.")
        boolean quiet;

        @Option(names = {"-f", "--filter"}, description = "Filter output: dangling=true|false, name=SUBSTRING.")
        List<String> filters = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "table (default), json, table TEMPLATE or TEMPLATE: a Go template over Name, Driver, Scope, "
                        + "Mountpoint, Labels, Links.")
        String format;

        /** docker's default table. */
        private static final String TABLE = "table {{.Driver}}\t{{.Name}}";

        /** docker's column titles of the fields. */
        private static final ObjectNode TITLES = ListFormat.object()
                .put("Availability", "AVAILABILITY")
                .put("Driver", "DRIVER")
                .put("Group", "GROUP")
                .put("Labels", "LABELS")
                .put("Links", "LINKS")
                .put("Mountpoint", "MOUNTPOINT")
                .put("Name", "VOLUME NAME")
                .put("Scope", "SCOPE")
                .put("Size", "SIZE")
                .put("Status", "STATUS");

        @Override
        int run(Strata strata) throws IOException, StrataException {
            ListFormat listFormat = quiet ? null : ListFormat.parse("volume ls", format, TABLE);
            List<VolumeInfo> shown = new ArrayList<>();
            for (VolumeInfo v : strata.volumes().list()) {
                if (matches(v)) {
                    shown.add(v);
                }
            }
            if (quiet) {
                shown.forEach(v -> out().println(v.name()));
                return 0;
            }
            List<ObjectNode> rows = new ArrayList<>();
            for (VolumeInfo v : shown) {
                List<String> labels = new ArrayList<>();
                new TreeMap<>(v.labels()).forEach((k, value) -> labels.add(k + "=" + value));
                // docker's volume ls row, fields in its JSON's order
                rows.add(ListFormat.object()
                        .put("Availability", "N/A")
                        .put("Driver", VolumeInfo.DRIVER)
                        .put("Group", "N/A")
                        .put("Labels", String.join(",", labels))
                        .put("Links", Integer.toString(v.usedBy().size()))
                        .put("Mountpoint", v.mountpoint().toString())
                        .put("Name", v.name())
                        .put("Scope", "local")
                        .put("Size", "N/A")
                        .put("Status", "N/A"));
            }
            out().print(listFormat.render(rows, TITLES));
            return 0;
        }

        private boolean matches(VolumeInfo v) throws InvalidArgumentException {
            for (String f : filters) {
                int eq = f.indexOf('=');
                String key = eq < 0 ? f : f.substring(0, eq);
                String value = eq < 0 ? "" : f.substring(eq + 1);
                boolean ok = switch (key) {
                    case "dangling" -> Boolean.parseBoolean(value) == v.usedBy().isEmpty();
                    case "name" -> v.name().contains(value);
                    default -> throw new InvalidArgumentException("invalid filter \"" + f + "\": supported filters are dangling and name");
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more volumes.")
    public static final class Inspect extends StoreCommand {
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE", description = Json.FORMAT_HELP)
        String format;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            return Json.inspectEach(out(), "volume inspect", format, names, name -> details(strata.volumes().inspect(name)));
        }
    }

    /** {@code volume inspect}'s object: docker's {@code Volume}. */
    static Map<String, Object> details(VolumeInfo v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreatedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(v.created().atOffset(ZoneOffset.UTC)));
        m.put("Driver", VolumeInfo.DRIVER);
        m.put("Labels", v.labels());
        m.put("Mountpoint", v.mountpoint().toString());
        m.put("Name", v.name());
        m.put("Options", Map.of());
        m.put("Scope", "local");
        return m;
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes (not while a container uses them).")
    public static final class Rm extends StoreCommand {
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Option(names = {"-f", "--force"}, description = "Do not fail for volumes that do not exist.")
        boolean force;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            List<String> errors = new ArrayList<>();
            for (String name : names) {
                try {
                    strata.volumes().remove(name);
                    out().println(name);
                } catch (NotFoundException e) {
                    if (!force) {
                        errors.add(e.getMessage());
                    }
                } catch (StrataException e) {
                    errors.add(e.getMessage());
                }
            }
            if (!errors.isEmpty()) {
                throw new StrataException(String.join("\n", errors));
            }
            return 0;
        }
    }

    @Command(name = "prune", description = "Remove unused anonymous volumes (all unused ones with -a).")
    public static final class Prune extends StoreCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones.")
        boolean all;

        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
        boolean force;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            if (!force && !Confirm.ask(out(), "WARNING! This will remove " + (all ? "all" : "anonymous") + " local volumes not used by at least one container.")) {
                return 0;
            }
            Volumes.PruneResult r = strata.volumes().prune(all);
            if (!r.removed().isEmpty()) {
                out().println("Deleted Volumes:");
                r.removed().forEach(out()::println);
                out().println();
            }
            out().println("Total reclaimed space: " + Units.humanSize(r.reclaimedBytes()));
            return 0;
        }
    }
}
