package dev.strata.content;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import java.io.IOException;
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
 */
public final class ContentWriter extends OutputStream {
    private final ContentStore store;
    private final Path file;
    private final FileChannel channel;
    private final Optional<Digest> expected;
    private final boolean keepOnAbort;
    private final Digester digester = new Digester();
    private boolean done;

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
        digester.update(b, off, len);
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Verifies, fsyncs and moves the blob into place; returns its digest. */
    public Digest commit() throws IOException, BadContentException {
        Digest actual = digester.digest();
        done = true;
        if (expected.isPresent() && !expected.get().equals(actual)) {
            channel.close();
            Files.deleteIfExists(file);
            throw new BadContentException("digest mismatch: expected " + expected.get() + ", got " + actual + " ("
                    + digester.bytes() + " bytes); the data was discarded");
        }
        channel.force(true);
        channel.close();
        store.commit(file, actual);
        return actual;
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
        if (!done && !keepOnAbort) {
            Files.deleteIfExists(file);
        }
    }
}
