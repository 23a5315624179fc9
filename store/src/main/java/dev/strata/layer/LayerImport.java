package dev.strata.layer;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.ApplyResult;
import dev.strata.archive.ArchiveException;
import dev.strata.archive.Compression;
import dev.strata.archive.LayerApplier;
import dev.strata.content.ContentStore;
import dev.strata.digest.ChainId;
import dev.strata.digest.CountingInputStream;
import dev.strata.digest.Digest;
import dev.strata.digest.DigestingInputStream;
import dev.strata.driver.CopiesParent;
import dev.strata.driver.Rebase;
import dev.strata.driver.StorageDriver;
import dev.strata.error.BadContentException;
import dev.strata.error.Undo;
import dev.strata.sys.Linux;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Registering layers in pieces, for migration: the layer store's side door, kept apart so that the core contracts
 * stay small. Directories are made and filled first, many at once and without a sync each ({@link #createDirectory},
 * {@link #fill}), made durable together ({@link #sync}), given their ChainIDs once their parents' DiffIDs are known
 * ({@link #assemble}), and committed like any prepared layer ({@link LayerStore#commit}). The layer store uses the
 * same steps for a single layer.
 */
public final class LayerImport {
    private final ContentStore content;
    private final StorageDriver driver;

    LayerImport(ContentStore content, StorageDriver driver) {
        this.content = content;
        this.driver = driver;
    }

    /**
     * The first step of registering a layer in pieces (migration, where many layers are filled at once): makes the
     * driver directory for a new layer on top of the directory {@code parentCacheId} and returns its cache ID. On a
     * driver whose directories copy their parent ({@link #parentFirst()}), the parent must be filled first; on the
     * others only created.
     */
    public String createDirectory(Optional<String> parentCacheId) throws IOException {
        String cacheId = LayerStore.newCacheId();
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
     * for it). The caller must {@link #sync()} before a row can reach the files. On failure the directory is removed.
     */
    public Filled fill(String cacheId, InputStream tar, ApplyOptions options, Optional<Digest> knownDiffId, boolean keepTarSplit)
            throws IOException, BadContentException {
        return fill(cacheId, tar, options, knownDiffId, false, keepTarSplit);
    }

    /** {@link #fill(String, InputStream, ApplyOptions, Optional, boolean)}; with {@code sync}, durable when it returns. */
    Filled fill(String cacheId, InputStream tar, ApplyOptions options, Optional<Digest> knownDiffId, boolean sync,
            boolean keepTarSplit) throws IOException, BadContentException {
        try {
            InputStream decompressed = Compression.decompressed(new BufferedInputStream(tar, 1 << 16));
            CountingInputStream counted = knownDiffId.isPresent() ? new CountingInputStream(decompressed) : null;
            DigestingInputStream digesting = knownDiffId.isPresent() ? null : new DigestingInputStream(decompressed);
            InputStream in = counted != null ? counted : digesting;
            ApplyResult applied = LayerApplier.apply(in, driver.diffDir(cacheId), driver.whiteoutFormat(), options);
            in.transferTo(OutputStream.nullOutputStream());
            Digest diffId = knownDiffId.isPresent() ? knownDiffId.get() : digesting.digest();
            long tarSize = counted != null ? counted.count() : digesting.bytesRead();
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
                filled.size(), source, filled.tarSplit(), filled.tarSize(), driver::remove);
    }


    /** Whether a parent's directory must be filled before a child is made on it ({@link CopiesParent} drivers). */
    public boolean parentFirst() {
        return driver instanceof CopiesParent;
    }

    /**
     * Puts the directory {@code cacheId}, made on top of one directory, on top of {@code newParent} instead, whose files
     * are the same (a duplicate found after both were made). Drivers whose directories are copies have nothing to change.
     */
    public void rebase(String cacheId, Optional<String> newParent) throws IOException {
        if (driver instanceof Rebase r) {
            r.rebase(cacheId, newParent);
        }
    }

    /** Drops a directory that no layer will use (a duplicate, or one whose filling failed). */
    public void removeDirectory(String cacheId) throws IOException {
        driver.remove(cacheId);
    }

    /**
     * Makes container {@code id}'s writable layer on top of {@code image}, as {@link LayerStore#createWritable} does, with
     * what goes into each of its two directories (a migrated container's files come as tars). On failure nothing is left.
     */
    public WritableLayer createWritable(String id, Optional<Layer> image, LayerContent init, LayerContent top) throws IOException {
        WritableLayer layer = WritableLayer.ofContainer(driver, id);
        String initDir = layer.initDirectory().orElseThrow();
        try {
            driver.create(initDir, image.map(Layer::cacheId));
            fill(initDir, init);
            driver.create(layer.directory(), Optional.of(initDir));
            fill(layer.directory(), top);
            return layer;
        } catch (IOException | RuntimeException | Error e) {
            Undo.after(e, layer::remove);
            throw e;
        }
    }

    private void fill(String dir, LayerContent content) throws IOException {
        switch (content) {
            case LayerContent.None none -> {
            }
            case LayerContent.Written w -> {
                try (Mount view = MountTable.acquire(driver, dir)) {
                    w.files().write(view.path());
                }
            }
            case LayerContent.Tar t -> {
                try (InputStream in = t.tar().open()) {
                    LayerApplier.apply(in, driver.diffDir(dir), driver.whiteoutFormat(), t.options());
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
    }
}
