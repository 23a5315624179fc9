package dev.strata.cli.format;

import dev.strata.error.InvalidArgumentException;

/**
 * A {@code --format} template that does not parse, or fails while it runs, in Go's words:
 * {@code template: inspect:1:9: function "foo" not defined}.
 */
public final class TemplateException extends InvalidArgumentException {
    public TemplateException(String message) {
        super(message);
    }
}
