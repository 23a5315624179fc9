package dev.strata.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads conmon's {@code k8s-file} log, the format of Kubernetes' CRI logs: one line per chunk of output,
 * {@code <RFC 3339 time with offset> <stdout|stderr> <P|F> <bytes>}, where {@code P} marks a piece of a line
 * that continues in the next chunk of the same stream and {@code F} its last piece. Pieces are joined back into
 * whole lines, each stamped with the time of its first piece.
 */
public final class KubeLog implements AutoCloseable {
    /** A line of output with its newline (none for a last line that never got one). */
    public record Entry(Instant time, boolean stderr, byte[] bytes) {
    }

    private final Path file;
    private final boolean join;
    private RandomAccessFile in;
    private long offset;
    private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream();
    private final Piece[] pieces = {new Piece(), new Piece()};

    /** A line of one stream assembled from P pieces. */
    private static final class Piece {
        Instant first;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    }

    /** All of the log, pieces joined into lines. */
    public KubeLog(Path file) {
        this(file, 0, true);
    }

    private KubeLog(Path file, long offset, boolean join) {
        this.file = file;
        this.offset = offset;
        this.join = join;
    }

    /**
     * What will be written from now on, each piece as soon as it is there (a prompt without a newline shows at
     * once): for streaming a running container's output.
     */
    public static KubeLog live(Path file) throws IOException {
        return new KubeLog(file, Files.exists(file) ? Files.size(file) : 0, false);
    }

    /** The lines written since the last call (all of them the first time). */
    public List<Entry> poll() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (in == null) {
            if (!Files.exists(file)) {
                return out;
            }
            in = new RandomAccessFile(file.toFile(), "r");
        }
        long length = in.length();
        if (length < offset) {
            offset = 0; // rotated or truncated: start over
        }
        if (length == offset) {
            return out;
        }
        in.seek(offset);
        byte[] chunk = new byte[(int) Math.min(length - offset, 1 << 20)];
        in.readFully(chunk);
        offset += chunk.length;
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                unfinished.write(chunk, start, i - start);
                parse(unfinished.toByteArray(), out);
                unfinished.reset();
                start = i + 1;
            }
        }
        unfinished.write(chunk, start, chunk.length - start);
        if (length > offset) {
            out.addAll(poll());
        }
        return out;
    }

    /** Whatever pieces are still waiting for their end (at the end of a log of a stopped container). */
    public List<Entry> flush() {
        List<Entry> out = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            Piece p = pieces[s];
            if (p.first != null) {
                out.add(new Entry(p.first, s == 1, p.bytes.toByteArray()));
                p.first = null;
                p.bytes.reset();
            }
        }
        return out;
    }

    private void parse(byte[] line, List<Entry> out) {
        int a = indexOf(line, ' ', 0);
        int b = a < 0 ? -1 : indexOf(line, ' ', a + 1);
        int c = b < 0 ? -1 : indexOf(line, ' ', b + 1);
        if (c < 0) {
            return; // not a log line
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(new String(line, 0, a, StandardCharsets.US_ASCII)).toInstant();
        } catch (RuntimeException e) {
            return;
        }
        String stream = new String(line, a + 1, b - a - 1, StandardCharsets.US_ASCII);
        boolean partial = c - b == 2 && line[b + 1] == 'P';
        if (!join) {
            byte[] bytes = java.util.Arrays.copyOfRange(line, c + 1, line.length + (partial ? 0 : 1));
            if (!partial) {
                bytes[bytes.length - 1] = '\n';
            }
            out.add(new Entry(time, stream.equals("stderr"), bytes));
            return;
        }
        Piece p = pieces[stream.equals("stderr") ? 1 : 0];
        if (p.first == null) {
            p.first = time;
        }
        p.bytes.write(line, c + 1, line.length - c - 1);
        if (!partial) {
            p.bytes.write('\n');
            out.add(new Entry(p.first, stream.equals("stderr"), p.bytes.toByteArray()));
            p.first = null;
            p.bytes.reset();
        }
    }

    private static int indexOf(byte[] b, char c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
