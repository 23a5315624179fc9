package dev.strata.cli.command;

import dev.strata.cli.format.ListFormat;
import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.image.HistoryEntry;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

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

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default), json, table TEMPLATE or TEMPLATE: a Go template over ID, CreatedSince, CreatedAt, "
                    + "CreatedBy, Size, Comment.")
    String format;

    /** docker's default table. */
    private static final String TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    /** docker's column titles of the fields. */
    private static final ObjectNode TITLES = ListFormat.object()
            .put("ID", "IMAGE")
            .put("CreatedSince", "CREATED")
            .put("CreatedAt", "CREATED AT")
            .put("CreatedBy", "CREATED BY")
            .put("Size", "SIZE")
            .put("Comment", "COMMENT");

    @Override
    int run(Strata strata) throws IOException, StrataException {
        ListFormat listFormat = quiet ? null : ListFormat.parse("history", format, TABLE);
        List<HistoryEntry> entries = strata.images().history(image);
        if (quiet) {
            for (HistoryEntry r : entries) {
                out().println(id(r));
            }
            return 0;
        }
        Instant now = Instant.now();
        List<ObjectNode> rows = new ArrayList<>();
        for (HistoryEntry r : entries) {
            rows.add(fields(r, now));
        }
        out().print(listFormat.render(rows, TITLES));
        return 0;
    }

    /** The row as docker's {@code history --format} sees it; -H=false shows times and sizes exactly. */
    private ObjectNode fields(HistoryEntry r, Instant now) {
        String createdAt = r.created().map(Units::rfc3339).orElse("N/A");
        String createdSince = r.created().map(c -> human ? Units.createdSince(c, now) : Units.rfc3339(c)).orElse("N/A");
        String createdBy = r.createdBy().replace("\t", " ").replace("\n", " ");
        if (!noTrunc && createdBy.length() > CREATED_BY_WIDTH) {
            createdBy = createdBy.substring(0, CREATED_BY_WIDTH - 1) + "…";
        }
        return ListFormat.object()
                .put("Comment", r.comment())
                .put("CreatedAt", createdAt)
                .put("CreatedBy", createdBy)
                .put("CreatedSince", createdSince)
                .put("ID", id(r))
                .put("Size", human ? Units.humanSize(r.size()) : Long.toString(r.size()));
    }

    private String id(HistoryEntry r) {
        return r.imageId().map(d -> noTrunc ? d.toString() : d.shortHex()).orElse("<missing>");
    }
}
