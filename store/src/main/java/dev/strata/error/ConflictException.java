package dev.strata.error;

/** The action clashes with the store's state: a name is taken, an image is in use, and so on. */
public class ConflictException extends StrataException {
    public ConflictException(String message) {
        super(message);
    }
}
