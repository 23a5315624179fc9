package dev.strata.engine.build;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import java.io.IOException;
import java.util.Optional;

/**
 * The build cache: which image a step made on which parent. A step's key is a digest over its history text
 * (instruction after substitution, with the content hash of COPY/ADD sources and the build args a RUN uses) and
 * the config it runs with, so equal keys on equal parents make equal images. The rows are the store's
 * {@link dev.strata.image.BuildCacheTable}; this class gives each look-up and record its own transaction.
 */
final class BuildCache {
    private final Store store;

    BuildCache(Store store) {
        this.store = store;
    }

    Optional<Digest> lookup(Optional<Digest> parent, Digest key) throws IOException {
        try (Tx tx = store.read()) {
            Optional<Digest> hit = store.buildCache().lookup(tx, parent, key);
            tx.commit();
            return hit;
        }
    }

    void record(Optional<Digest> parent, Digest key, Digest image) throws IOException {
        try (Tx tx = store.write()) {
            store.buildCache().record(tx, parent, key, image);
            tx.commit();
        }
    }
}
