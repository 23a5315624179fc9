package dev.strata.engine.registry;

import dev.strata.error.StrataException;
import java.util.List;
import java.util.OptionalInt;

/**
 * A registry refused or failed a request, or could not be reached. The message says what was asked, what the
 * registry answered (its error codes and messages, the HTTP status) and, where it helps, what to do.
 */
public class RegistryException extends StrataException {
    private final OptionalInt status;
    private final List<String> codes;

    public RegistryException(String message, OptionalInt status, List<String> codes) {
        super(message);
        this.status = status;
        this.codes = List.copyOf(codes);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = OptionalInt.empty();
        this.codes = List.of();
    }

    /** The HTTP status, when the registry answered. */
    public OptionalInt status() {
        return status;
    }

    /** The distribution error codes of the answer ({@code MANIFEST_UNKNOWN}, {@code DENIED}, ...). */
    public List<String> codes() {
        return codes;
    }
}
