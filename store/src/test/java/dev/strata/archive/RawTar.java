package dev.strata.archive;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test-only tar builder that writes whatever headers it is told to, hostile ones included. */
final class RawTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** One header; fields left alone get sane defaults. */
    static final class Header {
        byte[] name;
        byte type = '0';
        int mode = 0644;
        long uid;
        long gid;
        long mtime = 1_700_000_000L;
        String link = "";
        int major;
        int minor;
        byte[] content = new byte[0];
        Long sizeField; // overrides the size written in the header
        Integer checksum; // overrides the computed checksum
        String sizeText; // raw text for the size field
        final Map<String, byte[]> pax = new LinkedHashMap<>();

        Header(String name) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
        }

        Header type(char t) {
            type = (byte) t;
            return this;
        }

        Header mode(int m) {
            mode = m;
            return this;
        }

        Header owner(long u, long g) {
            uid = u;
            gid = g;
            return this;
        }

        Header link(String l) {
            link = l;
            return this;
        }

        Header content(String c) {
            content = c.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Header content(byte[] c) {
            content = c;
            return this;
        }

        Header device(int maj, int min) {
            major = maj;
            minor = min;
            return this;
        }

        Header pax(String key, String value) {
            pax.put(key, value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Header xattr(String key, byte[] value) {
            pax.put("SCHILY.xattr." + key, value);
            return this;
        }
    }

    static Header h(String name) {
        return new Header(name);
    }

    RawTar add(Header h) {
        if (!h.pax.isEmpty()) {
            ByteArrayOutputStream records = new ByteArrayOutputStream();
            for (Map.Entry<String, byte[]> e : h.pax.entrySet()) {
                byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
                int rest = key.length + e.getValue().length + 3;
                int len = rest + 1;
                while (Integer.toString(len).length() + rest != len) {
                    len = Integer.toString(len).length() + rest;
                }
                records.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
                records.writeBytes(key);
                records.write('=');
                records.writeBytes(e.getValue());
                records.write('\n');
            }
            Header x = new Header("PaxHeaders/x").type('x').content(records.toByteArray());
            add(x);
        }
        byte[] block = new byte[512];
        System.arraycopy(h.name, 0, block, 0, Math.min(100, h.name.length));
        octal(block, 100, 8, h.mode);
        octal(block, 108, 8, h.uid);
        octal(block, 116, 8, h.gid);
        if (h.sizeText != null) {
            byte[] t = h.sizeText.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(t, 0, block, 124, Math.min(12, t.length));
        } else {
            octal(block, 124, 12, h.sizeField != null ? h.sizeField : h.content.length);
        }
        octal(block, 136, 12, h.mtime);
        block[156] = h.type;
        byte[] link = h.link.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(link, 0, block, 157, Math.min(100, link.length));
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 6);
        block[263] = '0';
        block[264] = '0';
        octal(block, 329, 8, h.major);
        octal(block, 337, 8, h.minor);
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : block[i] & 0xff;
        }
        octal(block, 148, 7, h.checksum != null ? h.checksum : sum);
        block[155] = ' ';
        out.writeBytes(block);
        out.writeBytes(h.content);
        int pad = (512 - h.content.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    RawTar file(String name, String content) {
        return add(h(name).content(content));
    }

    RawTar dir(String name) {
        return add(h(name).type('5').mode(0755));
    }

    RawTar symlink(String name, String target) {
        return add(h(name).type('2').link(target).mode(0777));
    }

    RawTar hardlink(String name, String target) {
        return add(h(name).type('1').link(target));
    }

    RawTar raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The archive with its two end blocks. */
    byte[] bytes() {
        byte[] b = out.toByteArray();
        byte[] all = Arrays.copyOf(b, b.length + 1024);
        return all;
    }

    /** The archive without end blocks (as a truncated download would be). */
    byte[] bytesWithoutEnd() {
        return out.toByteArray();
    }

    private static void octal(byte[] block, int off, int len, long value) {
        byte[] d = String.format("%0" + (len - 1) + "o", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, Math.max(0, d.length - (len - 1)), block, off, Math.min(len - 1, d.length));
        block[off + len - 1] = 0;
    }
}
