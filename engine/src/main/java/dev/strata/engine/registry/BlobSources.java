package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.util.List;

/**
 * Where compressed forms of layers are known to exist: a registry repository a layer was pulled from or pushed to
 * ({@code layer_blobs} rows, like Docker's distribution metadata). Push uses them to skip a layer the target has, or to
 * mount it from another repository of the same registry, without compressing it first. A row is a hint, checked with
 * the registry before it is trusted.
 */
final class BlobSources {
    private BlobSources() {
    }

    record Source(Digest diffId, Digest digest, long size, String mediaType, String repository) {
        String domain() {
            return repository.substring(0, repository.indexOf('/'));
        }

        String path() {
            return repository.substring(repository.indexOf('/') + 1);
        }
    }

    static void record(Tx tx, Source s) throws IOException {
        tx.update("INSERT OR REPLACE INTO layer_blobs (diff_id, digest, size, media_type, repository) VALUES (?, ?, ?, ?, ?)",
                s.diffId(), s.digest(), s.size(), s.mediaType(), s.repository());
    }

    /** What is known for one DiffID, most recently recorded last. */
    static List<Source> of(Tx tx, Digest diffId) throws IOException {
        return tx.query("SELECT diff_id, digest, size, media_type, repository FROM layer_blobs WHERE diff_id = ? ORDER BY rowid",
                rs -> new Source(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)), rs.getLong(3), rs.getString(4),
                        rs.getString(5)), diffId);
    }
}
