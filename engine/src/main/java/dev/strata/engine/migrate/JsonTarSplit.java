package dev.strata.engine.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.strata.archive.ArchiveException;
import dev.strata.archive.LayerApplier;
import dev.strata.archive.SafeDirs;
import dev.strata.image.ImageJson;
import dev.strata.sys.Linux;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;

/**
 * Reads vbatts/tar-split's format, the {@code tar-data.json.gz} that Docker 1.8 and 1.9 kept next to every layer it
 * pulled or loaded: gzip'd JSON, one object per line, in tar order. {@code {"type":2,"payload":<base64>,
 * "position":n}} is a segment of raw tar bytes (headers, padding, the end-of-archive blocks);
 * {@code {"type":1,"name":<path>,"size":n,"payload":<base64 of the CRC-64/ISO of the content, big-endian>,
 * "position":n}} is one entry whose {@code size} content bytes are in the file {@code name} of the unpacked layer
 * ({@code name_raw}, base64, replaces {@code name} when the name is not UTF-8). Rebuilding the tar from it and the
 * layer's files gives the exact original bytes, hence the DiffID Docker 1.10 computed.
 */
public final class JsonTarSplit {
    static final int FILE = 1;
    static final int SEGMENT = 2;

    private JsonTarSplit() {
    }

    /** One line of the file. */
    record Entry(@JsonProperty("type") int type, @JsonProperty("name") String name, @JsonProperty("name_raw") byte[] nameRaw,
            @JsonProperty("size") long size, @JsonProperty("payload") byte[] payload, @JsonProperty("position") long position) {
    }

    /**
     * The original tar, rebuilt from {@code tarDataGz} (the gzip'd JSON lines) and the layer directory {@code root},
     * as a stream to read once and close. Each file is opened under {@code root} without following symlinks, and its
     * size and CRC-64 are checked as it streams: a file that changed, a missing file, or a truncated or corrupt
     * {@code tar-data.json.gz} fails the read with an {@link ArchiveException} saying which.
     */
    public static InputStream open(InputStream tarDataGz, Path root) throws IOException {
        return new Reassembly(tarDataGz, root);
    }

    private static final class Reassembly extends InputStream {
        private static final int BUFFER = 1 << 20;
        private final InputStream source;
        private final MappingIterator<Entry> entries;
        private final SafeDirs dirs;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment nativeBuf = arena.allocate(BUFFER, 4096);
        private final Crc64 crc = new Crc64();
        private byte[] segment;
        private int segmentPos;
        private int fd = -1;
        private long fileLeft;
        private Entry file;
        private boolean checkCrc;
        private byte[] lastSegment;
        private boolean done;
        private long entryCount;

        Reassembly(InputStream tarDataGz, Path root) throws IOException {
            this.source = tarDataGz;
            InputStream json;
            try {
                json = new GZIPInputStream(tarDataGz, 1 << 16);
            } catch (EOFException e) {
                throw ArchiveException.of("tar-data.json.gz is truncated (no complete gzip header)");
            } catch (java.util.zip.ZipException e) {
                throw ArchiveException.of("tar-data.json.gz is not gzip data: " + e.getMessage());
            }
            try {
                this.entries = ImageJson.MAPPER.readerFor(Entry.class).readValues(json);
            } catch (JacksonException e) {
                throw ArchiveException.of("tar-data.json.gz does not parse: " + e.getOriginalMessage());
            }
            this.dirs = new SafeDirs(root);
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
                if (segment != null) {
                    int n = Math.min(len, segment.length - segmentPos);
                    System.arraycopy(segment, segmentPos, b, off, n);
                    segmentPos += n;
                    if (segmentPos == segment.length) {
                        segment = null;
                    }
                    return n;
                }
                if (fd >= 0) {
                    if (fileLeft == 0) {
                        finishFile();
                        continue;
                    }
                    long n = Linux.read(fd, nativeBuf, Math.min(Math.min(len, BUFFER), fileLeft));
                    if (n == 0) {
                        throw ArchiveException.of("layer file \"" + name(file) + "\" has " + (file.size() - fileLeft)
                                + " bytes, tar-data.json.gz says " + file.size());
                    }
                    MemorySegment.copy(nativeBuf, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                    if (checkCrc) {
                        crc.update(b, off, (int) n);
                    }
                    fileLeft -= n;
                    return (int) n;
                }
                if (done || !next()) {
                    done = true;
                    return -1;
                }
            }
        }

        /** Moves to the next entry; false at the end. */
        private boolean next() throws IOException {
            Entry e;
            try {
                if (!entries.hasNextValue()) {
                    return false;
                }
                e = entries.nextValue();
            } catch (JacksonException x) {
                boolean truncated = String.valueOf(x.getMessage()).contains("end-of-input");
                for (Throwable c = x.getCause(); c != null; c = c.getCause()) {
                    truncated |= c instanceof EOFException;
                }
                if (truncated) {
                    throw ArchiveException.of("tar-data.json.gz is truncated after " + entryCount + " entries");
                }
                throw ArchiveException.of("tar-data.json.gz entry " + (entryCount + 1) + " does not parse: " + x.getOriginalMessage());
            }
            entryCount++;
            switch (e.type()) {
                case SEGMENT -> {
                    if (e.payload() != null && e.payload().length > 0) {
                        segment = e.payload();
                        segmentPos = 0;
                        lastSegment = segment;
                    }
                }
                case FILE -> {
                    if (e.size() < 0) {
                        throw ArchiveException.of("tar-data.json.gz entry " + entryCount + " has a negative size");
                    }
                    if (e.size() > 0) {
                        String rel = LayerApplier.cleanName(name(e));
                        try {
                            fd = dirs.openFile(rel);
                        } catch (IOException x) {
                            throw ArchiveException.of("layer file \"" + name(e) + "\" named by tar-data.json.gz cannot be opened: "
                                    + x.getMessage());
                        }
                        file = e;
                        fileLeft = e.size();
                        crc.reset();
                        checkCrc = !unchangedSinceUnpacked(fd, e);
                    }
                }
                default -> throw ArchiveException.of("tar-data.json.gz entry " + entryCount + " has unknown type " + e.type());
            }
            return true;
        }

        private void finishFile() throws IOException {
            try {
                if (Linux.read(fd, nativeBuf, 1) != 0) {
                    throw ArchiveException.of("layer file \"" + name(file) + "\" is longer than the " + file.size()
                            + " bytes tar-data.json.gz says");
                }
                byte[] expected = file.payload();
                if (checkCrc && expected != null && expected.length == 8 && !Arrays.equals(expected, crc.bytes())) {
                    throw ArchiveException.of("layer file \"" + name(file) + "\" changed since the layer was unpacked "
                            + "(its CRC-64 differs from tar-data.json.gz)");
                }
            } finally {
                Linux.close(fd);
                fd = -1;
                file = null;
            }
        }

        /**
         * The quick check that spares most files their CRC-64 (which costs more than the SHA-256 of the DiffID): the
         * file still has the size and the modification time (whole seconds) that its tar header gave it when it was
         * unpacked. A file written since has a newer mtime and is checked byte by byte; only a change that also
         * restores the old mtime on purpose would pass unnoticed (as with rsync's quick check).
         */
        private boolean unchangedSinceUnpacked(int fd, Entry e) {
            long headerMtime = headerMtime(lastSegment);
            if (headerMtime < 0) {
                return false;
            }
            try {
                java.util.Map<String, Object> a = java.nio.file.Files.readAttributes(Path.of("/proc/self/fd/" + fd),
                        "unix:size,lastModifiedTime");
                return (Long) a.get("size") == e.size()
                        && ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond() == headerMtime;
            } catch (IOException | RuntimeException x) {
                return false;
            }
        }

        /** The mtime in the ustar header that ends {@code segment} (a PAX mtime before it wins), or -1. */
        static long headerMtime(byte[] segment) {
            if (segment == null || segment.length < 512) {
                return -1;
            }
            int h = segment.length - 512;
            if (segment[h + 257] != 'u' || segment[h + 258] != 's' || segment[h + 259] != 't' || segment[h + 260] != 'a'
                    || segment[h + 261] != 'r') {
                return -1;
            }
            String text = new String(segment, 0, h, StandardCharsets.ISO_8859_1);
            int pax = text.lastIndexOf(" mtime=");
            if (pax >= 0) {
                int end = text.indexOf('\n', pax);
                String v = text.substring(pax + 7, end < 0 ? text.length() : end);
                int dot = v.indexOf('.');
                try {
                    return Long.parseLong(dot < 0 ? v : v.substring(0, dot));
                } catch (NumberFormatException x) {
                    return -1;
                }
            }
            int off = h + 136;
            if ((segment[off] & 0x80) != 0) {
                long v = 0;
                for (int i = 1; i < 12; i++) {
                    v = v << 8 | (segment[off + i] & 0xff);
                }
                return v;
            }
            long v = 0;
            boolean any = false;
            for (int i = 0; i < 12; i++) {
                byte c = segment[off + i];
                if (c >= '0' && c <= '7') {
                    v = v * 8 + (c - '0');
                    any = true;
                } else if (any || (c != ' ' && c != 0)) {
                    break;
                }
            }
            return any ? v : -1;
        }

        private static String name(Entry e) {
            return e.nameRaw() != null && e.nameRaw().length > 0 ? new String(e.nameRaw(), StandardCharsets.UTF_8)
                    : e.name() == null ? "" : e.name();
        }

        @Override
        public void close() throws IOException {
            if (fd >= 0) {
                Linux.close(fd);
                fd = -1;
            }
            try {
                entries.close();
            } finally {
                dirs.close();
                arena.close();
                source.close();
            }
        }
    }
}
