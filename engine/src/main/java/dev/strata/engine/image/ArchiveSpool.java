package dev.strata.engine.image;

import dev.strata.archive.ArchiveException;
import dev.strata.archive.Compression;
import dev.strata.archive.TarEntry;
import dev.strata.archive.TarReader;
import dev.strata.content.ContentStore;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files of an image archive that arrived as a stream, kept until the archive's metadata says what they are.
 * Archives put {@code manifest.json} and {@code index.json} after the layers (Docker, podman and skopeo all do), so
 * a layer's place in its stack is unknown when it streams past: small files stay in memory, big ones go to scratch
 * files under {@code <root>/ingest/} (which the sweep removes if this process dies). Every file is hashed while it
 * is kept, so digests are checked before anything is applied.
 */
final class ArchiveSpool implements AutoCloseable {
    /** Files up to this size stay in memory (JSON documents, and small layers). */
    private static final int SMALL = 1 << 20;
    /** Memory all in-memory files may take together; beyond it, small files go to disk too. */
    private static final long MEMORY = 64L << 20;
    private static final int MAX_LINK_HOPS = 16;

    /** One file of the archive: its bytes in memory or in a scratch file, with their digest and first bytes. */
    record Item(String name, long size, Digest digest, byte[] head, byte[] data, Path file) {
        InputStream open() throws IOException {
            return data != null ? new ByteArrayInputStream(data) : Files.newInputStream(file);
        }

        Compression compression() {
            return Compression.detect(head, head.length);
        }
    }

    private final ContentStore content;
    private final String source;
    private final Map<String, Item> files = new HashMap<>();
    /** Symlinks and hardlinks: name to the (cleaned) name they point at. */
    private final Map<String, String> links = new HashMap<>();
    private long memory;

    private ArchiveSpool(ContentStore content, String source) {
        this.content = content;
        this.source = source;
    }

    /** Reads the whole archive (uncompressed, gzip or zstd, as docker load accepts). */
    static ArchiveSpool read(InputStream in, ContentStore content, String source) throws IOException, BadContentException {
        ArchiveSpool spool = new ArchiveSpool(content, source);
        try {
            TarReader reader = new TarReader(Compression.decompressed(in));
            Optional<TarEntry> next;
            while ((next = reader.next()).isPresent()) {
                TarEntry e = next.get();
                Optional<String> name = clean(e.name());
                if (name.isEmpty()) {
                    continue;
                }
                switch (e.type()) {
                    case FILE -> spool.keep(name.get(), e.size(), reader.content());
                    // A symlink's target is relative to its directory, a hardlink's to the archive root.
                    case SYMLINK -> spool.link(name.get(),
                            e.linkName().startsWith("/") ? e.linkName() : parentOf(name.get()) + e.linkName());
                    case HARDLINK -> spool.link(name.get(), e.linkName());
                    default -> {
                        // directories and anything else carry nothing an image needs
                    }
                }
            }
            return spool;
        } catch (ArchiveException e) {
            spool.close();
            throw new BadContentException("the archive from " + source + " is not a valid tar: "
                    + e.getMessage().replace("layer tar", "archive"), e);
        } catch (IOException | RuntimeException | Error e) {
            spool.close();
            throw e;
        }
    }

    private void keep(String name, long size, InputStream in) throws IOException {
        drop(name); // a later entry of the same name replaces an earlier one, as when extracting
        Digester digester = new Digester();
        byte[] head = new byte[8];
        int headLength = 0;
        byte[] buf = new byte[1 << 16];
        boolean inMemory = size <= SMALL && memory + size <= MEMORY;
        ByteArrayOutputStream mem = inMemory ? new ByteArrayOutputStream((int) size) : null;
        Path file = inMemory ? null : content.scratchFile();
        try (OutputStream out = inMemory ? mem : Files.newOutputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                digester.update(buf, 0, r);
                if (headLength < head.length) {
                    int n = Math.min(head.length - headLength, r);
                    System.arraycopy(buf, 0, head, headLength, n);
                    headLength += n;
                }
                out.write(buf, 0, r);
            }
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        links.remove(name);
        files.put(name, new Item(name, digester.bytes(), digester.digest(), java.util.Arrays.copyOf(head, headLength),
                inMemory ? mem.toByteArray() : null, file));
        if (inMemory) {
            memory += size;
        }
    }

    private void link(String name, String target) throws IOException {
        drop(name);
        Optional<String> cleaned = clean(target);
        if (cleaned.isPresent()) {
            links.put(name, cleaned.get());
        } else {
            links.remove(name); // points out of the archive: finds nothing
        }
    }

    private void drop(String name) throws IOException {
        Item old = files.remove(name);
        if (old != null) {
            if (old.file() != null) {
                Files.deleteIfExists(old.file());
            } else {
                memory -= old.size();
            }
        }
    }

    /** The file {@code name} names (following links within the archive), if the archive has it. */
    Optional<Item> find(String name) {
        Optional<String> current = clean(name);
        for (int hops = 0; current.isPresent() && hops <= MAX_LINK_HOPS; hops++) {
            Item item = files.get(current.get());
            if (item != null) {
                return Optional.of(item);
            }
            current = Optional.ofNullable(links.get(current.get()));
        }
        return Optional.empty();
    }

    /** Like {@link #find}, failing with a message that says what the missing file was for. */
    Item require(String name, String what) throws BadContentException {
        return find(name).orElseThrow(() -> new BadContentException("the archive from " + source + " has no file \"" + name
                + "\" (" + what + ")"));
    }

    /** A JSON document's bytes; such files are small, and a huge one is refused rather than read into memory. */
    byte[] bytes(Item item) throws IOException, BadContentException {
        if (item.data() != null) {
            return item.data();
        }
        if (item.size() > (32 << 20)) {
            throw new BadContentException("\"" + item.name() + "\" in the archive from " + source + " has " + item.size()
                    + " bytes, too many for a JSON document");
        }
        return Files.readAllBytes(item.file());
    }

    boolean has(String name) {
        return find(name).isPresent();
    }

    /**
     * A tar path made relative and canonical ({@code ./a//b/../c} is {@code a/c}); empty for the root, and for a
     * path that climbs out of the archive (nothing may be found through it).
     */
    static Optional<String> clean(String name) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("/", parts));
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash + 1);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Item item : files.values()) {
            if (item.file() != null) {
                try {
                    Files.deleteIfExists(item.file());
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        files.clear();
        if (first != null) {
            throw first;
        }
    }
}
