package dev.strata.layer;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The owner of the {@code layers} table (and of the {@code layer_users} view that says what still uses a layer). */
public final class LayersTable {
    private static final String COLUMNS =
            "chain_id, diff_id, parent, size, cache_id, compressed_digest, compressed_size, compressed_media_type, tar_split, tar_size, created";

    public Optional<Layer> get(Tx tx, Digest chainId) throws IOException {
        return tx.queryOne("SELECT " + COLUMNS + " FROM layers WHERE chain_id = ?", LayersTable::row, chainId);
    }

    public List<Layer> all(Tx tx) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM layers", LayersTable::row);
    }

    public long count(Tx tx) throws IOException {
        return tx.count("SELECT COUNT(*) FROM layers");
    }

    public void insert(Tx tx, Layer layer) throws IOException {
        tx.update("INSERT INTO layers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                layer.chainId(), layer.diffId(), layer.parent(), layer.size(), layer.cacheId(),
                layer.compressed().map(Layer.CompressedBlob::digest), layer.compressed().map(Layer.CompressedBlob::size),
                layer.compressed().map(Layer.CompressedBlob::mediaType), layer.tarSplit(),
                layer.tarSize().isPresent() ? layer.tarSize().getAsLong() : null, layer.created().toEpochMilli());
    }

    /** Whether an image ends in the layer, a layer sits on it, or a container was made on it. */
    public boolean isUsed(Tx tx, Digest chainId) throws IOException {
        return tx.count("SELECT COUNT(*) FROM layer_users WHERE chain_id = ?", chainId) > 0;
    }

    public void delete(Tx tx, Digest chainId) throws IOException {
        tx.update("DELETE FROM layers WHERE chain_id = ?", chainId);
    }

    /** Driver directories that rows reach. */
    public Set<String> cacheIds(Tx tx) throws IOException {
        return new HashSet<>(tx.query("SELECT cache_id FROM layers", rs -> rs.getString(1)));
    }

    private static Layer row(ResultSet rs) throws SQLException {
        String compressed = rs.getString("compressed_digest");
        String tarSplit = rs.getString("tar_split");
        String parent = rs.getString("parent");
        return new Layer(
                Digest.parse(rs.getString("chain_id")),
                Digest.parse(rs.getString("diff_id")),
                Optional.ofNullable(parent).map(Digest::parse),
                rs.getLong("size"),
                rs.getString("cache_id"),
                compressed == null ? Optional.empty()
                        : Optional.of(new Layer.CompressedBlob(Digest.parse(compressed), rs.getLong("compressed_size"),
                                rs.getString("compressed_media_type"))),
                Optional.ofNullable(tarSplit).map(Digest::parse),
                rs.getObject("tar_size") == null ? OptionalLong.empty() : OptionalLong.of(rs.getLong("tar_size")),
                Instant.ofEpochMilli(rs.getLong("created")));
    }
}
