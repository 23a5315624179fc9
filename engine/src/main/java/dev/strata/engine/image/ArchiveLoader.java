package dev.strata.engine.image;

import dev.strata.image.MediaTypes;
import dev.strata.archive.Compression;
import dev.strata.digest.ChainId;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.error.StrataException;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.image.ImageStore;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerStore;
import dev.strata.layer.PreparedLayer;
import dev.strata.metadata.Tx;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import dev.strata.image.Descriptor;
import dev.strata.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads every image of a docker-archive (Docker ≤ 24, Docker 25+, podman, skopeo) or an OCI image layout tarball.
 *
 * <p>The archive is spooled first ({@link ArchiveSpool}): no producer puts its metadata before its layers, so a
 * layer's parent is unknown while it streams past. Then, with the whole archive at hand: every config is read and
 * checked (digest, JSON, layer count) before any layer is applied; layers are applied bottom up, each once per
 * ChainID and not at all when the store has that ChainID already; and one writer transaction adds every image,
 * layer and tag of the archive. Any failure leaves the store as it was: prepared layer directories are removed,
 * and so are the blobs this load wrote that no row reaches.
 */
final class ArchiveLoader {
    private static final Pattern BLOB_NAME = Pattern.compile("blobs/sha256/([0-9a-f]{64})");
    private static final Pattern LEGACY_CONFIG = Pattern.compile("([0-9a-f]{64})\\.json");
    private static final int MAX_INDEX_DEPTH = 8;

    private final Store store;
    private final ImageStore images;
    private final LayerStore layers;

    ArchiveLoader(Store store) {
        this.store = store;
        this.images = store.images();
        this.layers = store.layers();
    }

    /** A layer as an image of the archive names it: the file, and the digest its descriptor promises (OCI). */
    private record LayerRef(String file, Optional<Digest> digest, Optional<Long> size) {
    }

    /** An image of the archive before anything is checked. */
    private record Plan(String config, Optional<Digest> configDigest, Optional<Long> configSize, List<LayerRef> layers,
            Set<Reference> tags) {
    }

    /** An image whose config is checked and whose layers are found. */
    private record Checked(Plan plan, byte[] config, Digest id, ImageConfig parsed, List<Digest> chain) {
    }

    List<LoadedImage> load(InputStream in, String source) throws IOException, StrataException {
        List<PreparedLayer> prepared = new ArrayList<>();
        List<Digest> written = new ArrayList<>();
        boolean[] committed = {false};
        try {
            try (Store.Lease lease = store.writeLease(); ArchiveSpool spool = ArchiveSpool.read(in, store.content(), source)) {
                return load(spool, source, prepared, written, committed);
            } finally {
                if (!committed[0]) {
                    for (PreparedLayer p : prepared) {
                        p.close();
                    }
                }
            }
        } finally {
            if (!committed[0]) {
                store.removeBlobsIfUnreached(written);
            }
        }
    }

    private List<LoadedImage> load(ArchiveSpool spool, String source, List<PreparedLayer> prepared, List<Digest> written,
            boolean[] committed) throws IOException, StrataException {
        List<Plan> plans = spool.has("manifest.json") ? dockerPlans(spool)
                : spool.has("index.json") ? ociPlans(spool)
                : null;
        if (plans == null) {
            throw new BadContentException("the archive from " + source + " has neither manifest.json nor index.json: "
                    + "it is not a docker-archive or an OCI image layout");
        }
        if (plans.isEmpty()) {
            throw new BadContentException("the archive from " + source + " holds no container images");
        }
        // Cheap checks of every image first, so a bad archive fails before any layer is applied.
        List<Checked> checked = new ArrayList<>();
        for (Plan plan : plans) {
            checked.add(check(spool, plan));
        }
        Map<Digest, Layer> existing = new HashMap<>();
        try (Tx tx = store.read()) {
            for (Checked c : checked) {
                for (Digest chainId : c.chain()) {
                    layers.get(tx, chainId).ifPresent(l -> existing.put(chainId, l));
                }
            }
            tx.commit();
        }
        // Apply what the store does not have, bottom up, each ChainID once.
        Map<Digest, PreparedLayer> fresh = new HashMap<>();
        for (Checked c : checked) {
            for (int i = 0; i < c.chain().size(); i++) {
                Digest chainId = c.chain().get(i);
                if (existing.containsKey(chainId) || fresh.containsKey(chainId)) {
                    continue;
                }
                LayerRef ref = c.plan().layers().get(i);
                ArchiveSpool.Item item = spool.require(ref.file(), "layer " + (i + 1) + " of image " + c.id().shortHex());
                PreparedLayer p;
                try (InputStream layerIn = item.open()) {
                    if (i == 0) {
                        p = layers.prepare(layerIn, Optional.empty());
                    } else if (fresh.containsKey(c.chain().get(i - 1))) {
                        p = layers.prepare(layerIn, Optional.of(fresh.get(c.chain().get(i - 1)).asLayer()));
                    } else {
                        p = layers.prepare(layerIn, Optional.of(existing.get(c.chain().get(i - 1))));
                    }
                } catch (BadContentException e) {
                    throw new BadContentException("layer \"" + ref.file() + "\": " + e.getMessage(), e);
                }
                prepared.add(p);
                p.tarSplit().ifPresent(written::add);
                Digest expected = c.parsed().diffIds().get(i);
                if (!p.diffId().equals(expected)) {
                    throw new BadContentException("layer \"" + ref.file() + "\" of image " + c.id().shortHex()
                            + " does not match its config: DiffID " + p.diffId() + ", the config says " + expected);
                }
                fresh.put(chainId, p);
            }
        }
        for (Checked c : checked) {
            written.add(c.id());
            store.content().write(c.config());
        }
        // One transaction for the whole archive: all its images appear together, or none does.
        Map<Digest, LoadedImage> loaded = new LinkedHashMap<>();
        try (Tx tx = store.write()) {
            tx.afterCommit(() -> committed[0] = true);
            Map<Digest, Layer> rows = new HashMap<>();
            for (Checked c : checked) {
                long size = 0;
                for (Digest chainId : c.chain()) {
                    Layer layer = rows.get(chainId);
                    if (layer == null) {
                        // Commit each prepared layer exactly once: a second commit would take the row for another's.
                        layer = fresh.containsKey(chainId) ? layers.commit(tx, fresh.get(chainId)) : layers.require(tx, chainId);
                        rows.put(chainId, layer);
                    }
                    size += layer.size();
                }
                Optional<Digest> top = c.chain().isEmpty() ? Optional.empty() : Optional.of(c.chain().getLast());
                images.add(tx, c.id(), c.parsed(), top, Optional.empty(), size);
                for (Reference tag : c.plan().tags()) {
                    images.tag(tx, tag, c.id());
                }
                LoadedImage before = loaded.get(c.id());
                List<Reference> tags = new ArrayList<>(before == null ? List.of() : before.tags());
                c.plan().tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
                loaded.put(c.id(), new LoadedImage(c.id(), List.copyOf(tags)));
            }
            tx.commit();
        }
        return List.copyOf(loaded.values());
    }

    /** Reads and checks one image's config, and checks that its layers are in the archive with the right digests. */
    private Checked check(ArchiveSpool spool, Plan plan) throws IOException, BadContentException {
        ArchiveSpool.Item configItem = spool.require(plan.config(), "image config");
        verify(configItem, plan.configDigest(), plan.configSize());
        byte[] config = spool.bytes(configItem);
        Digest id = configItem.digest();
        String what = "image config \"" + plan.config() + "\"";
        ImageConfig parsed = ImageJson.read(config, ImageConfig.class, what);
        if (parsed == null) {
            throw new BadContentException(what + " is not a JSON object");
        }
        List<Digest> diffIds;
        try {
            diffIds = parsed.diffIds();
        } catch (IllegalArgumentException e) {
            throw new BadContentException(what + " has an invalid DiffID: " + e.getMessage());
        }
        if (diffIds.size() != plan.layers().size()) {
            throw new BadContentException(what + " lists " + diffIds.size() + " layer DiffIDs, but the archive gives the image "
                    + plan.layers().size() + " layers");
        }
        for (int i = 0; i < plan.layers().size(); i++) {
            LayerRef ref = plan.layers().get(i);
            ArchiveSpool.Item item = spool.require(ref.file(), "layer " + (i + 1) + " of image " + id.shortHex());
            verify(item, ref.digest(), ref.size());
            // An uncompressed layer's digest is its DiffID: check it now, at no cost (also for layers the store has).
            if (item.compression() == Compression.NONE && !item.digest().equals(diffIds.get(i))) {
                throw new BadContentException("layer \"" + ref.file() + "\" of image " + id.shortHex()
                        + " does not match its config: DiffID " + item.digest() + ", the config says " + diffIds.get(i));
            }
        }
        return new Checked(plan, config, id, parsed, ChainId.chain(diffIds));
    }

    /**
     * Checks a file against the digest its name ({@code blobs/sha256/<hex>}) or its descriptor promises. The digest was
     * computed while the file was spooled, so this reads nothing.
     */
    private static void verify(ArchiveSpool.Item item, Optional<Digest> promised, Optional<Long> size) throws BadContentException {
        Matcher m = BLOB_NAME.matcher(item.name());
        Optional<Digest> byName = m.matches() ? Optional.of(new Digest(m.group(1))) : Optional.empty();
        for (Optional<Digest> expected : List.of(byName, promised)) {
            if (expected.isPresent() && !expected.get().equals(item.digest())) {
                throw new BadContentException("\"" + item.name() + "\" in the archive has digest " + item.digest() + ", expected "
                        + expected.get());
            }
        }
        if (size.isPresent() && size.get() != item.size()) {
            throw new BadContentException("\"" + item.name() + "\" in the archive has " + item.size() + " bytes, its descriptor says "
                    + size.get());
        }
    }

    // ---- docker-archive: manifest.json ----

    private List<Plan> dockerPlans(ArchiveSpool spool) throws IOException, BadContentException {
        byte[] json = spool.bytes(spool.require("manifest.json", "the archive's manifest"));
        ArchiveJson.ManifestItem[] items = ImageJson.read(json, ArchiveJson.ManifestItem[].class, "manifest.json");
        if (items == null) {
            throw new BadContentException("manifest.json is not a JSON array");
        }
        List<Plan> plans = new ArrayList<>();
        for (ArchiveJson.ManifestItem item : items) {
            if (item == null || item.config() == null) {
                throw new BadContentException("manifest.json has an image without \"Config\"");
            }
            String config = ArchiveSpool.clean(item.config()).orElse(item.config());
            Optional<Digest> configDigest = Optional.empty();
            Matcher legacy = LEGACY_CONFIG.matcher(config);
            if (legacy.matches()) {
                configDigest = Optional.of(new Digest(legacy.group(1))); // "<id hex>.json" (Docker <= 24, podman, skopeo)
            }
            List<LayerRef> refs = new ArrayList<>();
            for (String layer : item.layers() == null ? List.<String>of() : item.layers()) {
                refs.add(new LayerRef(layer, Optional.empty(), Optional.empty()));
            }
            Set<Reference> tags = new LinkedHashSet<>();
            for (String t : item.repoTags() == null ? List.<String>of() : item.repoTags()) {
                tags.add(parseTag(t, "manifest.json"));
            }
            plans.add(new Plan(config, configDigest, Optional.empty(), refs, tags));
        }
        return plans;
    }

    private static Reference parseTag(String text, String where) throws BadContentException {
        try {
            Reference ref = Reference.parse(text);
            if (ref.digest().isPresent()) {
                throw new BadContentException(where + " tags an image \"" + text + "\": a tag cannot contain a digest");
            }
            return ref.withDefaultTag();
        } catch (InvalidReferenceException e) {
            throw new BadContentException(where + " has an invalid image name \"" + text + "\": " + e.getMessage());
        }
    }

    // ---- OCI image layout: index.json, nested indexes, manifests ----

    private List<Plan> ociPlans(ArchiveSpool spool) throws IOException, BadContentException {
        byte[] json = spool.bytes(spool.require("index.json", "the OCI layout's index"));
        Map<Digest, Plan> plans = new LinkedHashMap<>();
        walkIndex(spool, json, "index.json", true, Set.of(), 0, plans);
        return List.copyOf(plans.values());
    }

    private void walkIndex(ArchiveSpool spool, byte[] json, String what, boolean top, Set<Reference> inherited, int depth,
            Map<Digest, Plan> plans) throws IOException, BadContentException {
        if (depth > MAX_INDEX_DEPTH) {
            throw new BadContentException(what + ": image indexes are nested more than " + MAX_INDEX_DEPTH + " deep");
        }
        ArchiveJson.Index index = ImageJson.read(json, ArchiveJson.Index.class, what);
        if (index == null || index.manifests() == null) {
            throw new BadContentException(what + " has no \"manifests\"");
        }
        List<Descriptor> descriptors = index.manifests();
        if (!top) {
            // A nested index is one image for several platforms: take this host's (Docker 25+ saves only its blobs).
            descriptors = descriptors.stream().filter(ArchiveLoader::isHostPlatform).limit(1).toList();
            if (descriptors.isEmpty()) {
                throw new BadContentException(what + " has no image for " + Platform.LINUX + "/" + Platform.host().architecture());
            }
        }
        for (Descriptor d : descriptors) {
            Set<Reference> tags = new LinkedHashSet<>(inherited);
            if (top) {
                tagOf(d).ifPresent(tags::add);
            }
            Digest digest = descriptorDigest(d, what);
            String file = "blobs/sha256/" + digest.hex();
            switch (kindOf(spool, d, file)) {
                case INDEX -> {
                    ArchiveSpool.Item item = spool.require(file, "image index listed in " + what);
                    verify(item, Optional.of(digest), Optional.ofNullable(d.size()));
                    walkIndex(spool, spool.bytes(item), "image index " + digest, false, tags, depth + 1, plans);
                }
                case MANIFEST -> {
                    Plan existing = plans.get(digest);
                    if (existing != null) {
                        existing.tags().addAll(tags); // Docker lists a manifest once per tag
                        continue;
                    }
                    ArchiveSpool.Item item = spool.require(file, "image manifest listed in " + what);
                    verify(item, Optional.of(digest), Optional.ofNullable(d.size()));
                    plan(spool, item, digest, tags).ifPresent(p -> plans.put(digest, p));
                }
                case OTHER -> {
                    // attestations, signatures and other artifacts are not images
                }
            }
        }
    }

    private enum Kind { INDEX, MANIFEST, OTHER }

    /** What a descriptor points at, by media type, or by looking at the JSON when the descriptor has none. */
    private static Kind kindOf(ArchiveSpool spool, Descriptor d, String file) throws IOException, BadContentException {
        String mt = d.mediaType();
        if (MediaTypes.OCI_INDEX.equals(mt) || MediaTypes.DOCKER_LIST.equals(mt)) {
            return Kind.INDEX;
        }
        if (MediaTypes.OCI_MANIFEST.equals(mt) || MediaTypes.DOCKER_MANIFEST.equals(mt)) {
            return Kind.MANIFEST;
        }
        if (mt == null || mt.isEmpty()) {
            Optional<ArchiveSpool.Item> item = spool.find(file);
            if (item.isPresent()) {
                ArchiveJson.Manifest m = ImageJson.read(spool.bytes(item.get()), ArchiveJson.Manifest.class, file);
                if (m != null && m.config() != null) {
                    return Kind.MANIFEST;
                }
                ArchiveJson.Index i = ImageJson.read(spool.bytes(item.get()), ArchiveJson.Index.class, file);
                return i != null && i.manifests() != null ? Kind.INDEX : Kind.OTHER;
            }
        }
        return Kind.OTHER;
    }

    private Optional<Plan> plan(ArchiveSpool spool, ArchiveSpool.Item item, Digest digest, Set<Reference> tags)
            throws IOException, BadContentException {
        String what = "image manifest " + digest;
        ArchiveJson.Manifest m = ImageJson.read(spool.bytes(item), ArchiveJson.Manifest.class, what);
        if (m == null || m.config() == null) {
            throw new BadContentException(what + " has no config");
        }
        String configType = m.config().mediaType();
        if (configType != null && !configType.equals(MediaTypes.OCI_CONFIG) && !configType.equals(MediaTypes.DOCKER_CONFIG)) {
            return Optional.empty(); // an artifact (signature, SBOM, ...) that is not a container image
        }
        Digest config = descriptorDigest(m.config(), what);
        List<LayerRef> refs = new ArrayList<>();
        for (Descriptor l : m.layers() == null ? List.<Descriptor>of() : m.layers()) {
            Digest d = descriptorDigest(l, what);
            refs.add(new LayerRef("blobs/sha256/" + d.hex(), Optional.of(d), Optional.ofNullable(l.size())));
        }
        return Optional.of(new Plan("blobs/sha256/" + config.hex(), Optional.of(config), Optional.ofNullable(m.config().size()), refs,
                new LinkedHashSet<>(tags)));
    }

    private static Digest descriptorDigest(Descriptor d, String what) throws BadContentException {
        if (d == null) {
            throw new BadContentException(what + " has a descriptor without a digest");
        }
        return d.digestOf(what);
    }

    /**
     * The tag an index entry gives its image: containerd's full name when present (Docker 25+ writes the bare tag as
     * the OCI ref name), else the OCI ref name when it is a whole reference (podman, skopeo); a bare tag like
     * {@code latest} names no repository and gives none.
     */
    private static Optional<Reference> tagOf(Descriptor d) throws BadContentException {
        Map<String, String> a = d.annotations() == null ? Map.of() : d.annotations();
        String name = a.get(ArchiveJson.ANNOTATION_IMAGE_NAME);
        if (name == null) {
            String ref = a.get(ArchiveJson.ANNOTATION_REF_NAME);
            if (ref == null || (ref.indexOf('/') < 0 && ref.indexOf(':') < 0)) {
                return Optional.empty();
            }
            name = ref;
        }
        return Optional.of(parseTag(name, "index.json"));
    }

    private static boolean isHostPlatform(Descriptor d) {
        return d.platform() != null && Platform.LINUX.equals(d.platform().os()) && Platform.host().architecture().equals(d.platform().architecture());
    }
}
