package dev.strata.engine.migrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.strata.digest.Digest;
import dev.strata.image.ImageJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;

/**
 * Layer checksums computed earlier, keyed by legacy layer ID and trusted only while the layer's fingerprint is the
 * same: both the {@code --precompute} results next to the legacy data and the journal a migration keeps in the
 * Strata store (so that a killed migration does not hash again) are files of JSON lines, one per layer:
 * {@code {"id":"<legacy id>","fingerprint":"<hex>","diff_id":"sha256:…","tar_size":n,"source":"tar-data"|"changes"}}.
 * Lines are appended and flushed as layers finish; a torn last line (a kill mid-write) is ignored, and a later line
 * for the same ID wins.
 */
final class Checksums implements AutoCloseable {
    record Line(@JsonProperty("id") String id, @JsonProperty("fingerprint") String fingerprint,
            @JsonProperty("diff_id") String diffId, @JsonProperty("tar_size") long tarSize, @JsonProperty("source") String source) {
    }

    private final Map<String, Line> known = new ConcurrentHashMap<>();
    private final Path file;
    private OutputStream out;

    private Checksums(Path file) {
        this.file = file;
    }

    /** Reads {@code file} if it exists; {@link #record} appends to it (creating it and its directory then). */
    static Checksums open(Path file) throws IOException {
        Checksums c = new Checksums(file);
        if (Files.isRegularFile(file)) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    try {
                        Line l = ImageJson.MAPPER.readValue(line, Line.class);
                        if (l != null && l.id() != null && l.fingerprint() != null && l.diffId() != null && Digest.isValid(l.diffId())) {
                            c.known.put(l.id(), l);
                        }
                    } catch (JacksonException torn) {
                        // a line cut short by a kill: that layer is hashed again
                    }
                }
            }
        }
        return c;
    }

    /** The checksum recorded for layer {@code id}, if its fingerprint is still {@code fingerprint}. */
    Optional<Line> lookup(String id, String fingerprint) {
        Line l = known.get(id);
        return l != null && l.fingerprint().equals(fingerprint) ? Optional.of(l) : Optional.empty();
    }

    int size() {
        return known.size();
    }

    Path file() {
        return file;
    }

    synchronized void record(Line line) throws IOException {
        known.put(line.id(), line);
        if (out == null) {
            Files.createDirectories(file.getParent());
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        byte[] json = ImageJson.MAPPER.writeValueAsBytes(line);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        out.write(withNewline); // one write per line: a kill tears at most the last one
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
