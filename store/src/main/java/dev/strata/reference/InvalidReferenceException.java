package dev.strata.reference;

/**
 * An image reference that does not follow Docker's grammar. The message quotes the input and names the rule
 * it broke, e.g. {@code invalid reference "Ubuntu": repository name must be lowercase}.
 */
public final class InvalidReferenceException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;

    public InvalidReferenceException(String input, String reason) {
        super("invalid reference " + quote(input) + ": " + reason);
        this.input = input;
        this.reason = reason;
    }

    /** The text that failed to parse, as given. */
    public String input() {
        return input;
    }

    /** The rule that failed, without the input, e.g. {@code repository name must be lowercase}. */
    public String reason() {
        return reason;
    }

    /** Quotes {@code s} the way Go's {@code %q} does for printable text; control characters are escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
