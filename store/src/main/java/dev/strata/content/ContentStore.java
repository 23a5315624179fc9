package dev.strata.content;

import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.error.NotFoundException;
import dev.strata.sys.Linux;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Blobs by digest under {@code <root>/blobs/sha256/<hex>}. Every blob streams through a file in
 * {@code <root>/ingest/}, is verified against its digest while it streams, fsynced, and renamed into place, so a
 * blob that is visible is complete and correct. The same blob written twice is stored once.
 */
public final class ContentStore {
    static final String FRESH_PREFIX = "tmp-";
    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) throws IOException {
        this.blobs = root.resolve("blobs").resolve(Digest.ALGORITHM);
        this.ingest = root.resolve("ingest");
        Files.createDirectories(blobs);
        Files.createDirectories(ingest);
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public long size(Digest digest) throws NotFoundException, IOException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + digest + " is not in the content store");
        }
    }

    public InputStream open(Digest digest) throws NotFoundException, IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + digest + " is not in the content store");
        }
    }

    public byte[] read(Digest digest) throws NotFoundException, IOException {
        try {
            return Files.readAllBytes(path(digest));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("blob " + digest + " is not in the content store");
        }
    }

    /** Stores {@code data} and returns its digest. */
    public Digest write(byte[] data) throws IOException {
        try (ContentWriter w = writer(Optional.empty())) {
            w.write(data, 0, data.length);
            return w.commit();
        } catch (BadContentException e) {
            throw new AssertionError("no expected digest was given", e);
        }
    }

    /** Streams {@code in} into the store, checking it against {@code expected} when given. */
    public Digest write(InputStream in, Optional<Digest> expected) throws IOException, BadContentException {
        try (ContentWriter w = writer(expected)) {
            in.transferTo(w);
            return w.commit();
        }
    }

    /** A writer for a new blob; nothing becomes visible until {@link ContentWriter#commit()}. */
    public ContentWriter writer(Optional<Digest> expected) throws IOException {
        return ContentWriter.fresh(this, expected);
    }

    /**
     * A writer that resumes the ingest named {@code ref} (a partial download kept from an earlier attempt),
     * re-hashing what is already there.
     */
    public ContentWriter resumableWriter(String ref, Digest expected) throws IOException {
        return ContentWriter.resume(this, ingest.resolve(ref), expected);
    }

    /**
     * A new empty file in {@code ingest/} for data that is not a blob yet (an archive entry waiting for its place);
     * the caller deletes it, and the sweep removes it if the caller dies first.
     */
    public Path scratchFile() throws IOException {
        return Files.createFile(ingest.resolve(FRESH_PREFIX + UUID.randomUUID()));
    }

    Path ingestDir() {
        return ingest;
    }

    /** Moves a complete, verified, fsynced ingest file into place. */
    void commit(Path ingestFile, Digest digest) throws IOException {
        Path target = path(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(ingestFile);
            return;
        }
        try {
            Files.move(ingestFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(ingestFile);
            if (!Files.exists(target)) {
                throw e;
            }
        }
        Linux.fsyncDirectory(blobs);
    }

    /** Every blob digest on disk; the sweep compares this with what rows reach. */
    public Set<Digest> list() throws IOException {
        Set<Digest> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(blobs)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Digest.isValid(Digest.ALGORITHM + ":" + name)) {
                    out.add(new Digest(name));
                }
            }
        }
        return out;
    }

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    /**
     * Removes abandoned ingest files: every unnamed one (its writer is gone) and named, resumable ones last
     * modified before {@code cutoffMillis}. Only call this while no writer can be active. Returns how many.
     */
    public int removeStaleIngests(long cutoffMillis) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ingest)) {
            for (Path p : ds) {
                try {
                    if (p.getFileName().toString().startsWith(FRESH_PREFIX) || Files.getLastModifiedTime(p).toMillis() < cutoffMillis) {
                        Files.deleteIfExists(p);
                        removed++;
                    }
                } catch (NoSuchFileException ignored) {
                    // another process finished it
                }
            }
        }
        return removed;
    }
}
