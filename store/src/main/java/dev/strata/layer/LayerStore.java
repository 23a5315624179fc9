package dev.strata.layer;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.ApplyResult;
import dev.strata.archive.ArchiveException;
import dev.strata.archive.Compression;
import dev.strata.archive.LayerApplier;
import dev.strata.archive.TarSplit;
import dev.strata.content.ContentStore;
import dev.strata.digest.ChainId;
import dev.strata.digest.Digest;
import dev.strata.digest.DigestingInputStream;
import dev.strata.driver.StorageDriver;
import dev.strata.error.BadContentException;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import dev.strata.sys.Linux;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Layers by ChainID. Registering a layer is two steps: {@link #prepare} does the slow file-system work outside
 * any transaction (apply the tar into a fresh driver directory while hashing it, make it durable), and
 * {@link #commit} makes it visible with one row, or reuses the layer that already has that ChainID.
 */
public final class LayerStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContentStore content;
    private final StorageDriver driver;
    private final LayersTable rows = new LayersTable();

    public LayerStore(ContentStore content, StorageDriver driver) {
        this.content = content;
        this.driver = driver;
    }

    public StorageDriver driver() {
        return driver;
    }

    public Optional<Layer> get(Tx tx, Digest chainId) throws IOException {
        return rows.get(tx, chainId);
    }

    public Layer require(Tx tx, Digest chainId) throws IOException, NotFoundException {
        return get(tx, chainId).orElseThrow(() -> new NotFoundException("layer " + chainId + " does not exist"));
    }

    /** The stack that ends in {@code top}, bottom layer first. */
    public List<Layer> stack(Tx tx, Digest top) throws IOException, NotFoundException {
        List<Layer> out = new ArrayList<>();
        Optional<Digest> next = Optional.of(top);
        while (next.isPresent()) {
            Layer layer = require(tx, next.get());
            out.addFirst(layer);
            next = layer.parent();
        }
        return out;
    }

    public List<Layer> all(Tx tx) throws IOException {
        return rows.all(tx);
    }

    public long count(Tx tx) throws IOException {
        return rows.count(tx);
    }

    /**
     * Applies a layer tar (uncompressed, gzip or zstd) on top of {@code parent} into a new driver directory, in one
     * pass: the DiffID is computed while the files are written. The files are on stable storage when this returns.
     */
    public PreparedLayer prepare(InputStream tar, Optional<Layer> parent) throws IOException, BadContentException {
        return prepareOn(tar, parent, Optional.empty());
    }

    /**
     * Applies a layer that comes as the compressed blob {@code source} (a pull): {@code blob} streams that blob's
     * bytes, which the caller is writing to the content store at the same time and verifies against
     * {@code source.digest()}. The layer records the blob instead of a tar-split, so that push and save reproduce the
     * layer from it byte for byte; the caller must have the blob in the content store before it commits the layer.
     */
    public PreparedLayer prepare(InputStream blob, Optional<Layer> parent, Layer.CompressedBlob source)
            throws IOException, BadContentException {
        return prepareOn(blob, parent, Optional.of(source));
    }

    /** {@link #prepare(InputStream, Optional, Layer.CompressedBlob)} on top of a prepared layer. */
    public PreparedLayer prepare(InputStream blob, PreparedLayer parent, Layer.CompressedBlob source)
            throws IOException, BadContentException {
        return prepareOn(blob, Optional.of(asParent(parent)), Optional.of(source));
    }

    /**
     * Like {@link #prepare(InputStream, Optional)}, on top of a layer that is itself only prepared, so that a whole
     * new stack can be registered in one transaction; that transaction must commit {@code parent} first.
     */
    public PreparedLayer prepare(InputStream tar, PreparedLayer parent) throws IOException, BadContentException {
        return prepareOn(tar, Optional.of(asParent(parent)), Optional.empty());
    }

    private PreparedLayer prepareOn(InputStream tar, Optional<Layer> parent, Optional<Layer.CompressedBlob> source)
            throws IOException, BadContentException {
        String cacheId = createDirectory(parent.map(Layer::cacheId));
        // A layer that keeps its compressed blob needs no tar-split to rebuild its tar.
        Filled filled = fill(cacheId, tar, ApplyOptions.defaults(), Optional.empty(), true, source.isEmpty());
        return assemble(filled, parent, source);
    }

    /**
     * The first step of registering a layer in pieces (migration, where many layers are filled at once): makes the
     * driver directory for a new layer on top of the directory {@code parentCacheId} and returns its cache ID. On a
     * driver whose directories copy their parent ({@link StorageDriver#createCopiesParent()}), the parent must be
     * filled first; on the others only created.
     */
    public String createDirectory(Optional<String> parentCacheId) throws IOException {
        String cacheId = newCacheId();
        driver.create(cacheId, parentCacheId);
        return cacheId;
    }

    /**
     * A layer directory filled from a tar, not yet a layer: its ChainID needs its parent's DiffID.
     *
     * @param size bytes of regular-file content in the tar
     * @param tarSplit the blob that rebuilds the tar, when one was kept
     * @param tarSize length of the uncompressed tar
     */
    public record Filled(String cacheId, Digest diffId, long size, Optional<Digest> tarSplit, long tarSize) {
    }

    /**
     * Applies a layer tar into the directory {@link #createDirectory} made, with a tar-split blob to rebuild the tar
     * later when {@code keepTarSplit}. The DiffID is computed while the tar streams past, unless {@code knownDiffId}
     * gives it (from a checksum computed earlier over the same files: then nothing is hashed and the caller vouches
     * for it). With {@code sync} the files are on stable storage when this returns; without, the caller must
     * {@link #sync()} before a row can reach them. On failure the directory is removed.
     */
    public Filled fill(String cacheId, InputStream tar, ApplyOptions options, Optional<Digest> knownDiffId, boolean sync,
            boolean keepTarSplit) throws IOException, BadContentException {
        try {
            InputStream decompressed = Compression.decompressed(new BufferedInputStream(tar, 1 << 16));
            CountingInputStream counted = knownDiffId.isPresent() ? new CountingInputStream(decompressed) : null;
            DigestingInputStream digesting = knownDiffId.isPresent() ? null : new DigestingInputStream(decompressed);
            InputStream in = counted != null ? counted : digesting;
            ApplyResult applied = LayerApplier.apply(in, driver.diffDir(cacheId), driver.whiteoutFormat(), options);
            in.transferTo(OutputStream.nullOutputStream());
            Digest diffId = knownDiffId.isPresent() ? knownDiffId.get() : digesting.digest();
            long tarSize = counted != null ? counted.count : digesting.bytesRead();
            Optional<Digest> tarSplit = keepTarSplit
                    ? Optional.of(content.write(applied.tarSplit().newInputStream(), Optional.empty()))
                    : Optional.empty();
            if (sync) {
                // Durable before any row can reach it; one syncfs instead of an fsync per file.
                Linux.syncfs(driver.diffDir(cacheId));
            }
            return new Filled(cacheId, diffId, applied.size(), tarSplit, tarSize);
        } catch (ArchiveException e) {
            driver.remove(cacheId);
            throw new BadContentException(e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            driver.remove(cacheId);
            throw e;
        }
    }

    /** Makes what {@link #fill} wrote durable (one syncfs for the whole file system). */
    public void sync() throws IOException {
        Linux.syncfs(driver.home());
    }

    /** A filled directory as a prepared layer on top of {@code parent} (its ChainID follows from the parent's). */
    public PreparedLayer assemble(Filled filled, Optional<Layer> parent, Optional<Layer.CompressedBlob> source) {
        return new PreparedLayer(filled.cacheId(), filled.diffId(), ChainId.of(parent.map(Layer::chainId), filled.diffId()), parent,
                filled.size(), source, filled.tarSplit(), filled.tarSize());
    }

    /** A prepared layer seen as the parent of another prepared layer of the same stack. */
    public static Layer asParent(PreparedLayer parent) {
        return new Layer(parent.chainId(), parent.diffId(), parent.parent().map(Layer::chainId), parent.size(),
                parent.cacheId(), parent.compressed(), parent.tarSplit(), OptionalLong.of(parent.tarSize()), Instant.now());
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += s;
            return s;
        }
    }

    /**
     * Makes a prepared layer visible, or, when a layer with the same ChainID exists already (another image or
     * another process registered it first), keeps that one and drops the prepared directory after commit.
     */
    public Layer commit(Tx tx, PreparedLayer prepared) throws IOException {
        Optional<Layer> existing = get(tx, prepared.chainId());
        if (existing.isPresent()) {
            tx.afterCommit(() -> driver.remove(prepared.cacheId()));
            tx.onRollback(() -> driver.remove(prepared.cacheId()));
            return existing.get();
        }
        Layer layer = new Layer(prepared.chainId(), prepared.diffId(), prepared.parent().map(Layer::chainId), prepared.size(),
                prepared.cacheId(), prepared.compressed(), prepared.tarSplit(), OptionalLong.of(prepared.tarSize()), Instant.now());
        rows.insert(tx, layer);
        tx.onRollback(() -> driver.remove(prepared.cacheId()));
        return layer;
    }

    /** Drops a prepared layer that will not be committed. */
    public void discard(PreparedLayer prepared) throws IOException {
        driver.remove(prepared.cacheId());
    }

    /**
     * Deletes the layer {@code chainId} and then each ancestor in turn, as long as nothing uses it any more
     * (no image ends in it, no layer or container sits on it). Rows go now; directories after commit.
     * Returns the layers removed, top first.
     */
    public List<Layer> removeUnused(Tx tx, Digest chainId) throws IOException {
        List<Layer> removed = new ArrayList<>();
        Optional<Digest> next = Optional.of(chainId);
        while (next.isPresent()) {
            Optional<Layer> layer = get(tx, next.get());
            if (layer.isEmpty() || rows.isUsed(tx, next.get())) {
                break;
            }
            rows.delete(tx, next.get());
            String cacheId = layer.get().cacheId();
            tx.afterCommit(() -> driver.remove(cacheId));
            removed.add(layer.get());
            next = layer.get().parent();
        }
        return removed;
    }

    /**
     * The layer's exact uncompressed tar, verified against its DiffID as it streams (a mismatch fails the read):
     * decompressed from its kept blob, or rebuilt from its files and tar-split.
     */
    public InputStream openTar(Layer layer) throws IOException, NotFoundException {
        InputStream raw;
        if (layer.compressed().isPresent()) {
            raw = Compression.decompressed(new BufferedInputStream(content.open(layer.compressed().get().digest()), 1 << 16));
        } else if (layer.tarSplit().isPresent()) {
            InputStream split = content.open(layer.tarSplit().get());
            raw = ProducedStream.of("tar-split " + layer.chainId().shortHex(), out -> {
                try (split) {
                    TarSplit.reassemble(split, driver.diffDir(layer.cacheId()), out);
                }
            });
        } else {
            throw new IOException("layer " + layer.chainId() + " has neither a compressed blob nor a tar-split");
        }
        return new VerifyingInputStream(raw, layer.diffId(), "layer " + layer.chainId().shortHex());
    }

    /**
     * Length of the layer's uncompressed tar: recorded at registration, or (for layers older than that record)
     * counted by reading the tar once.
     */
    public long tarSize(Layer layer) throws IOException, NotFoundException {
        if (layer.tarSize().isPresent()) {
            return layer.tarSize().getAsLong();
        }
        try (InputStream in = openTar(layer)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Driver directories that rows reach. */
    public Set<String> cacheIds(Tx tx) throws IOException {
        return rows.cacheIds(tx);
    }

    /** Blobs that layer rows reach (compressed layers, tar-splits). */
    public Set<Digest> blobs(Tx tx) throws IOException {
        Set<Digest> out = new HashSet<>();
        for (Layer l : all(tx)) {
            l.compressed().ifPresent(c -> out.add(c.digest()));
            l.tarSplit().ifPresent(out::add);
        }
        return out;
    }

    public static String newCacheId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
