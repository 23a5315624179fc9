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
import dev.strata.error.Undo;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import dev.strata.sys.Linux;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
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
    private final LayerImport imports;

    public LayerStore(ContentStore content, StorageDriver driver) {
        this.content = content;
        this.driver = driver;
        this.imports = new LayerImport(content, driver);
    }

    /** Layers registered in pieces, for migration: directories made and filled first, many at once, committed later. */
    public LayerImport imports() {
        return imports;
    }

    /** The storage driver as {@code info} and {@code inspect} show it: its name, its directory and its key/value lines. */
    public record DriverStatus(String name, Path home, List<String[]> lines) {
    }

    public DriverStatus driverStatus() throws IOException {
        return new DriverStatus(driver.name(), driver.home(), driver.status());
    }

    /** Where a committed layer's own files are (overlay2: its {@code diff/}; vfs: its full tree). */
    public Path files(Layer layer) {
        return driver.diffDir(layer.cacheId());
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
     * {@code parent} may be a layer that is itself only prepared ({@link PreparedLayer#asLayer()}), so that a whole new
     * stack can be registered in one transaction; that transaction must commit the parent first.
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

    private PreparedLayer prepareOn(InputStream tar, Optional<Layer> parent, Optional<Layer.CompressedBlob> source)
            throws IOException, BadContentException {
        String cacheId = imports.createDirectory(parent.map(Layer::cacheId));
        // A layer that keeps its compressed blob needs no tar-split to rebuild its tar.
        LayerImport.Filled filled = imports.fill(cacheId, tar, ApplyOptions.defaults(), Optional.empty(), true, source.isEmpty());
        return imports.assemble(filled, parent, source);
    }

    /**
     * Makes a prepared layer visible, or, when a layer with the same ChainID exists already (another image or
     * another process registered it first), keeps that one and drops the prepared directory after commit.
     */
    public Layer commit(Tx tx, PreparedLayer prepared) throws IOException {
        Optional<Layer> existing = get(tx, prepared.chainId());
        tx.afterCommit(prepared::committed);
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

    /**
     * Makes container {@code id}'s writable layer on top of {@code image} (none: an empty file system): its
     * {@code -init} layer, filled by {@code init} through a mount, and the read-write layer on it. On overlay2 this
     * costs the same for any image size: two small directories and a few files. On failure nothing is left.
     */
    public WritableLayer createWritable(String id, Optional<Layer> image, InitFiles init) throws IOException {
        return imports.createWritable(id, image, LayerContent.written(init), LayerContent.none());
    }

    /** Container {@code id}'s writable layer (whether or not its directories exist). */
    public WritableLayer writable(String id) {
        return WritableLayer.ofContainer(driver, id);
    }

    /** The driver directories that container {@code id}'s writable layer has, for the sweep. */
    public static Set<String> writableDirectories(String id) {
        return WritableLayer.directoriesOf(id);
    }

    /** A throw-away writable layer on top of {@code image} (none: an empty file system); close it to remove it. */
    public ScratchLayer createScratch(Optional<Layer> image) throws IOException {
        String dir = newCacheId();
        Optional<String> base = image.map(Layer::cacheId);
        driver.create(dir, base);
        return new ScratchLayer(WritableLayer.lone(driver, dir, base));
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

    static String newCacheId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
