package dev.strata.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.strata.sys.Linux;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The non-content bytes of a layer tar plus references to the files that hold its contents, from which the
 * exact tar (same bytes, same DiffID) can be rebuilt out of the unpacked layer directory. This is how a layer is
 * kept without a second copy of its tar (Docker and containers/storage use vbatts/tar-split the same way).
 *
 * <p>Format (version 1): the bytes {@code "STSP"}, a version byte, then zstd frames whose decompressed content
 * is: the inlined contents (a varint count, then per item the varint slot number, varint length and bytes: the
 * contents of files that a later entry of the same tar overwrote or deleted, so they are no longer on disk),
 * followed by records: {@code 1} raw bytes (varint length, bytes), {@code 2} file content (varint path length,
 * UTF-8 path relative to the layer root, varint size, 4-byte big-endian CRC-32C; the n-th file record is slot
 * n), {@code 0} end (varint total tar length).
 */
public final class TarSplit {
    static final byte[] MAGIC = {'S', 'T', 'S', 'P'};
    static final int VERSION = 1;
    private static final int RAW = 1;
    private static final int FILE = 2;
    private static final int END = 0;

    private final byte[] bytes;

    private TarSplit(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A tar-split read back from its serialized bytes (as {@link #writeTo} wrote them). */
    public static TarSplit of(byte[] serialized) {
        return new TarSplit(serialized.clone());
    }

    /** Writes the serialized tar-split (to be stored next to the layer). */
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    /** The serialized tar-split as a stream. */
    public InputStream newInputStream() {
        return new ByteArrayInputStream(bytes);
    }

    /** Length of the serialized form in bytes. */
    public int length() {
        return bytes.length;
    }

    /**
     * Rebuilds the original tar from a serialized tar-split and the layer directory {@code root}. File contents
     * are opened under {@code root} without following any symlink; a file whose size or checksum differs from
     * what was recorded fails the rebuild (the bytes written so far are then not the original tar).
     */
    public static void reassemble(InputStream tarSplit, Path root, OutputStream out) throws IOException {
        byte[] head = tarSplit.readNBytes(MAGIC.length + 1);
        if (head.length < MAGIC.length + 1 || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw ArchiveException.of("tar-split data does not start with the STSP magic: not a Strata tar-split");
        }
        if (head[MAGIC.length] != VERSION) {
            throw ArchiveException.of("tar-split version " + head[MAGIC.length] + " is not supported (this Strata reads "
                    + VERSION + ")");
        }
        try (InputStream z = new ZstdInputStreamNoFinalizer(tarSplit);
                DataInputStream in = new DataInputStream(new BufferedInputStream(z, 1 << 16));
                SafeDirs dirs = new SafeDirs(root);
                Arena arena = Arena.ofConfined()) {
            Map<Long, byte[]> inlined = new HashMap<>();
            long count = readVarint(in);
            for (long i = 0; i < count; i++) {
                long slot = readVarint(in);
                inlined.put(slot, readBytes(in, readVarint(in)));
            }
            byte[] buf = new byte[1 << 20];
            MemorySegment native_ = arena.allocate(buf.length);
            long slot = 0;
            long total = 0;
            while (true) {
                int tag = in.read();
                switch (tag) {
                    case RAW -> {
                        long n = readVarint(in);
                        for (long done = 0; done < n;) {
                            int chunk = (int) Math.min(buf.length, n - done);
                            in.readFully(buf, 0, chunk);
                            out.write(buf, 0, chunk);
                            done += chunk;
                        }
                        total += n;
                    }
                    case FILE -> {
                        String path = new String(readBytes(in, readVarint(in)), StandardCharsets.UTF_8);
                        long size = readVarint(in);
                        int crc = in.readInt();
                        byte[] inline = inlined.get(slot);
                        if (inline != null) {
                            if (inline.length != size) {
                                throw ArchiveException.of("tar-split is corrupt: inlined content of \"" + path + "\" has "
                                        + inline.length + " bytes, not " + size);
                            }
                            out.write(inline);
                        } else {
                            copyFile(dirs, path, size, crc, buf, native_, out);
                        }
                        total += size;
                        slot++;
                    }
                    case END -> {
                        long expected = readVarint(in);
                        if (expected != total) {
                            throw ArchiveException.of("tar-split is corrupt: it describes " + expected + " bytes but rebuilt "
                                    + total);
                        }
                        return;
                    }
                    case -1 -> throw ArchiveException.of("tar-split is truncated (no end record)");
                    default -> throw ArchiveException.of("tar-split is corrupt: unknown record type " + tag);
                }
            }
        } catch (EOFException e) {
            throw ArchiveException.of("tar-split is truncated");
        }
    }

    private static void copyFile(SafeDirs dirs, String path, long size, int crc, byte[] buf, MemorySegment native_,
            OutputStream out) throws IOException {
        int fd;
        try {
            fd = dirs.openFile(path);
        } catch (IOException e) {
            throw ArchiveException.of("cannot rebuild the layer tar: content file \"" + path + "\" cannot be opened: "
                    + e.getMessage());
        }
        try {
            CRC32C sum = new CRC32C();
            long done = 0;
            while (done < size) {
                long n = Linux.read(fd, native_, Math.min(buf.length, size - done));
                if (n == 0) {
                    throw ArchiveException.of("cannot rebuild the layer tar: content file \"" + path + "\" has " + done
                            + " bytes, the tar had " + size);
                }
                MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                sum.update(buf, 0, (int) n);
                out.write(buf, 0, (int) n);
                done += n;
            }
            if (Linux.read(fd, native_, 1) != 0) {
                throw ArchiveException.of("cannot rebuild the layer tar: content file \"" + path
                        + "\" has grown since the layer was unpacked");
            }
            if ((int) sum.getValue() != crc) {
                throw ArchiveException.of("cannot rebuild the layer tar: content file \"" + path
                        + "\" changed since the layer was unpacked (checksum mismatch)");
            }
        } finally {
            Linux.close(fd);
        }
    }

    /** Collects a tar-split while a tar is applied; the applier records where each file's content went. */
    static final class Recorder implements TarReader.RawSink {
        private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        private final OutputStream records;
        private final byte[] pending = new byte[1 << 16];
        private int pendingLength;
        private long slots;
        private long total;
        private final Map<Long, byte[]> inlined = new HashMap<>();

        Recorder() {
            try {
                records = new ZstdOutputStreamNoFinalizer(compressed, 3);
            } catch (IOException e) {
                throw new IllegalStateException("zstd encoder could not be created", e);
            }
        }

        @Override
        public void raw(byte[] b, int off, int len) throws IOException {
            total += len;
            if (pendingLength + len > pending.length) {
                flushRaw();
            }
            if (len > pending.length) {
                writeRaw(b, off, len);
            } else {
                System.arraycopy(b, off, pending, pendingLength, len);
                pendingLength += len;
            }
        }

        /** Records that the next {@code size} content bytes are in file {@code path}; returns its slot. */
        long file(String path, long size, int crc32c) throws IOException {
            flushRaw();
            byte[] p = path.getBytes(StandardCharsets.UTF_8);
            records.write(FILE);
            writeVarint(records, p.length);
            records.write(p);
            writeVarint(records, size);
            records.write(new byte[] {(byte) (crc32c >>> 24), (byte) (crc32c >>> 16), (byte) (crc32c >>> 8), (byte) crc32c});
            total += size;
            return slots++;
        }

        /** Keeps the content of slot {@code slot} in the tar-split itself: its file is about to be overwritten. */
        void inline(long slot, byte[] content) {
            inlined.put(slot, content);
        }

        TarSplit finish() throws IOException {
            flushRaw();
            records.write(END);
            writeVarint(records, total);
            records.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.size() + 64);
            out.write(MAGIC);
            out.write(VERSION);
            try (OutputStream z = new ZstdOutputStreamNoFinalizer(new NonClosingOutputStream(out), 3)) {
                writeVarint(z, inlined.size());
                for (Map.Entry<Long, byte[]> e : inlined.entrySet()) {
                    writeVarint(z, e.getKey());
                    writeVarint(z, e.getValue().length);
                    z.write(e.getValue());
                }
            }
            // Concatenated zstd frames decompress as one stream.
            compressed.writeTo(out);
            return new TarSplit(out.toByteArray());
        }

        private void flushRaw() throws IOException {
            if (pendingLength > 0) {
                writeRaw(pending, 0, pendingLength);
                pendingLength = 0;
            }
        }

        private void writeRaw(byte[] b, int off, int len) throws IOException {
            records.write(RAW);
            writeVarint(records, len);
            records.write(b, off, len);
        }
    }

    static void writeVarint(OutputStream out, long v) throws IOException {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static long readVarint(InputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw ArchiveException.of("tar-split is corrupt: varint too long");
    }

    private static byte[] readBytes(DataInputStream in, long n) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw ArchiveException.of("tar-split is corrupt: length " + n);
        }
        byte[] b = new byte[(int) n];
        in.readFully(b);
        return b;
    }
}
