package dev.strata.content;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes one blob through an ingest file, hashing as it goes. {@link #commit()} verifies the digest, fsyncs and
 * renames the file into the store; {@link #close()} without commit discards it (unless it is a resumable ingest,
 * which stays for the next attempt).
 *
 * <p>While it is written, other threads may {@link #follow()} it: read the bytes as they land in the ingest file,
 * from its start, waiting for more until the writer is {@linkplain #verify() verified} (then the reader sees the end)
 * or closed without (then the reader fails). A pull downloads each layer into its ingest file at network speed and
 * unpacks it by following that file, usually from the page cache right behind the writer.
 */
public final class ContentWriter extends OutputStream {
    private final ContentStore store;
    private final Path file;
    private final FileChannel channel;
    private final Optional<Digest> expected;
    private final boolean keepOnAbort;
    private Digester digester = new Digester();
    private boolean done;
    private Digest verified;
    /** Guards the followers' view: {@link #size} and {@link #state}. */
    private final Object progress = new Object();
    private volatile long size;
    private volatile State state = State.WRITING;
    private volatile String abortReason = "the writer was closed";

    private enum State { WRITING, COMPLETE, ABORTED }

    private ContentWriter(ContentStore store, Path file, FileChannel channel, Optional<Digest> expected, boolean keepOnAbort) {
        this.store = store;
        this.file = file;
        this.channel = channel;
        this.expected = expected;
        this.keepOnAbort = keepOnAbort;
    }

    static ContentWriter fresh(ContentStore store, Optional<Digest> expected) throws IOException {
        Path file = store.ingestDir().resolve(ContentStore.FRESH_PREFIX + UUID.randomUUID());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new ContentWriter(store, file, ch, expected, false);
    }

    static ContentWriter resume(ContentStore store, Path file, Digest expected) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ContentWriter w = new ContentWriter(store, file, ch, Optional.of(expected), true);
        // Re-hash what an earlier attempt wrote, so the final digest covers the whole blob.
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long pos = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            buf.flip();
            w.digester.update(buf);
            pos += n;
        }
        ch.position(pos);
        w.size = pos;
        return w;
    }

    /** Bytes written so far, including those an earlier attempt left in a resumed ingest. */
    public long offset() {
        return digester.bytes();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (verified != null) {
            throw new IOException("blob " + verified + " is verified already; nothing more can be written to it");
        }
        digester.update(b, off, len);
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        synchronized (progress) {
            size += len;
            progress.notifyAll();
        }
    }

    /**
     * Empties a resumed ingest whose content cannot be the start of the expected blob (longer than the blob), so
     * that it is written again from the start.
     */
    public void restart() throws IOException {
        channel.truncate(0);
        channel.position(0);
        digester = new Digester();
        synchronized (progress) {
            size = 0;
        }
    }

    /**
     * Checks the bytes written so far against the expected digest, and ends the blob: followers read to the end and
     * nothing more can be written. A mismatch discards the data (a resumable ingest too) and fails followers.
     * {@link #commit()} later moves the verified blob into place.
     */
    public Digest verify() throws IOException, BadContentException {
        if (verified != null) {
            return verified;
        }
        Digest actual = digester.digest();
        if (expected.isPresent() && !expected.get().equals(actual)) {
            done = true;
            channel.close();
            Files.deleteIfExists(file);
            String message = "digest mismatch: expected " + expected.get() + ", got " + actual + " (" + digester.bytes()
                    + " bytes); the data was discarded";
            end(State.ABORTED, message);
            throw new BadContentException(message);
        }
        verified = actual;
        end(State.COMPLETE, null);
        return actual;
    }

    /** Verifies (unless {@link #verify()} did), fsyncs and moves the blob into place; returns its digest. */
    public Digest commit() throws IOException, BadContentException {
        Digest actual = verify();
        done = true;
        channel.force(true);
        channel.close();
        store.commit(file, actual);
        return actual;
    }

    /**
     * Reads the blob from its first byte as it is written: reads wait for more bytes until the writer is verified
     * (then they end where it ends) or closed without being verified (then they fail with an IOException that says
     * why, e.g. the download was cut short). Open it before {@link #commit()}.
     */
    public InputStream follow() throws IOException {
        return new Follower(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** Makes followers fail with {@code reason} (a failed download) and ends this writer as {@link #close()} does. */
    public void abort(String reason) throws IOException {
        end(State.ABORTED, reason);
        close();
    }

    private void end(State to, String reason) {
        synchronized (progress) {
            if (state == State.WRITING) {
                if (reason != null) {
                    abortReason = reason;
                }
                state = to;
            }
            progress.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        end(State.ABORTED, null);
        if (channel.isOpen()) {
            channel.close();
        }
        if (!done && !keepOnAbort) {
            Files.deleteIfExists(file);
        }
    }

    private final class Follower extends InputStream {
        private final FileChannel in;
        private long position;

        Follower(FileChannel in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                long available = size - position;
                if (available > 0) {
                    int n = in.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), position);
                    if (n < 0) {
                        throw new IOException("ingest file " + file.getFileName() + " is shorter than what was written to it");
                    }
                    position += n;
                    return n;
                }
                State s = state;
                if (s == State.COMPLETE) {
                    return -1;
                }
                if (s == State.ABORTED) {
                    throw new IOException(abortReason);
                }
                synchronized (progress) {
                    while (size == position && state == State.WRITING) {
                        try {
                            progress.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("interrupted while waiting for " + file.getFileName());
                        }
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
