package dev.strata.image;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The owner of the names that point at images: {@code tags} (canonical {@code name:tag} strings) and
 * {@code repo_digests} ({@code name} and manifest digest).
 */
public final class TagsTable {
    /** One name of an image, as stored: a tag ({@code docker.io/library/ubuntu:latest}) or {@code name@sha256:…}. */
    public record Row(Digest imageId, String reference) {
    }

    public Optional<Digest> imageOfTag(Tx tx, String tag) throws IOException {
        return tx.queryOne("SELECT image_id FROM tags WHERE name = ?", rs -> Digest.parse(rs.getString(1)), tag);
    }

    /** Points {@code tag} at {@code id}. */
    public void putTag(Tx tx, String tag, Digest id) throws IOException {
        tx.update("INSERT INTO tags (name, image_id) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id",
                tag, id);
    }

    public boolean deleteTag(Tx tx, String tag) throws IOException {
        return tx.update("DELETE FROM tags WHERE name = ?", tag) > 0;
    }

    /** Tags of one image, sorted. */
    public List<String> tags(Tx tx, Digest id) throws IOException {
        return tx.query("SELECT name FROM tags WHERE image_id = ? ORDER BY name", rs -> rs.getString(1), id);
    }

    /** Every tag, sorted by name. */
    public List<Row> allTags(Tx tx) throws IOException {
        return tx.query("SELECT image_id, name FROM tags ORDER BY name", rs -> new Row(Digest.parse(rs.getString(1)), rs.getString(2)));
    }

    public Optional<Digest> imageOfRepoDigest(Tx tx, String name, Digest manifest) throws IOException {
        return tx.queryOne("SELECT image_id FROM repo_digests WHERE name = ? AND digest = ?", rs -> Digest.parse(rs.getString(1)),
                name, manifest);
    }

    public void putRepoDigest(Tx tx, String name, Digest manifest, Digest id) throws IOException {
        tx.update("INSERT INTO repo_digests (name, digest, image_id) VALUES (?, ?, ?) "
                + "ON CONFLICT(name, digest) DO UPDATE SET image_id = excluded.image_id", name, manifest, id);
    }

    public boolean deleteRepoDigest(Tx tx, String name, Digest manifest) throws IOException {
        return tx.update("DELETE FROM repo_digests WHERE name = ? AND digest = ?", name, manifest) > 0;
    }

    /** {@code name@digest} references of one image, sorted by name. */
    public List<String> repoDigests(Tx tx, Digest id) throws IOException {
        return tx.query("SELECT name || '@' || digest FROM repo_digests WHERE image_id = ? ORDER BY name", rs -> rs.getString(1), id);
    }

    /** Every {@code name@digest} reference, sorted by name. */
    public List<Row> allRepoDigests(Tx tx) throws IOException {
        return tx.query("SELECT image_id, name || '@' || digest FROM repo_digests ORDER BY name",
                rs -> new Row(Digest.parse(rs.getString(1)), rs.getString(2)));
    }

    /** Removes every name of an image. */
    public void deleteAll(Tx tx, Digest id) throws IOException {
        tx.update("DELETE FROM tags WHERE image_id = ?", id);
        tx.update("DELETE FROM repo_digests WHERE image_id = ?", id);
    }
}
