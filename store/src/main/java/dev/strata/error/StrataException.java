package dev.strata.error;

/**
 * The root of Strata's checked domain errors. Messages say what failed and, where it helps, what to do; the
 * CLI prints them as they are.
 */
public class StrataException extends Exception {
    public StrataException(String message) {
        super(message);
    }

    public StrataException(String message, Throwable cause) {
        super(message, cause);
    }
}
