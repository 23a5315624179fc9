package dev.strata.image;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.util.Optional;

/**
 * The owner of the {@code build_cache} table: which image a build step made on which parent image. A row goes with
 * its image ({@code ON DELETE CASCADE}), so an {@code rmi} of an intermediate image invalidates it.
 */
public final class BuildCacheTable {
    /** The image an equal step (same {@code key}) made on {@code parent} (empty: on scratch). */
    public Optional<Digest> lookup(Tx tx, Optional<Digest> parent, Digest key) throws IOException {
        return tx.queryOne("SELECT image_id FROM build_cache WHERE parent = ? AND step_key = ?", rs -> Digest.parse(rs.getString(1)),
                parent.map(Digest::toString).orElse(""), key);
    }

    public void record(Tx tx, Optional<Digest> parent, Digest key, Digest image) throws IOException {
        tx.update("INSERT OR REPLACE INTO build_cache (parent, step_key, image_id, created) VALUES (?, ?, ?, ?)",
                parent.map(Digest::toString).orElse(""), key, image, System.currentTimeMillis());
    }
}
