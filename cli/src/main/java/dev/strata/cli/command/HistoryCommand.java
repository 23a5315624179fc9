package dev.strata.cli.command;

import dev.strata.cli.format.Table;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.image.HistoryEntry;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Show the history of an image.")
public final class HistoryCommand extends StoreCommand {
    /** docker truncates CREATED BY to 45 characters, ending in an ellipsis. */
    private static final int CREATED_BY_WIDTH = 45;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs.")
    boolean quiet;

    @Option(names = {"-H", "--human"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print sizes and dates in human readable format (default true).")
    boolean human;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<HistoryEntry> rows = strata.images().history(image);
        if (quiet) {
            for (HistoryEntry r : rows) {
                out().println(id(r));
            }
            return 0;
        }
        Instant now = Instant.now();
        Table table = Table.docker();
        table.row(List.of("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"));
        for (HistoryEntry r : rows) {
            String created = r.created().map(c -> human ? Units.humanDuration(Duration.between(c, now)) + " ago" : c.toString())
                    .orElse("N/A");
            String createdBy = r.createdBy().replace("\t", " ").replace("\n", " ");
            if (!noTrunc && createdBy.length() > CREATED_BY_WIDTH) {
                createdBy = createdBy.substring(0, CREATED_BY_WIDTH - 1) + "…";
            }
            table.row(List.of(id(r), created, createdBy, human ? Units.humanSize(r.size()) : Long.toString(r.size()), r.comment()));
        }
        out().print(table.render());
        return 0;
    }

    private String id(HistoryEntry r) {
        return r.imageId().map(d -> noTrunc ? d.toString() : d.shortHex()).orElse("<missing>");
    }
}
