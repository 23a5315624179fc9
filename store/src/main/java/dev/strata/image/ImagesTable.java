package dev.strata.image;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The owner of the {@code images} table and of {@code manifests}, the manifest blobs kept for each image. */
public final class ImagesTable {
    private static final String COLUMNS = "id, top_layer, parent, created, size, added";

    public Optional<Image> get(Tx tx, Digest id) throws IOException {
        return tx.queryOne("SELECT " + COLUMNS + " FROM images WHERE id = ?", ImagesTable::row, id);
    }

    /** Newest first. */
    public List<Image> list(Tx tx) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM images ORDER BY created DESC, id", ImagesTable::row);
    }

    public long count(Tx tx) throws IOException {
        return tx.count("SELECT COUNT(*) FROM images");
    }

    /** Up to {@code limit} images whose ID starts with {@code sha256:<hexPrefix>}. */
    public List<Image> withIdPrefix(Tx tx, String hexPrefix, int limit) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM images WHERE id LIKE ? LIMIT " + limit, ImagesTable::row,
                Digest.ALGORITHM + ":" + hexPrefix + "%");
    }

    public void insert(Tx tx, Image image) throws IOException {
        tx.update("INSERT INTO images (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", image.id(), image.topLayer(), image.parent(),
                image.created().toEpochMilli(), image.size(), image.added().toEpochMilli());
    }

    /** Images whose recorded parent is {@code id}. */
    public List<Digest> children(Tx tx, Digest id) throws IOException {
        return tx.query("SELECT id FROM images WHERE parent = ?", rs -> Digest.parse(rs.getString(1)), id);
    }

    /** Every image that is some image's parent. */
    public Set<Digest> parents(Tx tx) throws IOException {
        return new HashSet<>(tx.query("SELECT DISTINCT parent FROM images WHERE parent IS NOT NULL", rs -> Digest.parse(rs.getString(1))));
    }

    /** Deletes the image row and its manifests; its children forget it as their parent. */
    public void delete(Tx tx, Digest id) throws IOException {
        tx.update("DELETE FROM manifests WHERE image_id = ?", id);
        tx.update("UPDATE images SET parent = NULL WHERE parent = ?", id);
        tx.update("DELETE FROM images WHERE id = ?", id);
    }

    public void addManifest(Tx tx, Digest manifest, Digest id, String mediaType) throws IOException {
        tx.update("INSERT OR IGNORE INTO manifests (digest, image_id, media_type) VALUES (?, ?, ?)", manifest, id, mediaType);
    }

    /** Manifest blobs kept for an image (digest to media type). */
    public Map<Digest, String> manifests(Tx tx, Digest id) throws IOException {
        Map<Digest, String> out = new LinkedHashMap<>();
        for (String[] row : tx.query("SELECT digest, media_type FROM manifests WHERE image_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, id)) {
            out.put(Digest.parse(row[0]), row[1]);
        }
        return out;
    }

    /** Blobs that rows reach: every image's config and every kept manifest. */
    public Set<Digest> blobs(Tx tx) throws IOException {
        Set<Digest> out = new HashSet<>();
        out.addAll(tx.query("SELECT id FROM images", rs -> Digest.parse(rs.getString(1))));
        out.addAll(tx.query("SELECT digest FROM manifests", rs -> Digest.parse(rs.getString(1))));
        return out;
    }

    private static Image row(ResultSet rs) throws SQLException {
        return new Image(
                Digest.parse(rs.getString("id")),
                Optional.ofNullable(rs.getString("top_layer")).map(Digest::parse),
                Optional.ofNullable(rs.getString("parent")).map(Digest::parse),
                Instant.ofEpochMilli(rs.getLong("created")),
                rs.getLong("size"),
                Instant.ofEpochMilli(rs.getLong("added")));
    }
}
