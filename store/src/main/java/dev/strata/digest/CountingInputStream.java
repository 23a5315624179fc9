package dev.strata.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * Counts the bytes read through it ({@link #count()}) and, when given a listener, reports each read as it happens
 * (upload progress). The one counting stream: like {@link DigestingInputStream}, it only watches the bytes go by.
 */
public final class CountingInputStream extends FilterInputStream {
    private final LongConsumer listener;
    private final boolean closesSource;
    private long count;

    private CountingInputStream(InputStream in, LongConsumer listener, boolean closesSource) {
        super(in);
        this.listener = listener;
        this.closesSource = closesSource;
    }

    public CountingInputStream(InputStream in) {
        this(in, n -> { }, true);
    }

    /** Tells {@code listener} how many bytes each read returned. */
    public static CountingInputStream reporting(InputStream in, LongConsumer listener) {
        return new CountingInputStream(in, listener, true);
    }

    /** Counts, and leaves {@code in} open when closed (a caller's stream that outlives the reader on top). */
    public static CountingInputStream keepingOpen(InputStream in) {
        return new CountingInputStream(in, n -> { }, false);
    }

    /** Bytes read (and skipped) so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        if (s > 0) {
            counted(s);
        }
        return s;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would count bytes twice
    }

    @Override
    public void close() throws IOException {
        if (closesSource) {
            in.close();
        }
    }

    private void counted(long n) {
        count += n;
        listener.accept(n);
    }
}
