package dev.strata.engine.image;

import dev.strata.container.Container;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.image.ContainerConfig;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.image.ImageStore;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerStore;
import dev.strata.layer.PreparedLayer;
import dev.strata.layer.ProducedStream;
import dev.strata.metadata.Tx;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import dev.strata.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The image commands: import, images, history, inspect, tag, rmi, image prune. Safe to call from many threads at once:
 * reads see one transaction's snapshot, each change is one transaction (SQLite's writer lock orders them), and files
 * are prepared outside transactions under a write lease, so a concurrent sweep never takes them.
 */
public final class Images {
    private final Store store;
    private final ImageStore images;
    private final LayerStore layers;

    public Images(Store store) {
        this.store = store;
        this.images = store.images();
        this.layers = store.layers();
    }

    /**
     * Makes a one-layer image from a root file system tarball (uncompressed, gzip or zstd), like
     * {@code docker import}. Nothing is visible until the whole tarball is applied and durable; on any failure the
     * store is left as it was.
     */
    public ImageSummary importImage(InputStream tarball, ImportOptions options) throws IOException, StrataException {
        Optional<Reference> tag = parseTag(options.reference());
        ContainerConfig containerConfig = ConfigChanges.apply(ContainerConfig.EMPTY, options.changes());
        String comment = options.message().orElse("Imported from " + options.source());
        try (Store.Lease lease = store.writeLease()) {
            try (PreparedLayer prepared = layers.prepare(tarball, Optional.empty())) {
                String now = Instant.now().toString();
                ImageConfig config = new ImageConfig(Platform.host().architecture(), Platform.LINUX, null, now, null, comment, null,
                        containerConfig, new ImageConfig.RootFs("layers", List.of(prepared.diffId().toString())),
                        List.of(new ImageConfig.History(now, null, null, comment, false)));
                Digest id = store.content().write(ImageJson.write(config));
                Image image;
                try (Tx tx = store.write()) {
                    Layer layer = layers.commit(tx, prepared);
                    image = images.add(tx, id, config, Optional.of(layer.chainId()), Optional.empty(), layer.size());
                    if (tag.isPresent()) {
                        images.tag(tx, tag.get(), id);
                    }
                    tx.commit();
                }
                return summary(image, tag.map(List::of).orElse(List.of()), List.of(), tag.isEmpty());
            }
        }
    }

    /**
     * Makes an image on top of {@code base} (none: an empty file system): the layer {@code diff} writes, or no layer
     * for an empty one ({@code history} then gets {@code empty_layer}), and a config derived from the base's bytes
     * with {@code config} as its {@code config}. The new image's parent is {@code base}, so {@code history} shows
     * the base's ID on the rows below. Shared by {@code commit} and the build steps; the caller holds a write lease.
     */
    public Committed commitOn(Optional<Digest> base, Optional<ProducedStream.Producer> diff, ContainerConfig config,
            ImageConfig.History history, Optional<String> author, List<Reference> tagsToAdd) throws IOException, StrataException {
        Optional<Image> baseImage;
        Optional<Layer> parent;
        byte[] baseConfig;
        try (Tx tx = store.read()) {
            baseImage = base.isPresent() ? Optional.of(images.get(tx, base.get()).orElseThrow(() -> new NotFoundException(
                    "the image " + base.get().shortHex() + " is gone; nothing can be committed on it"))) : Optional.empty();
            parent = baseImage.isPresent() && baseImage.get().topLayer().isPresent()
                    ? layers.get(tx, baseImage.get().topLayer().get()) : Optional.empty();
            baseConfig = baseImage.isPresent() ? images.configBytes(baseImage.get().id()) : ImageJson.write(new ImageConfig(
                    Platform.host().architecture(), Platform.LINUX, null, null, null, null, null, ContainerConfig.EMPTY,
                    new ImageConfig.RootFs("layers", List.of()), List.of()));
            tx.commit();
        }
        On on = new On(base, baseImage, parent, baseConfig);
        if (diff.isEmpty()) {
            return commitOn(on, Optional.empty(), config, history, author, tagsToAdd);
        }
        try (PreparedLayer prepared = prepare(diff.get(), parent)) {
            return commitOn(on, Optional.of(prepared), config, history, author, tagsToAdd);
        }
    }

    /** What {@link #commitOn} builds on: the base image, its top layer and its config's bytes. */
    private record On(Optional<Digest> id, Optional<Image> image, Optional<Layer> top, byte[] config) {
    }

    private Committed commitOn(On base, Optional<PreparedLayer> prepared, ContainerConfig config, ImageConfig.History history,
            Optional<String> author, List<Reference> tagsToAdd) throws IOException, StrataException {
        byte[] bytes = ConfigDocument.derive(base.config(), history.created(), config, prepared.map(PreparedLayer::diffId), history,
                author);
        Digest id = store.content().write(bytes);
        ImageConfig parsed = ImageJson.read(bytes, ImageConfig.class, "new image config");
        long baseSize = base.image().map(Image::size).orElse(0L);
        try (Tx tx = store.write()) {
            Optional<Layer> top = base.top();
            if (prepared.isPresent()) {
                top = Optional.of(layers.commit(tx, prepared.get()));
            }
            Optional<Image> existing = images.get(tx, id);
            Image image = existing.isPresent() ? existing.get()
                    : images.add(tx, id, parsed, top.map(Layer::chainId), base.id(), baseSize + (prepared.isPresent() ? top.get().size() : 0));
            for (Reference tag : tagsToAdd) {
                images.tag(tx, tag, id);
            }
            tx.commit();
            return new Committed(image, prepared.map(PreparedLayer::size).orElse(0L));
        }
    }

    private PreparedLayer prepare(ProducedStream.Producer diff, Optional<Layer> parent) throws IOException, StrataException {
        try (InputStream in = ProducedStream.of("layer diff", diff)) {
            return layers.prepare(in, parent);
        }
    }

    /** The image {@link #commitOn} made, and the size of the layer it added (0 for none). */
    public record Committed(Image image, long layerSize) {
    }

    /** The images {@code images} shows: by default tagged ones and dangling ones, not intermediate build images. */
    public List<ImageSummary> list(boolean all) throws IOException {
        try (Tx tx = store.read()) {
            Map<Digest, List<Reference>> tags = images.allTags(tx);
            Map<Digest, List<Reference>> digests = images.allRepoDigests(tx);
            Set<Digest> parents = images.parents(tx);
            List<ImageSummary> out = new ArrayList<>();
            for (Image image : images.list(tx)) {
                List<Reference> t = tags.getOrDefault(image.id(), List.of());
                List<Reference> d = digests.getOrDefault(image.id(), List.of());
                boolean untagged = t.isEmpty() && d.isEmpty();
                boolean intermediate = untagged && parents.contains(image.id());
                if (intermediate && !all) {
                    continue;
                }
                out.add(summary(image, t, d, untagged && !intermediate));
            }
            tx.commit();
            return out;
        }
    }

    /** The rows of {@code history}, newest first; rows of layers that no local image ends in have no image ID. */
    public List<HistoryEntry> history(String name) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            Image image = images.resolve(tx, name);
            List<HistoryRow> rows = historyRows(tx, image);
            // Walk the local parent chain to give rows their image IDs, top row first, as Docker does.
            List<HistoryEntry> out = new ArrayList<>();
            Optional<Image> owner = Optional.of(image);
            for (HistoryRow row : rows) {
                Optional<Digest> id = owner.map(Image::id);
                List<Reference> tags = id.isPresent() ? images.tags(tx, id.get()) : List.of();
                out.add(new HistoryEntry(id, row.created(), row.createdBy(), row.size(), row.comment(), tags));
                owner = owner.isPresent() && owner.get().parent().isPresent() ? images.get(tx, owner.get().parent().get())
                        : Optional.empty();
            }
            tx.commit();
            return out;
        }
    }

    private record HistoryRow(Optional<Instant> created, String createdBy, long size, String comment) {
    }

    private List<HistoryRow> historyRows(Tx tx, Image image) throws IOException, StrataException {
        ImageConfig config = images.config(image.id());
        List<Layer> stack = image.topLayer().isPresent() ? layers.stack(tx, image.topLayer().get()) : List.of();
        List<HistoryRow> rows = new ArrayList<>();
        List<ImageConfig.History> history = config.historyOrEmpty();
        int layerIndex = 0;
        if (history.isEmpty()) {
            // OCI configs may omit history; one row per layer is more useful than none.
            for (Layer layer : stack) {
                rows.add(new HistoryRow(Optional.empty(), "", layer.size(), ""));
            }
        } else {
            for (ImageConfig.History h : history) {
                long size = 0;
                if (!h.emptyLayer()) {
                    if (layerIndex >= stack.size()) {
                        throw new BadContentException("image " + image.id().shortHex() + " has more non-empty history rows than layers ("
                                + stack.size() + ")");
                    }
                    size = stack.get(layerIndex++).size();
                }
                rows.add(new HistoryRow(ImageConfig.parseTime(h.created()), h.createdBy() == null ? "" : h.createdBy(), size,
                        h.comment() == null ? "" : h.comment()));
            }
        }
        return rows.reversed();
    }

    /** What {@code inspect} shows for one image. */
    public ImageDetails inspect(String name) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            Image image = images.resolve(tx, name);
            ImageConfig config = images.config(image.id());
            List<Layer> stack = image.topLayer().isPresent() ? layers.stack(tx, image.topLayer().get()) : List.of();
            ImageDetails details = ImageDetails.of(image, config, images.configBytes(image.id()), images.tags(tx, image.id()),
                    images.repoDigests(tx, image.id()), stack, layers);
            tx.commit();
            return details;
        }
    }

    /** Gives the image {@code source} names the tag {@code target}, moving the tag if another image had it. */
    public void tag(String source, String target) throws IOException, StrataException {
        Reference ref = parseTag(Optional.of(target)).orElseThrow();
        try (Store.Lease lease = store.writeLease(); Tx tx = store.write()) {
            Image image = images.resolve(tx, source);
            images.tag(tx, ref, image.id());
            tx.commit();
        }
    }

    /**
     * {@code rmi}: untags when the name is one of several references, otherwise deletes the image and then the
     * layers no other image uses; with {@code prune}, untagged parents that nothing else needs go too.
     */
    public List<RemovedItem> remove(String name, boolean force, boolean prune) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease(); Tx tx = store.write()) {
            List<RemovedItem> out = new ArrayList<>();
            Image image = images.resolve(tx, name);
            new Removal(tx, out).remove(name, image, force, prune);
            tx.commit();
            return out;
        }
    }

    /** {@code image prune}: removes dangling images, or with {@code all} every image no container uses. */
    public PruneReport prune(boolean all) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease(); Tx tx = store.write()) {
            List<RemovedItem> out = new ArrayList<>();
            Removal removal = new Removal(tx, out);
            // Newest first, so children go before the parents they would otherwise pin.
            for (Image image : images.list(tx)) {
                if (images.get(tx, image.id()).isEmpty()) {
                    continue; // removed with a child already
                }
                boolean tagged = !images.tags(tx, image.id()).isEmpty() || !images.repoDigests(tx, image.id()).isEmpty();
                if (!images.children(tx, image.id()).isEmpty() || (tagged && !all)
                        || !store.containers().usingImage(tx, image.id()).isEmpty()) {
                    continue;
                }
                removal.delete(image.id(), true, false);
            }
            tx.commit();
            return new PruneReport(out, removal.reclaimed);
        }
    }

    /** Docker's image-delete rules (daemon/images/image_delete.go), one instance per user action. */
    private final class Removal {
        private final Tx tx;
        private final List<RemovedItem> out;
        long reclaimed;

        Removal(Tx tx, List<RemovedItem> out) {
            this.tx = tx;
            this.out = out;
        }

        void remove(String name, Image image, boolean force, boolean prune) throws IOException, StrataException {
            List<Reference> refs = references(image.id());
            boolean byId = image.id().hex().startsWith(stripAlgorithm(name)) && !isReference(name, refs);
            if (!byId) {
                Reference ref = ImageStore.parseReference(name);
                Reference given = ref.digest().isPresent() ? ref : ref.withDefaultTag();
                List<Container> users = store.containers().usingImage(tx, image.id());
                if (refs.size() == 1 && !force && !users.isEmpty()) {
                    throw new ConflictException("conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                            + users.getFirst().shortId() + " is using its referenced image " + image.id().shortHex());
                }
                images.untag(tx, given);
                out.add(RemovedItem.untagged(given.familiarString()));
                refs = references(image.id());
                if (given.digest().isEmpty() && refs.stream().noneMatch(r -> r.digest().isEmpty() && r.name().equals(given.name()))) {
                    // The last tag of a repository takes that repository's digest references with it.
                    for (Reference r : refs) {
                        if (r.digest().isPresent() && r.name().equals(given.name())) {
                            images.untag(tx, r);
                            out.add(RemovedItem.untagged(r.familiarString()));
                        }
                    }
                    refs = references(image.id());
                }
                if (!refs.isEmpty()) {
                    return;
                }
                delete(image.id(), force, prune);
                return;
            }
            boolean oneRepository = refs.stream().map(Reference::name).distinct().count() <= 1;
            if (!refs.isEmpty() && !oneRepository && !force) {
                throw conflict(image.id(), true, "image is referenced in multiple repositories");
            }
            delete(image.id(), force, prune);
        }

        /** Deletes an image after its conflict checks, then (with prune) its untagged parents, quietly. */
        void delete(Digest id, boolean force, boolean prune) throws IOException, StrataException {
            if (!images.children(tx, id).isEmpty()) {
                throw conflict(id, false, "image has dependent child images");
            }
            List<Container> users = store.containers().usingImage(tx, id);
            if (!users.isEmpty() && !force) {
                throw conflict(id, true, "image is being used by stopped container " + users.getFirst().shortId());
            }
            Optional<Image> image = images.get(tx, id);
            if (image.isEmpty()) {
                return;
            }
            for (Reference r : references(id)) {
                out.add(RemovedItem.untagged(r.familiarString()));
            }
            images.delete(tx, id);
            out.add(RemovedItem.deleted(id.toString()));
            if (image.get().topLayer().isPresent()) {
                for (Layer layer : layers.removeUnused(tx, image.get().topLayer().get())) {
                    out.add(RemovedItem.deleted(layer.chainId().toString()));
                    reclaimed += layer.size();
                }
            }
            Optional<Digest> parent = image.get().parent();
            if (prune && parent.isPresent() && references(parent.get()).isEmpty() && images.children(tx, parent.get()).isEmpty()) {
                delete(parent.get(), false, true);
            }
        }

        private List<Reference> references(Digest id) throws IOException {
            List<Reference> refs = new ArrayList<>(images.tags(tx, id));
            refs.addAll(images.repoDigests(tx, id));
            return refs;
        }

        private boolean isReference(String name, List<Reference> refs) {
            try {
                Reference r = ImageStore.parseReference(name);
                Reference given = r.digest().isPresent() ? r : r.withDefaultTag();
                return refs.stream().anyMatch(x -> x.toString().equals(given.toString()));
            } catch (InvalidArgumentException e) {
                return false;
            }
        }
    }

    private static String stripAlgorithm(String name) {
        return name.startsWith(Digest.ALGORITHM + ":") ? name.substring(Digest.ALGORITHM.length() + 1) : name;
    }

    private static ConflictException conflict(Digest id, boolean canForce, String why) {
        return new ConflictException("conflict: unable to delete " + id.shortHex() + " (" + (canForce ? "must" : "cannot")
                + " be forced) - " + why);
    }

    /** Parses a tag for a new name: a digest reference cannot be given to an image that has no such manifest. */
    public static Optional<Reference> parseTag(Optional<String> text) throws InvalidArgumentException {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Reference ref = ImageStore.parseReference(text.get());
        if (ref.digest().isPresent()) {
            throw new InvalidArgumentException("invalid tag \"" + text.get() + "\": a tag cannot contain a digest (@sha256:…)");
        }
        return Optional.of(ref.withDefaultTag());
    }

    private static ImageSummary summary(Image image, List<Reference> tags, List<Reference> digests, boolean dangling) {
        return new ImageSummary(image.id(), tags, digests, image.parent(), image.created(), image.size(), dangling);
    }
}
