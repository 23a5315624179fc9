package dev.strata.digest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest, {@code sha256:<64 lowercase hex>}. Construction validates the form, so a {@code Digest}
 * in hand is always well formed; blobs, DiffIDs, ChainIDs and image IDs are all digests.
 */
public record Digest(String hex) implements Comparable<Digest> {
    public static final String ALGORITHM = "sha256";
    private static final String PREFIX = ALGORITHM + ":";

    public Digest {
        Objects.requireNonNull(hex, "hex");
        if (!isHex64(hex)) {
            throw new IllegalArgumentException("invalid sha256 digest hex \"" + hex + "\": want 64 lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<hex>}; the error quotes the input and says what is wrong with it. JSON holds digests so. */
    @JsonCreator
    public static Digest parse(String text) {
        Objects.requireNonNull(text, "digest");
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("invalid digest \"" + text + "\": want sha256:<64 hex digits>");
        }
        String algorithm = text.substring(0, colon);
        if (!algorithm.equals(ALGORITHM)) {
            throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\" in \"" + text
                    + "\": only sha256 is supported");
        }
        String hex = text.substring(colon + 1);
        if (!isHex64(hex)) {
            throw new IllegalArgumentException("invalid digest \"" + text + "\": want sha256: followed by 64 lowercase hex digits");
        }
        return new Digest(hex);
    }

    public static boolean isValid(String text) {
        return text != null && text.startsWith(PREFIX) && isHex64(text.substring(PREFIX.length()));
    }

    public static Digest of(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a sha256 sum has 32 bytes, not " + sha256.length);
        }
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    /** The first 12 hex digits, as Docker shows IDs. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    static boolean isHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Digest other) {
        return hex.compareTo(other.hex);
    }

    @JsonValue
    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
