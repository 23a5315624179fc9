package dev.strata.image;

import dev.strata.content.ContentStore;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import dev.strata.reference.ImageIdPrefix;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Images by ID, their configs (blobs, byte for byte), and the names that point at them: tags
 * ({@code docker.io/library/ubuntu:latest}) and repository digests ({@code name@sha256:…}).
 */
public final class ImageStore {
    private static final String COLUMNS = "id, top_layer, parent, created, size, added";

    private final ContentStore content;

    public ImageStore(ContentStore content) {
        this.content = content;
    }

    public Optional<Image> get(Tx tx, Digest id) throws IOException {
        return tx.queryOne("SELECT " + COLUMNS + " FROM images WHERE id = ?", ImageStore::row, id);
    }

    public List<Image> list(Tx tx) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM images ORDER BY created DESC, id", ImageStore::row);
    }

    /** The image's config, parsed from its stored bytes. */
    public ImageConfig config(Digest id) throws IOException, NotFoundException, BadContentException {
        return ImageJson.read(content.read(id), ImageConfig.class, "image config " + id);
    }

    public byte[] configBytes(Digest id) throws IOException, NotFoundException {
        return content.read(id);
    }

    /**
     * Adds an image whose config blob is already in the content store; an image with this ID that exists already
     * is kept as it is and returned.
     */
    public Image add(Tx tx, Digest id, ImageConfig config, Optional<Digest> topLayer, Optional<Digest> parent, long size)
            throws IOException {
        Optional<Image> existing = get(tx, id);
        if (existing.isPresent()) {
            return existing.get();
        }
        Image image = new Image(id, topLayer, parent, config.createdInstant().orElse(Instant.EPOCH), size, Instant.now());
        tx.update("INSERT INTO images (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", image.id(), image.topLayer(), image.parent(),
                image.created().toEpochMilli(), image.size(), image.added().toEpochMilli());
        return image;
    }

    /** Points {@code tag} (a reference with a tag) at {@code id}; returns the image it pointed at before. */
    public Optional<Digest> tag(Tx tx, Reference tag, Digest id) throws IOException {
        String name = tag.withDefaultTag().toString();
        Optional<Digest> previous = tx.queryOne("SELECT image_id FROM tags WHERE name = ?", rs -> Digest.parse(rs.getString(1)), name);
        tx.update("INSERT INTO tags (name, image_id) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id",
                name, id);
        return previous.filter(p -> !p.equals(id));
    }

    /** Removes a tag or a repository digest reference; false when there was none. */
    public boolean untag(Tx tx, Reference reference) throws IOException {
        if (reference.digest().isPresent()) {
            return tx.update("DELETE FROM repo_digests WHERE name = ? AND digest = ?", reference.name(), reference.digest().get()) > 0;
        }
        return tx.update("DELETE FROM tags WHERE name = ?", reference.withDefaultTag().toString()) > 0;
    }

    public void addRepoDigest(Tx tx, String name, Digest manifest, Digest id) throws IOException {
        tx.update("INSERT INTO repo_digests (name, digest, image_id) VALUES (?, ?, ?) "
                + "ON CONFLICT(name, digest) DO UPDATE SET image_id = excluded.image_id", name, manifest, id);
    }

    public void addManifest(Tx tx, Digest manifest, Digest id, String mediaType) throws IOException {
        tx.update("INSERT OR IGNORE INTO manifests (digest, image_id, media_type) VALUES (?, ?, ?)", manifest, id, mediaType);
    }

    /** Canonical tags of one image, sorted. */
    public List<Reference> tags(Tx tx, Digest id) throws IOException {
        return parseAll(tx.query("SELECT name FROM tags WHERE image_id = ? ORDER BY name", rs -> rs.getString(1), id));
    }

    /** Every tag, grouped by image. */
    public Map<Digest, List<Reference>> allTags(Tx tx) throws IOException {
        Map<Digest, List<Reference>> out = new LinkedHashMap<>();
        for (String[] row : tx.query("SELECT image_id, name FROM tags ORDER BY name",
                rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            out.computeIfAbsent(Digest.parse(row[0]), k -> new ArrayList<>()).addAll(parseAll(List.of(row[1])));
        }
        return out;
    }

    /** Repository digests ({@code name@sha256:…}) of one image. */
    public List<Reference> repoDigests(Tx tx, Digest id) throws IOException {
        return parseAll(tx.query("SELECT name || '@' || digest FROM repo_digests WHERE image_id = ? ORDER BY name",
                rs -> rs.getString(1), id));
    }

    public Map<Digest, List<Reference>> allRepoDigests(Tx tx) throws IOException {
        Map<Digest, List<Reference>> out = new LinkedHashMap<>();
        for (String[] row : tx.query("SELECT image_id, name || '@' || digest FROM repo_digests ORDER BY name",
                rs -> new String[] {rs.getString(1), rs.getString(2)})) {
            out.computeIfAbsent(Digest.parse(row[0]), k -> new ArrayList<>()).addAll(parseAll(List.of(row[1])));
        }
        return out;
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

    /** Images whose recorded parent is {@code id}. */
    public List<Digest> children(Tx tx, Digest id) throws IOException {
        return tx.query("SELECT id FROM images WHERE parent = ?", rs -> Digest.parse(rs.getString(1)), id);
    }

    /** Deletes an image row with its names and manifests; its layers are the caller's to release. */
    public void delete(Tx tx, Digest id) throws IOException {
        tx.update("DELETE FROM tags WHERE image_id = ?", id);
        tx.update("DELETE FROM repo_digests WHERE image_id = ?", id);
        tx.update("DELETE FROM manifests WHERE image_id = ?", id);
        tx.update("UPDATE images SET parent = NULL WHERE parent = ?", id);
        tx.update("DELETE FROM images WHERE id = ?", id);
    }

    /** Blobs that image rows reach: configs and kept manifests. */
    public Set<Digest> blobs(Tx tx) throws IOException {
        Set<Digest> out = new HashSet<>();
        out.addAll(tx.query("SELECT id FROM images", rs -> Digest.parse(rs.getString(1))));
        out.addAll(tx.query("SELECT digest FROM manifests", rs -> Digest.parse(rs.getString(1))));
        return out;
    }

    /**
     * Finds the image a user named the way Docker does: a full ID ({@code sha256:…} or 64 hex), then a reference
     * (a tag, {@code latest} by default, or {@code name@digest}), then a unique ID prefix ({@code 94e6b7d2c720}).
     */
    public Image resolve(Tx tx, String nameOrId) throws IOException, NotFoundException, InvalidArgumentException {
        Optional<ImageIdPrefix> prefix = ImageIdPrefix.parse(nameOrId);
        if (prefix.isPresent() && prefix.get().isFull()) {
            return get(tx, prefix.get().toDigest().orElseThrow()).orElseThrow(() -> noSuchImage(nameOrId));
        }
        Reference reference;
        try {
            reference = Reference.parse(nameOrId);
        } catch (InvalidReferenceException e) {
            if (prefix.isEmpty()) {
                throw new InvalidArgumentException(e.getMessage(), e);
            }
            reference = null; // e.g. "sha256:94e6b7d2": only an ID prefix can match
        }
        if (reference != null) {
            Optional<Digest> id = reference.digest().isPresent()
                    ? tx.queryOne("SELECT image_id FROM repo_digests WHERE name = ? AND digest = ?",
                            rs -> Digest.parse(rs.getString(1)), reference.name(), reference.digest().get())
                    : tx.queryOne("SELECT image_id FROM tags WHERE name = ?", rs -> Digest.parse(rs.getString(1)),
                            reference.withDefaultTag().toString());
            if (id.isPresent()) {
                return get(tx, id.get()).orElseThrow(() -> noSuchImage(nameOrId));
            }
        }
        if (prefix.isPresent()) {
            List<Image> matches = tx.query("SELECT " + COLUMNS + " FROM images WHERE id LIKE ? LIMIT 2", ImageStore::row,
                    "sha256:" + prefix.get().hex() + "%");
            if (matches.size() == 1) {
                return matches.getFirst();
            }
            if (matches.size() > 1) {
                throw new InvalidArgumentException("image ID prefix \"" + nameOrId + "\" is ambiguous: it matches "
                        + matches.get(0).id().shortHex() + " and " + matches.get(1).id().shortHex() + "; give more digits");
            }
        }
        throw noSuchImage(nameOrId);
    }

    /** Resolves and insists the name is a tag or digest reference (for {@code rmi} of a name). */
    public static Reference parseReference(String text) throws InvalidArgumentException {
        try {
            return Reference.parse(text);
        } catch (InvalidReferenceException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

    private static NotFoundException noSuchImage(String name) {
        return new NotFoundException("No such image: " + name);
    }

    private static List<Reference> parseAll(List<String> names) {
        List<Reference> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add(Reference.parse(n));
            } catch (InvalidReferenceException e) {
                throw new IllegalStateException("stored reference \"" + n + "\" does not parse: " + e.getMessage(), e);
            }
        }
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
