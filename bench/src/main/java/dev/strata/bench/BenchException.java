package dev.strata.bench;

/** A benchmark step that could not be carried out; the message says what failed and what to check. */
public final class BenchException extends Exception {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
