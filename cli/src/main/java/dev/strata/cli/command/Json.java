package dev.strata.cli.command;

import dev.strata.cli.format.GoTemplate;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.image.ImageJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;

/** JSON output the way the docker CLI writes it: 4-space indents, {@code "key": value}, {@code []} when empty. */
final class Json {
    private static final ObjectWriter PRETTY = ImageJson.MAPPER.writer().with(new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n")));

    private Json() {
    }

    static String pretty(Object value) {
        return PRETTY.writeValueAsString(value);
    }

    static String compact(Object value) {
        return ImageJson.MAPPER.writeValueAsString(value);
    }

    /** Looks one name up; a name that is not there throws {@link NotFoundException}. */
    interface Lookup {
        Object find(String name) throws IOException, StrataException;
    }

    /** The help of every inspect command's {@code -f/--format}. */
    static final String FORMAT_HELP = "Format the output: json (on one line), or a Go template run for each object, "
            + "e.g. '{{.State.Status}}', '{{json .Config}}'.";

    /**
     * {@code docker inspect}'s way with several names: prints what was found, then fails naming each that was not.
     * Without a format (or with {@code json}) what was found is one JSON array, indented (on one line); with a
     * template, its result for each object, each on its own line. A template is parsed before anything is looked up,
     * and one that fails on an object prints nothing.
     */
    static int inspectEach(PrintWriter out, String command, String format, List<String> names, Lookup lookup)
            throws IOException, StrataException {
        boolean json = format != null && format.equals("json");
        GoTemplate template = format == null || format.isEmpty() || json ? null : GoTemplate.parse(command, format);
        List<Object> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(lookup.find(name));
            } catch (NotFoundException e) {
                missing.add(e.getMessage());
            }
        }
        if (template != null) {
            StringBuilder text = new StringBuilder();
            for (Object o : found) {
                text.append(template.execute(ImageJson.MAPPER.valueToTree(o))).append('\n');
            }
            out.print(text);
        } else {
            out.println(json ? compact(found) : pretty(found));
        }
        if (!missing.isEmpty()) {
            throw new NotFoundException(String.join("\n", missing));
        }
        return 0;
    }
}
