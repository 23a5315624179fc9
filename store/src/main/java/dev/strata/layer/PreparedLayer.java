package dev.strata.layer;

import dev.strata.digest.Digest;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A layer whose files are on disk (durably) but that no row reaches yet: the result of the slow part of
 * registering a layer, done outside any transaction. {@link LayerStore#commit} makes it visible. It is a resource:
 * closing it drops its directory unless a transaction that committed it made it a layer, so
 * {@code try (PreparedLayer p = layers.prepare(...)) { ...; layers.commit(tx, p); tx.commit(); }} leaves nothing
 * behind on any failure.
 */
public final class PreparedLayer implements AutoCloseable {
    /** Drops the directory of a layer that will not be committed. */
    @FunctionalInterface
    interface Discard {
        void discard(String cacheId) throws IOException;
    }

    private final String cacheId;
    private final Digest diffId;
    private final Digest chainId;
    private final Optional<Layer> parent;
    private final long size;
    private final Optional<Layer.CompressedBlob> compressed;
    private final Optional<Digest> tarSplit;
    private final long tarSize;
    private final Discard discard;
    private volatile boolean committed;

    PreparedLayer(String cacheId, Digest diffId, Digest chainId, Optional<Layer> parent, long size,
            Optional<Layer.CompressedBlob> compressed, Optional<Digest> tarSplit, long tarSize, Discard discard) {
        this.cacheId = cacheId;
        this.diffId = diffId;
        this.chainId = chainId;
        this.parent = parent;
        this.size = size;
        this.compressed = compressed;
        this.tarSplit = tarSplit;
        this.tarSize = tarSize;
        this.discard = discard;
    }

    /** The storage driver's directory for it. */
    public String cacheId() {
        return cacheId;
    }

    public Digest diffId() {
        return diffId;
    }

    public Digest chainId() {
        return chainId;
    }

    public Optional<Layer> parent() {
        return parent;
    }

    /** Bytes of regular-file content in the layer. */
    public long size() {
        return size;
    }

    /** The blob it came from (a pull), kept so push reproduces it byte for byte. */
    public Optional<Layer.CompressedBlob> compressed() {
        return compressed;
    }

    /** The blob that rebuilds its tar from its files, when it has no compressed blob. */
    public Optional<Digest> tarSplit() {
        return tarSplit;
    }

    /** Length of its uncompressed tar. */
    public long tarSize() {
        return tarSize;
    }

    /**
     * This prepared layer as the parent of another layer of the same stack, prepared before this one is committed
     * ({@link LayerStore#prepare}); the transaction that commits them commits this one first.
     */
    public Layer asLayer() {
        return new Layer(chainId, diffId, parent.map(Layer::chainId), size, cacheId, compressed, tarSplit, OptionalLong.of(tarSize),
                Instant.now());
    }

    /** Called when a transaction that committed this layer has committed: from then on, the store owns it. */
    void committed() {
        committed = true;
    }

    /** Drops the directory unless a committed transaction made this a layer. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            discard.discard(cacheId);
        }
    }
}
