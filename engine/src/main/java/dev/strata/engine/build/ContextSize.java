package dev.strata.engine.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte count of the context tar the docker CLI sends ({@code Sending build context to Docker daemon  2.048kB}):
 * Go's {@code archive/tar} as Docker drives it (PAX format wanted, whole-second mtimes, no atime/ctime, owners
 * 0:0), which writes a plain ustar header wherever the fields fit and a PAX header before it where they do not;
 * content padded to 512 bytes; two zero blocks at the end and no record padding.
 */
final class ContextSize {
    static final int BLOCK = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;

    private long total;

    /** One entry. {@code name} ends in "/" for a directory; {@code contentSize} is 0 but for a regular file's first name. */
    void add(String name, String linkName, long contentSize, long mtimeSeconds) {
        total += header(name, linkName, contentSize, mtimeSeconds) + padded(contentSize);
    }

    /** Raw bytes already counted elsewhere (a replaced entry's content, say). */
    void addRaw(long bytes) {
        total += bytes;
    }

    /** The size with the end-of-archive blocks. */
    long finish() {
        return total + 2L * BLOCK;
    }

    static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Header bytes for an entry: 512, or 512 more plus the PAX records when a field does not fit ustar. */
    static long header(String name, String linkName, long size, long mtimeSeconds) {
        List<String[]> pax = new ArrayList<>();
        boolean ustar = true;
        if (!isAscii(name) || bytes(name) > 100) {
            pax.add(new String[] {"path", name});
            if (!splittable(name)) {
                ustar = false;
            }
        }
        if (!isAscii(linkName) || bytes(linkName) > 100) {
            pax.add(new String[] {"linkpath", linkName});
            ustar = false;
        }
        if (size > MAX_OCTAL_11) {
            pax.add(new String[] {"size", Long.toString(size)});
            ustar = false;
        }
        if (mtimeSeconds < 0 || mtimeSeconds > MAX_OCTAL_11) {
            pax.add(new String[] {"mtime", Long.toString(mtimeSeconds)});
            ustar = false;
        }
        if (ustar) {
            return BLOCK;
        }
        long records = 0;
        for (String[] kv : pax) {
            records += recordLength(kv[0], kv[1]);
        }
        return BLOCK + BLOCK + padded(records);
    }

    /** Go's {@code formatPAXRecord}: "{@code <len> <key>=<value>\n}", the length counting its own digits. */
    static long recordLength(String key, String value) {
        long rest = bytes(key) + bytes(value) + 3; // ' ', '=' and '\n'
        long size = rest + Long.toString(rest).length();
        long record = Long.toString(size).length() + rest;
        return record == size ? record : Long.toString(record).length() + rest;
    }

    /** Go's {@code splitUSTARPath}: whether a long ASCII name splits into a prefix (155) and a name (100). */
    static boolean splittable(String s) {
        int length = s.length();
        if (length <= 100 || !isAscii(s)) {
            return false;
        } else if (length > 156) {
            length = 156;
        } else if (s.charAt(length - 1) == '/') {
            length--;
        }
        int i = s.substring(0, length).lastIndexOf('/');
        int nlen = s.length() - i - 1;
        return i > 0 && nlen <= 100 && nlen != 0 && i <= 155;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static long bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
