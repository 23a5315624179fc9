package dev.strata.error;

/** Data that came in is not what it claims to be: a digest mismatch, a broken archive, a config that does not parse. */
public class BadContentException extends StrataException {
    public BadContentException(String message) {
        super(message);
    }

    public BadContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
