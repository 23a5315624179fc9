package dev.strata.layer;

import dev.strata.digest.Digest;
import dev.strata.digest.DigestingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through and, at end of stream, fails unless they hashed to the expected digest. */
final class VerifyingInputStream extends FilterInputStream {
    private final DigestingInputStream digesting;
    private final Digest expected;
    private final String what;
    private boolean verified;

    VerifyingInputStream(InputStream in, Digest expected, String what) {
        this(new DigestingInputStream(in), expected, what);
    }

    private VerifyingInputStream(DigestingInputStream digesting, Digest expected, String what) {
        super(digesting);
        this.digesting = digesting;
        this.expected = expected;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = digesting.read();
        if (b < 0) {
            verify();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = digesting.read(b, off, len);
        if (n < 0) {
            verify();
        }
        return n;
    }

    private void verify() throws IOException {
        if (!verified) {
            verified = true;
            Digest actual = digesting.digest();
            if (!actual.equals(expected)) {
                throw new IOException(what + ": content does not match its DiffID: expected " + expected + ", got " + actual);
            }
        }
    }
}
