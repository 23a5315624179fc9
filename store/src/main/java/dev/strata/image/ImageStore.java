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
import java.time.Instant;
import java.util.ArrayList;
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
    private final ContentStore content;
    private final ImagesTable images = new ImagesTable();
    private final TagsTable names = new TagsTable();

    public ImageStore(ContentStore content) {
        this.content = content;
    }

    public Optional<Image> get(Tx tx, Digest id) throws IOException {
        return images.get(tx, id);
    }

    public List<Image> list(Tx tx) throws IOException {
        return images.list(tx);
    }

    public long count(Tx tx) throws IOException {
        return images.count(tx);
    }

    /** Every image that is some image's parent (an intermediate image unless it has a name). */
    public Set<Digest> parents(Tx tx) throws IOException {
        return images.parents(tx);
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
        images.insert(tx, image);
        return image;
    }

    /** Points {@code tag} (a reference with a tag) at {@code id}; returns the image it pointed at before. */
    public Optional<Digest> tag(Tx tx, Reference tag, Digest id) throws IOException {
        String name = tag.withDefaultTag().toString();
        Optional<Digest> previous = names.imageOfTag(tx, name);
        names.putTag(tx, name, id);
        return previous.filter(p -> !p.equals(id));
    }

    /** Removes a tag or a repository digest reference; false when there was none. */
    public boolean untag(Tx tx, Reference reference) throws IOException {
        if (reference.digest().isPresent()) {
            return names.deleteRepoDigest(tx, reference.name(), reference.digest().get());
        }
        return names.deleteTag(tx, reference.withDefaultTag().toString());
    }

    public void addRepoDigest(Tx tx, String name, Digest manifest, Digest id) throws IOException {
        names.putRepoDigest(tx, name, manifest, id);
    }

    public void addManifest(Tx tx, Digest manifest, Digest id, String mediaType) throws IOException {
        images.addManifest(tx, manifest, id, mediaType);
    }

    /** Canonical tags of one image, sorted. */
    public List<Reference> tags(Tx tx, Digest id) throws IOException {
        return parseAll(names.tags(tx, id));
    }

    /** Every tag, grouped by image. */
    public Map<Digest, List<Reference>> allTags(Tx tx) throws IOException {
        return byImage(names.allTags(tx));
    }

    /** Repository digests ({@code name@sha256:…}) of one image. */
    public List<Reference> repoDigests(Tx tx, Digest id) throws IOException {
        return parseAll(names.repoDigests(tx, id));
    }

    public Map<Digest, List<Reference>> allRepoDigests(Tx tx) throws IOException {
        return byImage(names.allRepoDigests(tx));
    }

    private static Map<Digest, List<Reference>> byImage(List<TagsTable.Row> rows) {
        Map<Digest, List<Reference>> out = new LinkedHashMap<>();
        for (TagsTable.Row row : rows) {
            out.computeIfAbsent(row.imageId(), k -> new ArrayList<>()).addAll(parseAll(List.of(row.reference())));
        }
        return out;
    }

    /** Manifest blobs kept for an image (digest to media type). */
    public Map<Digest, String> manifests(Tx tx, Digest id) throws IOException {
        return images.manifests(tx, id);
    }

    /** Images whose recorded parent is {@code id}. */
    public List<Digest> children(Tx tx, Digest id) throws IOException {
        return images.children(tx, id);
    }

    /** Deletes an image row with its names and manifests; its layers are the caller's to release. */
    public void delete(Tx tx, Digest id) throws IOException {
        names.deleteAll(tx, id);
        images.delete(tx, id);
    }

    /** Blobs that image rows reach: configs and kept manifests. */
    public Set<Digest> blobs(Tx tx) throws IOException {
        return images.blobs(tx);
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
                    ? names.imageOfRepoDigest(tx, reference.name(), reference.digest().get())
                    : names.imageOfTag(tx, reference.withDefaultTag().toString());
            if (id.isPresent()) {
                return get(tx, id.get()).orElseThrow(() -> noSuchImage(nameOrId));
            }
        }
        if (prefix.isPresent()) {
            List<Image> matches = images.withIdPrefix(tx, prefix.get().hex(), 2);
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
}
