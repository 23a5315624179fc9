package dev.strata.cli.command;

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

    /**
     * {@code docker inspect}'s way with several names: prints what was found as one JSON array, then fails naming
     * each that was not.
     */
    static int inspectEach(PrintWriter out, List<String> names, Lookup lookup) throws IOException, StrataException {
        List<Object> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                found.add(lookup.find(name));
            } catch (NotFoundException e) {
                missing.add(e.getMessage());
            }
        }
        out.println(pretty(found));
        if (!missing.isEmpty()) {
            throw new NotFoundException(String.join("\n", missing));
        }
        return 0;
    }
}
