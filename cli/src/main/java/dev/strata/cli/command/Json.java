package dev.strata.cli.command;

import dev.strata.image.ImageJson;
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
}
