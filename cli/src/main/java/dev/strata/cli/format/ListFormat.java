package dev.strata.cli.format;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code --format} of a list command ({@code images}, {@code ps}, {@code volume ls}, {@code history}) as
 * docker/cli's formatter reads it: {@code table} (or nothing) is the command's default table, {@code json} is
 * {@code {{json .}}}, one object per line; {@code table TEMPLATE} prints a header row and aligns the columns as the
 * default table does; any other text is a template printed once per row. Before parsing, surrounding spaces go and
 * the two-character sequences {@code \t} and {@code \n} become a tab and a newline, as docker does, so that
 * {@code --format 'table {{.ID}}\t{{.Names}}'} works from a shell.
 *
 * <p>Each row is an object with docker's field names; the header row is the same template run over the column
 * titles ({@code ID} to {@code CONTAINER ID}), the way docker makes it.
 */
public final class ListFormat {
    private final boolean table;
    private final GoTemplate template;

    private ListFormat(boolean table, GoTemplate template) {
        this.table = table;
        this.template = template;
    }

    /**
     * Parses {@code format} for {@code command}; {@code defaultTable} (a {@code table ...} template) stands for an
     * absent format and for {@code table}.
     */
    public static ListFormat parse(String command, String format, String defaultTable) throws TemplateException {
        String f = format == null || format.isEmpty() || format.equals("table") ? defaultTable
                : format.equals("json") ? "{{json .}}" : format;
        boolean table = f.startsWith("table");
        if (table) {
            f = f.substring("table".length());
        }
        f = f.replaceAll("^ +| +$", "").replace("\\t", "\t").replace("\\n", "\n");
        return new ListFormat(table, GoTemplate.parse(command, f));
    }

    /** Whether the template mentions a field, so a command can skip what costs time when it does not ({@code .Size}). */
    public boolean mentions(String field) {
        return template.text().contains("." + field);
    }

    /** A new row or title object; fields keep the order they are put in. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The rows as text: each row's line, under the header row for a table, the columns aligned. */
    public String render(List<? extends JsonNode> rows, JsonNode titles) throws TemplateException {
        StringBuilder body = new StringBuilder();
        for (JsonNode row : rows) {
            body.append(template.execute(row)).append('\n');
        }
        if (!table) {
            return body.toString();
        }
        return Table.align(template.executeHeader(titles) + "\n" + body);
    }
}
