package dev.strata.error;

/** The user's input is malformed: a reference, an option value, a Dockerfile line. */
public class InvalidArgumentException extends StrataException {
    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
