package dev.strata.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;

/**
 * An input stream whose bytes a producer writes on a virtual thread, such as a layer tar being generated while it
 * is applied or hashed. If the producer fails, the reader gets that failure instead of a quiet end of stream:
 * a tar cut short at a block boundary could otherwise pass for a complete one.
 */
public final class ProducedStream extends PipedInputStream {
    /** Writes the whole stream to {@code out}. */
    @FunctionalInterface
    public interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    private volatile Throwable failure;

    private ProducedStream() {
        super(1 << 20);
    }

    public static InputStream of(String name, Producer producer) throws IOException {
        ProducedStream in = new ProducedStream();
        PipedOutputStream out = new PipedOutputStream(in);
        Thread.ofVirtual().name(name).start(() -> {
            try (OutputStream o = out) {
                producer.writeTo(o);
            } catch (Throwable t) {
                in.failure = t;
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the reader sees the failure
                }
            }
        });
        return in;
    }

    @Override
    public synchronized int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            rethrow();
        }
        return b;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            rethrow();
        }
        return n;
    }

    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t != null) {
            throw t instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(t.toString(), t);
        }
    }
}
