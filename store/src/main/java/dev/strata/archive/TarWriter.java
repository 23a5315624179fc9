package dev.strata.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes deterministic tar headers: ustar wherever the values fit (a name up to 255 bytes via the prefix
 * field), a PAX header only for what does not (long names and link names, big ids, sizes and times, xattrs).
 * Empty user and group names, whole-second mtimes, no atime or ctime: the same tree always gives the same bytes.
 * Layer tars ({@link LayerWriter}) and the outer tar of image archives ({@code save}) are written with it.
 */
public final class TarWriter {
    static final int BLOCK = 512;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final long MAX_OCTAL_11 = 077777777777L;

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Header fields of one entry; {@code xattrs} sorted by name. */
    public record Header(String name, byte type, int mode, long uid, long gid, long size, long mtimeSeconds, String linkName,
            int devMajor, int devMinor, SortedMap<String, byte[]> xattrs) {
    }

    public void writeHeader(Header h) throws IOException {
        List<String[]> pax = new ArrayList<>();
        List<byte[]> paxValues = new ArrayList<>();
        byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
        byte[] nameField = name;
        byte[] prefixField = new byte[0];
        if (name.length > 100) {
            int split = splitPoint(name);
            if (split > 0) {
                prefixField = java.util.Arrays.copyOfRange(name, 0, split);
                nameField = java.util.Arrays.copyOfRange(name, split + 1, name.length);
            } else {
                addPax(pax, paxValues, "path", name);
                nameField = java.util.Arrays.copyOf(name, 100);
            }
        }
        byte[] link = h.linkName().getBytes(StandardCharsets.UTF_8);
        if (link.length > 100) {
            addPax(pax, paxValues, "linkpath", link);
            link = java.util.Arrays.copyOf(link, 100);
        }
        long uid = h.uid();
        if (uid > MAX_OCTAL_7) {
            addPax(pax, paxValues, "uid", ascii(Long.toString(uid)));
            uid = 0;
        }
        long gid = h.gid();
        if (gid > MAX_OCTAL_7) {
            addPax(pax, paxValues, "gid", ascii(Long.toString(gid)));
            gid = 0;
        }
        long size = h.size();
        if (size > MAX_OCTAL_11) {
            addPax(pax, paxValues, "size", ascii(Long.toString(size)));
            size = 0;
        }
        long mtime = h.mtimeSeconds();
        if (mtime < 0 || mtime > MAX_OCTAL_11) {
            addPax(pax, paxValues, "mtime", ascii(Long.toString(mtime)));
            mtime = 0;
        }
        for (Map.Entry<String, byte[]> x : h.xattrs().entrySet()) {
            addPax(pax, paxValues, "SCHILY.xattr." + x.getKey(), x.getValue());
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax, paxValues);
            String base = h.name().endsWith("/") ? h.name().substring(0, h.name().length() - 1) : h.name();
            base = base.substring(base.lastIndexOf('/') + 1);
            writeUstar(truncate(("PaxHeaders/" + base).getBytes(StandardCharsets.UTF_8), 100), new byte[0], (byte) 'x', 0644,
                    0, 0, records.length, 0, new byte[0], 0, 0);
            out.write(records);
            pad(records.length);
        }
        writeUstar(nameField, prefixField, h.type(), h.mode(), uid, gid, size, mtime, link, h.devMajor(), h.devMinor());
    }

    /** Zero padding after {@code length} content bytes. */
    public void pad(long length) throws IOException {
        int n = (int) ((BLOCK - (length % BLOCK)) % BLOCK);
        if (n > 0) {
            out.write(new byte[n]);
        }
    }

    /** The end-of-archive marker: two zero blocks. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void writeUstar(byte[] name, byte[] prefix, byte type, int mode, long uid, long gid, long size, long mtime,
            byte[] link, int major, int minor) throws IOException {
        java.util.Arrays.fill(block, (byte) 0);
        System.arraycopy(name, 0, block, 0, Math.min(100, name.length));
        octal(100, 8, mode & 07777);
        octal(108, 8, uid);
        octal(116, 8, gid);
        octal(124, 12, size);
        octal(136, 12, mtime);
        block[156] = type;
        System.arraycopy(link, 0, block, 157, Math.min(100, link.length));
        System.arraycopy(ascii("ustar\0"), 0, block, 257, 6);
        block[263] = '0';
        block[264] = '0';
        number(329, 8, major);
        number(337, 8, minor);
        System.arraycopy(prefix, 0, block, 345, Math.min(155, prefix.length));
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : block[i] & 0xff;
        }
        byte[] chk = ascii(String.format("%06o", sum));
        System.arraycopy(chk, 0, block, 148, 6);
        block[154] = 0;
        block[155] = ' ';
        out.write(block);
    }

    /** A device number: octal when it fits, else GNU base-256 (which every modern reader accepts). */
    private void number(int off, int len, long value) {
        if (value >= 0 && value <= MAX_OCTAL_7) {
            octal(off, len, value);
            return;
        }
        for (int i = len - 1; i > 0; i--) {
            block[off + i] = (byte) value;
            value >>= 8;
        }
        block[off] = (byte) 0x80;
    }

    private void octal(int off, int len, long value) {
        byte[] digits = ascii(String.format("%0" + (len - 1) + "o", value));
        System.arraycopy(digits, 0, block, off, len - 1);
        block[off + len - 1] = 0;
    }

    /** Where to split a long name into ustar prefix and name (the first '/' that makes both fit), or -1. */
    private static int splitPoint(byte[] name) {
        for (int i = 1; i < name.length - 1 && i <= 155; i++) {
            if (name[i] == '/' && name.length - i - 1 <= 100) {
                return i;
            }
        }
        return -1;
    }

    private static void addPax(List<String[]> keys, List<byte[]> values, String key, byte[] value) {
        keys.add(new String[] {key});
        values.add(value);
    }

    /** PAX records "<len> <key>=<value>\n", where len counts the whole record including its own digits. */
    private static byte[] paxRecords(List<String[]> keys, List<byte[]> values) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i)[0].getBytes(StandardCharsets.UTF_8);
            byte[] value = values.get(i);
            int rest = 1 + key.length + 1 + value.length + 1; // " " key "=" value "\n"
            int length = rest + 1;
            while (Integer.toString(length).length() + rest != length) {
                length = Integer.toString(length).length() + rest;
            }
            b.writeBytes(ascii(Integer.toString(length)));
            b.write(' ');
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(value);
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static byte[] truncate(byte[] b, int max) {
        return b.length <= max ? b : java.util.Arrays.copyOf(b, max);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
