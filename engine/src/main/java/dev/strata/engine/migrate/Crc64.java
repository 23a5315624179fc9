package dev.strata.engine.migrate;

/**
 * CRC-64 with the ISO polynomial, bit-reflected, as Go's {@code hash/crc64} computes it with {@code crc64.ISO}: the
 * per-file checksum in vbatts/tar-split's {@code tar-data.json.gz}. Slicing-by-16 for speed; {@link #value()} is
 * what Go's {@code Sum64} returns (its {@code Sum} is the same 8 bytes big-endian).
 */
public final class Crc64 {
    private static final long POLY = 0xD800000000000000L;
    /** 16 tables of 256 entries, table k at [k * 256]: table 0 is the byte-wise one, table k advances k more bytes. */
    private static final long[] T = tables();
    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private long crc;

    public void reset() {
        crc = 0;
    }

    public long value() {
        return crc;
    }

    /** The checksum as Go's {@code Sum(nil)} gives it: 8 bytes, big-endian. */
    public byte[] bytes() {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (crc >>> (56 - 8 * i));
        }
        return b;
    }

    public void update(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long c = ~crc;
        int i = off;
        int end = off + len;
        final long[] t = T;
        // Slicing-by-16: two 8-byte little-endian loads and 16 lookups per step.
        while (end - i >= 16) {
            long a = c ^ (long) LONG.get(b, i);
            long d = (long) LONG.get(b, i + 8);
            c = t[15 << 8 | (int) (a & 0xff)] ^ t[14 << 8 | (int) ((a >>> 8) & 0xff)] ^ t[13 << 8 | (int) ((a >>> 16) & 0xff)]
                    ^ t[12 << 8 | (int) ((a >>> 24) & 0xff)] ^ t[11 << 8 | (int) ((a >>> 32) & 0xff)] ^ t[10 << 8 | (int) ((a >>> 40) & 0xff)]
                    ^ t[9 << 8 | (int) ((a >>> 48) & 0xff)] ^ t[8 << 8 | (int) (a >>> 56)]
                    ^ t[7 << 8 | (int) (d & 0xff)] ^ t[6 << 8 | (int) ((d >>> 8) & 0xff)] ^ t[5 << 8 | (int) ((d >>> 16) & 0xff)]
                    ^ t[4 << 8 | (int) ((d >>> 24) & 0xff)] ^ t[3 << 8 | (int) ((d >>> 32) & 0xff)] ^ t[2 << 8 | (int) ((d >>> 40) & 0xff)]
                    ^ t[1 << 8 | (int) ((d >>> 48) & 0xff)] ^ t[(int) (d >>> 56)];
            i += 16;
        }
        for (; i < end; i++) {
            c = t[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = ~c;
    }

    /** The plain byte-at-a-time definition, for tests of the fast path. */
    static long reference(byte[] b) {
        long c = ~0L;
        for (byte x : b) {
            c = T[(int) ((c ^ x) & 0xff)] ^ (c >>> 8);
        }
        return ~c;
    }

    private static long[] tables() {
        long[] t = new long[16 * 256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int j = 0; j < 8; j++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[i] = c;
        }
        for (int k = 1; k < 16; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = t[(k - 1) << 8 | i];
                t[k << 8 | i] = (prev >>> 8) ^ t[(int) (prev & 0xff)];
            }
        }
        return t;
    }
}
