package dev.strata.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Hashes every byte that is read through it; {@link #digest()} once the stream is drained. */
public final class DigestingInputStream extends FilterInputStream {
    private final Digester digester = new Digester();

    public DigestingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digester.update(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digester.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too.
        byte[] buf = new byte[(int) Math.min(n, 65536)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left so that the digest covers the whole stream. */
    public void drain() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing happens in read
        }
    }

    public long bytesRead() {
        return digester.bytes();
    }

    public Digest digest() {
        return digester.digest();
    }
}
