package dev.strata.error;

/** A named thing (image, layer, blob, container, volume) does not exist. */
public class NotFoundException extends StrataException {
    public NotFoundException(String message) {
        super(message);
    }
}
