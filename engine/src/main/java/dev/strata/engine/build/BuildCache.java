package dev.strata.engine.build;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import java.io.IOException;
import java.util.Optional;

/**
 * The build cache: which image a step made on which parent. A step's key is a digest over its history text
 * (instruction after substitution, with the content hash of COPY/ADD sources and the build args a RUN uses) and
 * the config it runs with, so equal keys on equal parents make equal images. Rows live in {@code build_cache} and
 * go with their image ({@code ON DELETE CASCADE}), so an {@code rmi} of an intermediate image invalidates them.
 */
final class BuildCache {
    private final Store store;

    BuildCache(Store store) {
        this.store = store;
    }

    Optional<Digest> lookup(Optional<Digest> parent, Digest key) throws IOException {
        try (Tx tx = store.read()) {
            Optional<Digest> hit = tx.queryOne("SELECT image_id FROM build_cache WHERE parent = ? AND step_key = ?",
                    rs -> Digest.parse(rs.getString(1)), parent.map(Digest::toString).orElse(""), key.toString());
            tx.commit();
            return hit;
        }
    }

    void record(Optional<Digest> parent, Digest key, Digest image) throws IOException {
        try (Tx tx = store.write()) {
            tx.update("INSERT OR REPLACE INTO build_cache (parent, step_key, image_id, created) VALUES (?, ?, ?, ?)",
                    parent.map(Digest::toString).orElse(""), key.toString(), image.toString(), System.currentTimeMillis());
            tx.commit();
        }
    }
}
