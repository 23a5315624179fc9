package dev.strata.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming reader of ustar, PAX, GNU and v7 tar archives. Every byte that is not file content (headers, PAX
 * and GNU long-name records, padding, the end-of-archive blocks and anything after them) goes to an optional
 * {@link RawSink} in stream order, so that the archive can be rebuilt byte for byte from the sink's bytes and
 * the files' contents (tar-split). The reader always consumes its input to the end, because callers hash the
 * whole stream (the DiffID covers trailing bytes too, as Docker's does).
 */
public final class TarReader implements Closeable {
    /** Receives the bytes of the archive that are not file content. */
    @FunctionalInterface
    public interface RawSink {
        void raw(byte[] bytes, int offset, int length) throws IOException;
    }

    static final int BLOCK = 512;
    // PAX and GNU long-name data are buffered in memory; a hostile size must not make us allocate gigabytes.
    private static final int MAX_META_SIZE = 1 << 20;

    private final InputStream in;
    private final RawSink sink;
    private final byte[] buf = new byte[1 << 18];
    private int pos;
    private int limit;
    private long consumed;
    private boolean inputEnded;
    private boolean done;

    private TarEntry current;
    private long remaining;
    private int padding;
    private final Map<String, String> global = new HashMap<>();
    private final Map<String, byte[]> globalXattrs = new LinkedHashMap<>();
    private final ContentStream content = new ContentStream();

    /** A reader that discards the non-content bytes. */
    public TarReader(InputStream in) {
        this(in, null);
    }

    /** A reader that reports every non-content byte to {@code sink} (null for none). */
    public TarReader(InputStream in, RawSink sink) {
        this.in = in;
        this.sink = sink;
    }

    /**
     * The next entry, or empty at the end of the archive (after which the input has been read to its end).
     * Content of the previous entry that the caller did not read is passed to the raw sink, so a skipped entry
     * still round-trips.
     */
    public Optional<TarEntry> next() throws IOException {
        if (done) {
            return Optional.empty();
        }
        if (current != null) {
            skipRest();
        }
        current = null;
        Map<String, String> pax = new HashMap<>();
        Map<String, byte[]> xattrs = new LinkedHashMap<>(globalXattrs);
        String longName = null;
        String longLink = null;
        boolean pendingMeta = false;
        while (true) {
            long headerOffset = consumed;
            if (!fill(BLOCK)) {
                if (available() == 0) {
                    // End of stream on a block boundary without end-of-archive blocks: accepted, as Go's reader does.
                    if (pendingMeta) {
                        throw ArchiveException.atOffset(headerOffset, "archive ends after an extended header, before its entry");
                    }
                    done = true;
                    return Optional.empty();
                }
                throw ArchiveException.atOffset(headerOffset, "archive is truncated inside a header block");
            }
            if (isZeroBlock(buf, pos)) {
                if (pendingMeta) {
                    throw ArchiveException.atOffset(headerOffset, "extended header is followed by the end of the archive");
                }
                drainToEnd();
                done = true;
                return Optional.empty();
            }
            int h = pos;
            String rawName = string(buf, h, 100);
            verifyChecksum(h, rawName, headerOffset);
            byte type = buf[h + 156];
            emit(BLOCK);
            String context = longName != null ? longName : pax.getOrDefault("path", rawName);
            switch (type) {
                case 'x', 'g' -> {
                    byte[] data = readMeta(numeric(h + 124, 12, "size", context, headerOffset), context, headerOffset);
                    if (type == 'x') {
                        parsePax(data, pax, xattrs, context, headerOffset);
                    } else {
                        parsePax(data, global, globalXattrs, context, headerOffset);
                        xattrs.putAll(globalXattrs);
                    }
                    pendingMeta = type == 'x' || pendingMeta;
                    continue;
                }
                case 'L' -> {
                    longName = cString(readMeta(numeric(h + 124, 12, "size", context, headerOffset), context, headerOffset));
                    pendingMeta = true;
                    continue;
                }
                case 'K' -> {
                    longLink = cString(readMeta(numeric(h + 124, 12, "size", context, headerOffset), context, headerOffset));
                    pendingMeta = true;
                    continue;
                }
                default -> {
                }
            }
            String name = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : ustarName(h, rawName);
            String link = pax.containsKey("linkpath") ? pax.get("linkpath")
                    : longLink != null ? longLink : string(buf, h + 157, 100);
            TarEntry.Type kind = switch (type) {
                case '0', '7' -> TarEntry.Type.FILE;
                // v7 and pre-POSIX archives mark directories by a trailing slash on a "regular" entry.
                case 0 -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
                case '1' -> TarEntry.Type.HARDLINK;
                case '2' -> TarEntry.Type.SYMLINK;
                case '3' -> TarEntry.Type.CHAR_DEVICE;
                case '4' -> TarEntry.Type.BLOCK_DEVICE;
                case '5' -> TarEntry.Type.DIRECTORY;
                case '6' -> TarEntry.Type.FIFO;
                case 'S' -> throw ArchiveException.entry(name, "GNU sparse files are not supported");
                default -> throw ArchiveException.entry(name, "unsupported tar entry type '" + typeName(type) + "'");
            };
            for (String key : pax.keySet()) {
                if (key.startsWith("GNU.sparse.")) {
                    throw ArchiveException.entry(name, "PAX sparse files are not supported");
                }
            }
            int mode = (int) (numeric(h + 100, 8, "mode", name, headerOffset) & 07777);
            long uid = paxNumber(pax, "uid", name).orElse(numeric(h + 108, 8, "uid", name, headerOffset));
            long gid = paxNumber(pax, "gid", name).orElse(numeric(h + 116, 8, "gid", name, headerOffset));
            long size = paxNumber(pax, "size", name).orElse(numeric(h + 124, 12, "size", name, headerOffset));
            String paxMtime = pax.getOrDefault("mtime", global.get("mtime"));
            Instant mtime = paxMtime != null ? paxTime(paxMtime, name)
                    : Instant.ofEpochSecond(numeric(h + 136, 12, "mtime", name, headerOffset));
            if (uid < 0 || uid > 0xffffffffL || gid < 0 || gid > 0xffffffffL) {
                throw ArchiveException.entry(name, "uid/gid " + uid + "/" + gid + " is out of range");
            }
            if (size < 0) {
                throw ArchiveException.entry(name, "negative size " + size);
            }
            int major = 0;
            int minor = 0;
            if (kind == TarEntry.Type.CHAR_DEVICE || kind == TarEntry.Type.BLOCK_DEVICE) {
                major = (int) numeric(h + 329, 8, "devmajor", name, headerOffset);
                minor = (int) numeric(h + 337, 8, "devminor", name, headerOffset);
            }
            // Like Go's archive/tar, only regular files carry data; the size field of other types is ignored.
            long dataSize = kind == TarEntry.Type.FILE ? size : 0;
            current = new TarEntry(name, kind, mode, uid, gid, kind == TarEntry.Type.FILE ? size : 0, mtime,
                    kind == TarEntry.Type.SYMLINK || kind == TarEntry.Type.HARDLINK ? link : "", major, minor, xattrs);
            remaining = dataSize;
            padding = (int) ((BLOCK - (dataSize % BLOCK)) % BLOCK);
            return Optional.of(current);
        }
    }

    /** The content of the entry last returned by {@link #next()}; reads end at its size. */
    public InputStream content() {
        return content;
    }

    /** How many bytes of the (uncompressed) archive have been consumed so far. */
    public long offset() {
        return consumed;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ---- content ----

    private final class ContentStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (current == null || remaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int want = (int) Math.min(len, remaining);
            int n;
            if (limit > pos) {
                n = Math.min(want, limit - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
            } else if (want >= buf.length / 2) {
                // Large reads bypass the buffer: one copy fewer for big files.
                n = in.read(b, off, want);
                if (n < 0) {
                    throw truncated();
                }
            } else {
                if (!fill(1)) {
                    throw truncated();
                }
                n = Math.min(want, limit - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
            }
            consumed += n;
            remaining -= n;
            return n;
        }

        private ArchiveException truncated() {
            return ArchiveException.entry(current.name(), "archive is truncated: content ends " + remaining
                    + " bytes short of its size " + current.size() + " (at byte " + consumed + ")");
        }
    }

    private void skipRest() throws IOException {
        while (remaining > 0) {
            if (!fill(1)) {
                throw content.truncated();
            }
            int n = (int) Math.min(remaining, limit - pos);
            emit(n);
            remaining -= n;
        }
        if (padding > 0) {
            if (!fill(padding)) {
                throw ArchiveException.entry(current.name(), "archive is truncated inside the padding after the content");
            }
            emit(padding);
            padding = 0;
        }
    }

    // ---- buffer ----

    private int available() {
        return limit - pos;
    }

    /** Makes at least {@code n} bytes available in the buffer; false when the input ends first. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !inputEnded) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                inputEnded = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /** Hands {@code n} buffered bytes to the sink and consumes them. */
    private void emit(int n) throws IOException {
        if (sink != null) {
            sink.raw(buf, pos, n);
        }
        pos += n;
        consumed += n;
    }

    private void drainToEnd() throws IOException {
        while (true) {
            if (limit > pos) {
                emit(limit - pos);
            }
            if (!fill(1)) {
                return;
            }
        }
    }

    private byte[] readMeta(long size, String context, long offset) throws IOException {
        if (size < 0 || size > MAX_META_SIZE) {
            throw ArchiveException.entry(context, "extended header of " + size + " bytes is larger than the "
                    + MAX_META_SIZE + " allowed (at byte " + offset + ")");
        }
        int n = (int) size;
        int padded = (n + BLOCK - 1) / BLOCK * BLOCK;
        byte[] data = new byte[n];
        int done = 0;
        while (done < padded) {
            if (!fill(1)) {
                throw ArchiveException.entry(context, "archive is truncated inside an extended header (at byte " + consumed + ")");
            }
            int chunk = Math.min(padded - done, limit - pos);
            if (done < n) {
                System.arraycopy(buf, pos, data, done, Math.min(chunk, n - done));
            }
            emit(chunk);
            done += chunk;
        }
        return data;
    }

    // ---- header fields ----

    private void verifyChecksum(int h, String rawName, long offset) throws ArchiveException {
        long stored = numeric(h + 148, 8, "checksum", rawName, offset);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = (i >= 148 && i < 156) ? (byte) ' ' : buf[h + i];
            unsigned += b & 0xff;
            signed += b;
        }
        // Some old tars summed signed chars; Go and GNU tar accept both.
        if (stored != unsigned && stored != signed) {
            throw ArchiveException.entry(rawName, "header checksum mismatch at byte " + offset + " (stored " + stored
                    + ", computed " + unsigned + "): the archive is corrupt");
        }
    }

    private String ustarName(int h, String name) {
        boolean posix = buf[h + 257] == 'u' && buf[h + 258] == 's' && buf[h + 259] == 't' && buf[h + 260] == 'a'
                && buf[h + 261] == 'r' && buf[h + 262] == 0;
        if (!posix) {
            return name; // v7, or GNU (whose bytes 345.. hold atime/ctime, not a prefix)
        }
        boolean star = buf[h + 508] == 't' && buf[h + 509] == 'a' && buf[h + 510] == 'r' && buf[h + 511] == 0;
        String prefix = string(buf, h + 345, star ? 131 : 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Parses an octal (NUL/space padded) or GNU base-256 number field. */
    private long numeric(int off, int len, String field, String context, long offset) throws ArchiveException {
        if ((buf[off] & 0x80) != 0) {
            // Base-256: the first byte's top bit marks the form, its next bit the sign (two's complement).
            boolean negative = (buf[off] & 0x40) != 0;
            long value = negative ? -1 : 0;
            for (int i = 0; i < len; i++) {
                int b = buf[off + i] & 0xff;
                if (i == 0) {
                    b &= 0x7f;
                    b = negative ? b | 0x80 : b;
                }
                if (i < len - 8 && b != (negative ? 0xff : 0)) {
                    throw badNumber(field, context, offset, "base-256 value does not fit 64 bits");
                }
                value = (value << 8) | b;
            }
            return value;
        }
        int i = off;
        int end = off + len;
        while (i < end && (buf[i] == ' ' || buf[i] == 0)) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end; i++) {
            byte b = buf[i];
            if (b == 0 || b == ' ') {
                break;
            }
            if (b < '0' || b > '7') {
                throw badNumber(field, context, offset, "'" + (char) (b & 0xff) + "' is not an octal digit");
            }
            if (++digits > 21) {
                throw badNumber(field, context, offset, "too many digits");
            }
            value = value * 8 + (b - '0');
        }
        for (; i < end; i++) {
            if (buf[i] != 0 && buf[i] != ' ') {
                throw badNumber(field, context, offset, "junk after the number");
            }
        }
        return value;
    }

    private static ArchiveException badNumber(String field, String context, long offset, String why) {
        return ArchiveException.entry(context, "invalid " + field + " field in the header at byte " + offset + ": " + why);
    }

    // ---- PAX ----

    private static void parsePax(byte[] data, Map<String, String> into, Map<String, byte[]> xattrs, String context,
            long offset) throws ArchiveException {
        int p = 0;
        while (p < data.length) {
            if (data[p] == 0) {
                break; // some writers pad the record area with NULs
            }
            int space = p;
            int length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && space - p < 9) {
                length = length * 10 + (data[space] - '0');
                space++;
            }
            if (space == p || space >= data.length || data[space] != ' ' || length <= space - p + 1
                    || p + length > data.length || data[p + length - 1] != '\n') {
                throw ArchiveException.entry(context, "malformed PAX record at byte " + p + " of the extended header at "
                        + offset);
            }
            int eq = space + 1;
            while (eq < p + length - 1 && data[eq] != '=') {
                eq++;
            }
            if (eq >= p + length - 1) {
                throw ArchiveException.entry(context, "PAX record without '=' in the extended header at " + offset);
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            int valueStart = eq + 1;
            int valueLength = p + length - 1 - valueStart;
            if (key.startsWith("SCHILY.xattr.")) {
                byte[] value = new byte[valueLength];
                System.arraycopy(data, valueStart, value, 0, valueLength);
                xattrs.put(key.substring("SCHILY.xattr.".length()), value);
            } else {
                String value = new String(data, valueStart, valueLength, StandardCharsets.UTF_8);
                if (value.isEmpty()) {
                    into.remove(key); // an empty value unsets the key (and a global default)
                } else {
                    into.put(key, value);
                }
            }
            p += length;
        }
    }

    private Optional<Long> paxNumber(Map<String, String> pax, String key, String name) throws ArchiveException {
        // A global header's path, linkpath or size would apply to every entry: nonsense, so only ids and times are
        // taken from it.
        String value = pax.containsKey(key) ? pax.get(key) : global.get(key);
        if (value == null || (key.equals("size") && !pax.containsKey(key))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw ArchiveException.entry(name, "invalid PAX " + key + " \"" + value + "\"");
        }
    }

    private Instant paxTime(String value, String name) throws ArchiveException {
        try {
            int dot = value.indexOf('.');
            String whole = dot < 0 ? value : value.substring(0, dot);
            String fraction = dot < 0 ? "" : value.substring(dot + 1);
            if (fraction.length() > 9) {
                fraction = fraction.substring(0, 9);
            }
            long seconds = Long.parseLong(whole);
            int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
            if (!fraction.chars().allMatch(Character::isDigit)) {
                throw new NumberFormatException(value);
            }
            if (whole.startsWith("-")) {
                return Instant.ofEpochSecond(seconds, -nanos);
            }
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (RuntimeException e) {
            throw ArchiveException.entry(name, "invalid PAX mtime \"" + value + "\"");
        }
    }

    // ---- helpers ----

    private static boolean isZeroBlock(byte[] b, int off) {
        for (int i = 0; i < BLOCK; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A NUL-terminated header field. */
    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static String typeName(byte type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type & 0xff);
    }
}
