package dev.strata.archive;

/**
 * CRC-64 with the ISO polynomial, bit-reflected, as Go's {@code hash/crc64} computes it with {@code crc64.ISO}: the
 * per-file checksum in vbatts/tar-split's {@code tar-data.json.gz}. Slicing-by-8 for speed; {@link #value()} is
 * what Go's {@code Sum64} returns (its {@code Sum} is the same 8 bytes big-endian).
 */
public final class Crc64 {
    private static final long POLY = 0xD800000000000000L;
    private static final long[][] T = tables();

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
        long c = ~crc;
        int i = off;
        int end = off + len;
        long[] t0 = T[0], t1 = T[1], t2 = T[2], t3 = T[3], t4 = T[4], t5 = T[5], t6 = T[6], t7 = T[7];
        while (end - i >= 8) {
            c ^= (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48 | (b[i + 7] & 0xffL) << 56;
            c = t7[(int) (c & 0xff)] ^ t6[(int) ((c >>> 8) & 0xff)] ^ t5[(int) ((c >>> 16) & 0xff)] ^ t4[(int) ((c >>> 24) & 0xff)]
                    ^ t3[(int) ((c >>> 32) & 0xff)] ^ t2[(int) ((c >>> 40) & 0xff)] ^ t1[(int) ((c >>> 48) & 0xff)]
                    ^ t0[(int) (c >>> 56)];
            i += 8;
        }
        for (; i < end; i++) {
            c = t0[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
        }
        crc = ~c;
    }

    /** The plain byte-at-a-time definition, for tests of the fast path. */
    static long reference(byte[] b) {
        long c = ~0L;
        for (byte x : b) {
            c = T[0][(int) ((c ^ x) & 0xff)] ^ (c >>> 8);
        }
        return ~c;
    }

    private static long[][] tables() {
        long[][] t = new long[8][256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int j = 0; j < 8; j++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[0][i] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = t[k - 1][i];
                t[k][i] = (prev >>> 8) ^ t[0][(int) (prev & 0xff)];
            }
        }
        return t;
    }
}
