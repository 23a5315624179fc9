package dev.strata.engine.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip, compressed on every core the way pigz does it: the input is cut into blocks, each block is deflated on its own
 * thread with the previous block's last 32 KiB as its dictionary and ends with a sync flush, and the pieces are
 * joined in order into one ordinary gzip member (one deflate stream, one CRC-32). The output is the same for the same
 * input, level and block size, so a layer compressed twice gets the same digest.
 */
final class ParallelGzip extends InputStream {
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final InputStream source;
    private final int level;
    private final int window;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private long length;
    private byte[] previous;
    private boolean sourceDone;
    private boolean trailerDone;
    private byte[] current = HEADER;
    private int position;

    ParallelGzip(InputStream source, int level) {
        this.source = source;
        this.level = level;
        this.window = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (position >= current.length) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    private boolean next() throws IOException {
        while (!sourceDone && pending.size() < window) {
            byte[] block = source.readNBytes(BLOCK);
            boolean last = block.length < BLOCK;
            crc.update(block, 0, block.length);
            length += block.length;
            byte[] dictionary = previous == null ? null
                    : Arrays.copyOfRange(previous, Math.max(0, previous.length - DICTIONARY), previous.length);
            pending.add(executor.submit(() -> deflate(block, dictionary, last, level)));
            previous = block.length > 0 ? block : previous;
            sourceDone = last;
        }
        if (!pending.isEmpty()) {
            try {
                current = pending.poll().get();
            } catch (ExecutionException e) {
                throw new IOException("gzip failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while compressing");
            }
            position = 0;
            return true;
        }
        if (!trailerDone) {
            trailerDone = true;
            long c = crc.getValue();
            current = new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)};
            position = 0;
            return true;
        }
        return false;
    }

    private static byte[] deflate(byte[] block, byte[] dictionary, boolean last, int level) {
        Deflater d = new Deflater(level, true);
        try {
            if (dictionary != null) {
                d.setDictionary(dictionary);
            }
            d.setInput(block);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(block.length / 2 + 64);
            byte[] buf = new byte[64 * 1024];
            if (last) {
                d.finish();
                while (!d.finished()) {
                    int n = d.deflate(buf);
                    out.write(buf, 0, n);
                }
            } else {
                while (true) {
                    int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    out.write(buf, 0, n);
                    if (n < buf.length && d.needsInput()) {
                        break;
                    }
                }
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    @Override
    public void close() throws IOException {
        executor.shutdownNow();
        executor.close();
        source.close();
    }
}
