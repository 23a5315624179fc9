package dev.strata.layer;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.util.List;

/**
 * The owner of the {@code layer_blobs} table: where compressed forms of layers are known to exist, a registry
 * repository a layer was pulled from or pushed to (like Docker's distribution metadata). Push uses them to skip a
 * layer the target has, or to mount it from another repository of the same registry, without compressing it first.
 * A row is a hint, checked with the registry before it is trusted; rows name no local file.
 */
public final class LayerBlobsTable {
    /** One known compressed form of the layer {@code diffId}, in {@code repository} ({@code registry/path}). */
    public record Known(Digest diffId, Digest digest, long size, String mediaType, String repository) {
        /** The registry part of {@link #repository}. */
        public String domain() {
            return repository.substring(0, repository.indexOf('/'));
        }

        /** The repository path within its registry. */
        public String path() {
            return repository.substring(repository.indexOf('/') + 1);
        }
    }

    public void record(Tx tx, Known k) throws IOException {
        tx.update("INSERT OR REPLACE INTO layer_blobs (diff_id, digest, size, media_type, repository) VALUES (?, ?, ?, ?, ?)",
                k.diffId(), k.digest(), k.size(), k.mediaType(), k.repository());
    }

    /** What is known for one DiffID, most recently recorded last. */
    public List<Known> of(Tx tx, Digest diffId) throws IOException {
        return tx.query("SELECT diff_id, digest, size, media_type, repository FROM layer_blobs WHERE diff_id = ? ORDER BY rowid",
                rs -> new Known(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)), rs.getLong(3), rs.getString(4),
                        rs.getString(5)), diffId);
    }
}
