package dev.strata.archive;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of entries in the layers Strata writes and of the changes it reports: by UTF-8 bytes, one path
 * component at a time, so that a directory comes right before its own children ("a", "a/b", "a-c"). That is the
 * order of a depth-first walk with sorted directory listings, and it does not depend on the JVM's locale or on
 * UTF-16 quirks of {@link String#compareTo}.
 */
final class PathOrder {
    private PathOrder() {
    }

    static final Comparator<String> COMPARATOR = Comparator.comparing(PathOrder::key, Arrays::compareUnsigned);

    /** The path's sort key: its UTF-8 bytes with '/' mapped to 0 (names cannot contain NUL). */
    static byte[] key(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '/') {
                b[i] = 0;
            }
        }
        return b;
    }
}
