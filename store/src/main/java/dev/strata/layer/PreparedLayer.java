package dev.strata.layer;

import dev.strata.digest.Digest;
import java.util.Optional;

/**
 * A layer whose files are on disk (durably) but that no row reaches yet: the result of the slow part of
 * registering a layer, done outside any transaction. {@link LayerStore#commit} makes it visible.
 */
public record PreparedLayer(
        String cacheId,
        Digest diffId,
        Digest chainId,
        Optional<Layer> parent,
        long size,
        Optional<Layer.CompressedBlob> compressed,
        Optional<Digest> tarSplit,
        long tarSize) {
}
