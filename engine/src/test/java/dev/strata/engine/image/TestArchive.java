package dev.strata.engine.image;

import dev.strata.archive.TarWriter;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Builds image archives entry by entry, in the order given, for load tests (including broken ones). */
final class TestArchive {
    private final Map<String, Object> entries = new LinkedHashMap<>();

    TestArchive file(String name, byte[] data) {
        entries.put(name, data);
        return this;
    }

    TestArchive file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A blob under {@code blobs/sha256/}, named by its digest; returns the digest. */
    Digest blob(byte[] data) {
        Digest d = Digester.of(data);
        file("blobs/sha256/" + d.hex(), data);
        return d;
    }

    TestArchive symlink(String name, String target) {
        entries.put(name, new Link(target));
        return this;
    }

    TestArchive remove(String name) {
        entries.remove(name);
        return this;
    }

    private record Link(String target) {
    }

    byte[] bytes() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TarWriter tar = new TarWriter(out);
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                if (e.getValue() instanceof Link l) {
                    tar.writeHeader(new TarWriter.Header(e.getKey(), (byte) '2', 0777, 0, 0, 0, 0, l.target(), 0, 0, new TreeMap<>()));
                } else {
                    byte[] data = (byte[]) e.getValue();
                    tar.writeHeader(new TarWriter.Header(e.getKey(), (byte) '0', 0644, 0, 0, data.length, 0, "", 0, 0, new TreeMap<>()));
                    out.write(data);
                    tar.pad(data.length);
                }
            }
            tar.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
