package dev.strata.cli.command;

import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.image.PruneReport;
import dev.strata.engine.image.RemovedItem;
import dev.strata.error.StrataException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove unused images.")
public final class PruneCommand extends StoreCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones.")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
    boolean force;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        String warning = all ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
        if (!force && !Confirm.ask(out(), warning)) {
            return 0;
        }
        PruneReport report = strata.images().prune(all);
        if (!report.removed().isEmpty()) {
            out().println("Deleted Images:");
            for (RemovedItem item : report.removed()) {
                out().println((item.kind() == RemovedItem.Kind.UNTAGGED ? "untagged: " : "deleted: ") + item.name());
            }
            out().println();
        }
        out().println("Total reclaimed space: " + Units.humanSize(report.reclaimedBytes()));
        return 0;
    }
}
