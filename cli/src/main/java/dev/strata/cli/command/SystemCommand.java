package dev.strata.cli.command;

import dev.strata.cli.format.Table;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.SystemService;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.image.RemovedItem;
import dev.strata.error.StrataException;
import dev.strata.reference.Reference;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata system df|prune|info}. */
@Command(name = "system", description = "Manage Strata.",
        subcommands = {SystemCommand.Df.class, SystemCommand.Prune.class, InfoCommand.class})
public final class SystemCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: df, prune or info");
    }

    @Command(name = "df", description = "Show disk usage.")
    public static final class Df extends StoreCommand {
        @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage.")
        boolean verbose;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            SystemService.DiskUsage du = strata.system().diskUsage();
            if (verbose) {
                printVerbose(du);
                return 0;
            }
            Table t = Table.docker();
            t.row("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
            t.row("Images", Integer.toString(du.images().size()), Long.toString(du.activeImages()), Units.humanSize(du.layersSize()),
                    reclaimable(du.activeImagesReclaimable(), du.layersSize()));
            long running = du.containers().stream().filter(c -> c.state().running()).count();
            long stoppedSize = du.containers().stream().filter(c -> !c.state().running()).mapToLong(c -> c.size().orElse(0)).sum();
            t.row("Containers", Integer.toString(du.containers().size()), Long.toString(running), Units.humanSize(du.containersSize()),
                    reclaimable(stoppedSize, du.containersSize()));
            t.row("Local Volumes", Integer.toString(du.volumes().size()), Long.toString(du.activeVolumes()),
                    Units.humanSize(du.volumesSize()), reclaimable(du.unusedVolumesSize(), du.volumesSize()));
            t.row("Build Cache", "0", "0", "0B", "0B");
            out().print(t.render());
            return 0;
        }

        private static String reclaimable(long part, long total) {
            if (total == 0) {
                return Units.humanSize(part);
            }
            return Units.humanSize(part) + " (" + (part * 100 / total) + "%)";
        }

        private void printVerbose(SystemService.DiskUsage du) {
            Instant now = Instant.now();
            out().println("Images space usage:");
            out().println();
            Table t = Table.docker();
            t.row("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE", "CONTAINERS");
            for (SystemService.ImageUsage u : du.images()) {
                List<Reference> tags = u.image().tags();
                String repo = tags.isEmpty() ? "<none>" : tags.getFirst().familiarName();
                String tag = tags.isEmpty() ? "<none>" : tags.getFirst().tag().orElse("<none>");
                t.row(repo, tag, u.image().id().shortHex(), Units.humanDuration(Duration.between(u.image().created(), now)) + " ago",
                        Units.humanSize(u.image().size()), Units.humanSize(u.sharedSize()), Units.humanSize(u.uniqueSize()),
                        Integer.toString(u.containers()));
            }
            out().print(t.render());
            out().println();
            out().println("Containers space usage:");
            out().println();
            Table c = Table.docker();
            c.row("CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS", "NAMES");
            java.util.Map<String, Long> volumesPerContainer = new java.util.HashMap<>();
            du.volumes().forEach(u -> u.volume().usedBy().forEach(id -> volumesPerContainer.merge(id, 1L, Long::sum)));
            for (ContainerSummary s : du.containers()) {
                c.row(s.id().substring(0, 12), s.image(), "\"" + String.join(" ", s.command()) + "\"",
                        Long.toString(volumesPerContainer.getOrDefault(s.id(), 0L)),
                        Units.humanSize(s.size().orElse(0)), Units.humanDuration(Duration.between(s.created(), now)) + " ago",
                        PsCommand.status(s.state(), now),
                        s.name());
            }
            out().print(c.render());
            out().println();
            out().println("Local Volumes space usage:");
            out().println();
            Table v = Table.docker();
            v.row("VOLUME NAME", "LINKS", "SIZE");
            for (SystemService.VolumeUsage u : du.volumes()) {
                v.row(u.volume().name(), Integer.toString(u.volume().usedBy().size()), Units.humanSize(u.size()));
            }
            out().print(v.render());
            out().println();
            out().println("Build cache usage: 0B");
        }
    }

    @Command(name = "prune", description = "Remove unused data: stopped containers, dangling images and leftovers.")
    public static final class Prune extends StoreCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones.")
        boolean all;

        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
        boolean force;

        @Override
        int run(Strata strata) throws IOException, StrataException {
            String what = all ? "all images without at least one container associated to them" : "all dangling images";
            if (!force && !Confirm.ask(out(), "WARNING! This will remove:\n  - all stopped containers\n  - " + what + "\n")) {
                return 0;
            }
            SystemService.PruneResult r = strata.system().prune(all);
            if (!r.containers().isEmpty()) {
                out().println("Deleted Containers:");
                r.containers().forEach(out()::println);
                out().println();
            }
            if (!r.images().removed().isEmpty()) {
                out().println("Deleted Images:");
                for (RemovedItem item : r.images().removed()) {
                    out().println((item.kind() == RemovedItem.Kind.UNTAGGED ? "untagged: " : "deleted: ") + item.name());
                }
                out().println();
            }
            out().println("Total reclaimed space: " + Units.humanSize(r.reclaimedBytes()));
            return 0;
        }
    }
}
