package dev.strata.layer;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through and, at end of stream, fails unless they hashed to the expected digest. */
final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final String what;
    private final Digester digester = new Digester();
    private boolean verified;

    VerifyingInputStream(InputStream in, Digest expected, String what) {
        super(in);
        this.expected = expected;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digester.update(b, off, n);
        } else if (n < 0 && !verified) {
            verified = true;
            Digest actual = digester.digest();
            if (!actual.equals(expected)) {
                throw new IOException(what + ": content does not match its DiffID: expected " + expected + ", got " + actual);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 65536)];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
