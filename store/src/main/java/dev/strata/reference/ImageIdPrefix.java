package dev.strata.reference;

import dev.strata.digest.Digest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user may type to name an image by its ID: 1 to 64 lowercase hex digits, optionally after
 * {@code sha256:} ({@code 94e6b7d2c720}, {@code sha256:94e6b7d2}, a full ID). Recognising the form says nothing
 * about whether an image has that ID; the image store decides, and refuses prefixes that match several images.
 *
 * <p>Many prefixes are also valid repository names ({@code abc123}); Docker looks such text up as a
 * reference first and as an ID prefix second.
 */
public record ImageIdPrefix(String hex) {
    private static final String SHA256_PREFIX = Digest.ALGORITHM + ":";

    public ImageIdPrefix {
        Objects.requireNonNull(hex, "hex");
        if (!Grammar.isLowerHex(hex, 1, 64)) {
            throw new IllegalArgumentException("invalid image ID prefix " + InvalidReferenceException.quote(hex)
                    + ": want 1 to 64 lowercase hex digits");
        }
    }

    /** The prefix in {@code text}, or empty when {@code text} cannot be an image ID or a prefix of one. */
    public static Optional<ImageIdPrefix> parse(String text) {
        Objects.requireNonNull(text, "text");
        String hex = text.startsWith(SHA256_PREFIX) ? text.substring(SHA256_PREFIX.length()) : text;
        return Grammar.isLowerHex(hex, 1, 64) ? Optional.of(new ImageIdPrefix(hex)) : Optional.empty();
    }

    /** True when this is a whole ID (64 digits), not just a prefix. */
    public boolean isFull() {
        return hex.length() == 64;
    }

    /** The ID itself when the prefix is whole. */
    public Optional<Digest> toDigest() {
        return isFull() ? Optional.of(new Digest(hex)) : Optional.empty();
    }

    /** True when {@code id} starts with this prefix. */
    public boolean matches(Digest id) {
        return id.hex().startsWith(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
