package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
import dev.strata.digest.ChainId;
import dev.strata.digest.CountingInputStream;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.image.ImageStore;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerBlobsTable;
import dev.strata.layer.LayerStore;
import dev.strata.layer.PreparedLayer;
import dev.strata.metadata.Tx;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import dev.strata.sys.Flock;
import dev.strata.image.Platform;
import dev.strata.image.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls an image into the store.
 *
 * <p>The manifest (through an index when the name gives one, for the wanted platform) and the config come first and
 * are checked before any layer moves. Then every layer the store lacks downloads at once, on virtual threads, each
 * into its resumable ingest file ({@link LayerDownload}); this thread unpacks the layers bottom up, each by
 * following its ingest file while it grows, so a layer's bytes cross the network once, are hashed once (compressed,
 * by the writer) and decompressed and hashed once more (the DiffID, while the files are written) — one pass, while
 * the next layers are still downloading. Before unpacking a layer this thread takes the layer's ChainID lock and
 * looks for its row again, so two processes pulling the same layer unpack it once; the locks stay until the rows are
 * committed. Blobs move from {@code ingest/} into the content store, then one transaction adds the layers, the image,
 * its tag, {@code name@digest} and the kept manifests. On any failure nothing becomes visible: prepared layers are
 * discarded, blobs this pull stored that no row reaches are removed, and downloads stay in {@code ingest/}, where
 * the next attempt resumes them.
 */
final class ImagePuller {
    private static final long MAX_CONFIG = 32L << 20;

    private final Store store;
    private final LayerStore layers;
    private final ImageStore images;

    ImagePuller(Store store) {
        this.store = store;
        this.layers = store.layers();
        this.images = store.images();
    }

    /** One layer of the image. */
    private record Entry(int index, Descriptor descriptor, Digest blob, long size, String mediaType, Digest diffId,
            Digest chainId) {
        String id() {
            return blob.shortHex();
        }
    }

    PullResult pull(String name, PullOptions options, Progress.Listener listener) throws IOException, StrataException {
        Reference ref = parse(name);
        String tagOrDigest = ref.digest().map(Digest::toString).orElseGet(() -> ref.tag().orElseThrow());
        listener.on(Progress.line(tagOrDigest + ": Pulling from " + ref.path()));
        RegistryClient client = RegistryClient.forPull(ref, options.registry());
        AtomicLong received = new AtomicLong();

        Manifest top = client.pullManifest(tagOrDigest);
        received.addAndGet(top.bytes().length);
        Manifest manifest = top;
        if (top.isIndex()) {
            Platform platform = options.platform().orElseGet(Platform::host);
            Descriptor chosen = select(top, platform, ref);
            manifest = client.pullManifest(chosen.digestOf("index " + top.digest()).toString());
            received.addAndGet(manifest.bytes().length);
            if (!MediaTypes.isImageManifest(manifest.mediaType())) {
                throw new BadContentException("index " + top.digest() + " names " + manifest.digest() + " for " + platform
                        + ", which is not an image manifest (" + manifest.mediaType() + ")");
            }
        }
        ManifestJson.ImageManifest m = manifest.image();
        String what = "manifest " + manifest.digest();
        if (m.config().mediaType() != null && !MediaTypes.isImageConfig(m.config().mediaType())) {
            throw new BadContentException(ref.familiarString() + " is not a container image: its config has media type "
                    + m.config().mediaType());
        }
        Digest configDigest = m.config().digestOf(what);
        byte[] configBytes;
        if (store.content().exists(configDigest)) {
            configBytes = store.content().read(configDigest);
        } else {
            configBytes = client.pullSmallBlob(configDigest, MAX_CONFIG);
            received.addAndGet(configBytes.length);
        }
        ImageConfig config = ImageJson.read(configBytes, ImageConfig.class, "image config " + configDigest);
        if (config == null) {
            throw new BadContentException("image config " + configDigest + " is not a JSON object");
        }
        List<Digest> diffIds;
        try {
            diffIds = config.diffIds();
        } catch (IllegalArgumentException e) {
            throw new BadContentException("image config " + configDigest + " has an invalid DiffID: " + e.getMessage());
        }
        List<Descriptor> descriptors = m.layers() == null ? List.of() : m.layers();
        if (descriptors.size() != diffIds.size()) {
            throw new BadContentException(what + " lists " + descriptors.size() + " layers, but its config has " + diffIds.size()
                    + " DiffIDs");
        }
        List<Digest> chain = ChainId.chain(diffIds);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < descriptors.size(); i++) {
            Descriptor d = descriptors.get(i);
            String mt = d.mediaType() == null ? MediaTypes.OCI_LAYER_GZIP : d.mediaType();
            if (!MediaTypes.isLayer(mt)) {
                throw new BadContentException(what + ": layer " + (i + 1) + " has media type " + mt + ", which is not a layer Strata "
                        + "can unpack");
            }
            entries.add(new Entry(i, d, d.digestOf(what), d.sizeOf(what), mt, diffIds.get(i), chain.get(i)));
        }
        Run run = new Run(ref, client, options, listener, received);
        try {
            try (Store.Lease lease = store.writeLease()) {
                return run.pull(top, manifest, configDigest, configBytes, config, entries);
            } finally {
                run.cleanUp();
            }
        } finally {
            if (!run.committed) {
                store.removeBlobsIfUnreached(run.written);
            }
        }
    }

    private static Reference parse(String name) throws InvalidArgumentException {
        try {
            return Reference.parse(name).withDefaultTag();
        } catch (InvalidReferenceException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

    /** The manifest of an index for {@code platform}: Docker's rule, the first entry that matches. */
    static Descriptor select(Manifest index, Platform platform, Reference ref) throws BadContentException {
        List<Descriptor> entries = index.index().manifests();
        for (Descriptor d : entries) {
            if (platform.matches(d.platform()) && (d.mediaType() == null || MediaTypes.isImageManifest(d.mediaType()))) {
                return d;
            }
        }
        Set<String> offered = new java.util.LinkedHashSet<>();
        for (Descriptor d : entries) {
            if (d.platform() != null && !"unknown".equals(d.platform().os())) {
                offered.add(d.platform().toString());
            }
        }
        throw new BadContentException("no matching manifest for " + platform + " in the manifest list entries of " + ref.familiarString()
                + " (it has " + (offered.isEmpty() ? "none" : String.join(", ", offered)) + "); choose one with --platform");
    }

    /** The state of one pull inside the store lease. */
    private final class Run {
        final Reference ref;
        final RegistryClient client;
        final PullOptions options;
        final Progress.Listener listener;
        final AtomicLong received;
        final List<Flock> locks = new ArrayList<>();
        final List<PreparedLayer> prepared = new ArrayList<>();
        final List<Digest> written = new ArrayList<>();
        final Map<Digest, LayerDownload> downloads = new LinkedHashMap<>();
        ExecutorService executor;
        boolean committed;

        Run(Reference ref, RegistryClient client, PullOptions options, Progress.Listener listener, AtomicLong received) {
            this.ref = ref;
            this.client = client;
            this.options = options;
            this.listener = listener;
            this.received = received;
        }

        PullResult pull(Manifest top, Manifest manifest, Digest id, byte[] configBytes, ImageConfig config, List<Entry> entries)
                throws IOException, StrataException {
            Set<Digest> stored = new HashSet<>();
            try (Tx tx = store.read()) {
                for (Entry e : entries) {
                    if (layers.get(tx, e.chainId()).isPresent()) {
                        stored.add(e.chainId());
                    }
                }
                tx.commit();
            }
            Set<String> reported = new HashSet<>();
            for (Entry e : entries) {
                if (reported.add(e.id())) {
                    listener.on(Progress.layer(e.id(), stored.contains(e.chainId()) ? Progress.ALREADY_EXISTS : Progress.PULLING_FS_LAYER));
                }
            }
            // Every missing blob starts downloading now; unpacking follows, bottom up.
            Semaphore slots = new Semaphore(options.registry().parallelTransfers());
            executor = Executors.newVirtualThreadPerTaskExecutor();
            for (Entry e : entries) {
                if (!stored.contains(e.chainId()) && !downloads.containsKey(e.blob()) && !store.content().exists(e.blob())) {
                    LayerDownload d = new LayerDownload(store, client, e.blob(), e.size(), listener, received);
                    downloads.put(e.blob(), d);
                    executor.execute(() -> d.run(slots));
                }
            }
            List<Digest> unpacked = new ArrayList<>();
            List<Digest> skipped = new ArrayList<>();
            Map<Digest, PreparedLayer> fresh = new LinkedHashMap<>();
            Optional<Layer> parentRow = Optional.empty();
            PreparedLayer parentPrepared = null;
            long size = 0;
            for (Entry e : entries) {
                locks.add(store.lockLayer(e.chainId()));
                Optional<Layer> existing;
                try (Tx tx = store.read()) {
                    existing = layers.get(tx, e.chainId());
                    tx.commit();
                }
                if (existing.isPresent()) {
                    if (!stored.contains(e.chainId())) {
                        listener.on(Progress.layer(e.id(), Progress.ALREADY_EXISTS)); // another pull unpacked it meanwhile
                    }
                    skipped.add(e.chainId());
                    parentRow = existing;
                    parentPrepared = null;
                    size += existing.get().size();
                    continue;
                }
                PreparedLayer p = unpack(e, parentRow, parentPrepared);
                fresh.put(e.chainId(), p);
                unpacked.add(e.chainId());
                parentPrepared = p;
                parentRow = Optional.empty();
                size += p.size();
                listener.on(Progress.layer(e.id(), Progress.PULL_COMPLETE));
            }
            // Files first: blobs into the content store, then the rows that reach them.
            if (!store.content().exists(id)) {
                written.add(store.content().write(configBytes));
            }
            for (Manifest doc : top == manifest ? List.of(top) : List.of(top, manifest)) {
                if (!store.content().exists(doc.digest())) {
                    written.add(store.content().write(doc.bytes()));
                }
            }
            Set<Digest> needed = new HashSet<>();
            for (Entry e : entries) {
                if (fresh.containsKey(e.chainId())) {
                    needed.add(e.blob());
                }
            }
            for (LayerDownload d : downloads.values()) {
                if (needed.contains(d.digest()) && d.commit()) {
                    written.add(d.digest());
                }
            }
            boolean upToDate;
            try (Tx tx = store.write()) {
                tx.afterCommit(() -> committed = true);
                for (Entry e : entries) {
                    PreparedLayer p = fresh.get(e.chainId());
                    if (p != null) {
                        layers.commit(tx, p);
                    }
                    store.layerBlobs().record(tx, new LayerBlobsTable.Known(e.diffId(), e.blob(), e.size(), e.mediaType(), ref.name()));
                }
                Optional<Digest> topLayer = entries.isEmpty() ? Optional.empty() : Optional.of(entries.getLast().chainId());
                Optional<Reference> tag = ref.tag().map(t -> new Reference(ref.domain(), ref.path(), Optional.of(t), Optional.empty()));
                Reference byDigest = ref.repository().withDigest(top.digest());
                upToDate = images.get(tx, id).isPresent()
                        && (tag.isPresent() ? images.tags(tx, id).contains(tag.get()) : images.repoDigests(tx, id).contains(byDigest));
                images.add(tx, id, config, topLayer, Optional.empty(), size);
                if (tag.isPresent()) {
                    images.tag(tx, tag.get(), id);
                }
                images.addRepoDigest(tx, ref.name(), top.digest(), id);
                images.addManifest(tx, top.digest(), id, top.mediaType());
                if (top != manifest) {
                    images.addManifest(tx, manifest.digest(), id, manifest.mediaType());
                }
                tx.commit();
            }
            listener.on(Progress.line("Digest: " + top.digest()));
            listener.on(Progress.line("Status: " + (upToDate ? "Image is up to date for " : "Downloaded newer image for ")
                    + ref.familiarString()));
            return new PullResult(ref, id, top.digest(), upToDate, unpacked, skipped, received.get());
        }

        private PreparedLayer unpack(Entry e, Optional<Layer> parentRow, PreparedLayer parentPrepared)
                throws IOException, StrataException {
            LayerDownload download = downloads.get(e.blob());
            Layer.CompressedBlob source = new Layer.CompressedBlob(e.blob(), e.size(), e.mediaType());
            PreparedLayer p;
            try (InputStream blob = download == null ? store.content().open(e.blob()) : download.follow();
                    InputStream counted = extracting(blob, e, download)) {
                p = layers.prepare(counted, parentPrepared != null ? Optional.of(parentPrepared.asLayer()) : parentRow, source);
                try {
                    // The rest of the blob (the compressed stream's end): the digest covers every byte.
                    counted.transferTo(OutputStream.nullOutputStream());
                    if (download != null) {
                        download.await();
                    }
                } catch (IOException | StrataException | RuntimeException x) {
                    p.close();
                    throw x;
                }
            } catch (IOException | StrataException | RuntimeException x) {
                // A failed download explains a failed unpack better than the unpack's own error.
                Optional<Throwable> failure = download == null ? Optional.empty() : download.failed(java.time.Duration.ofSeconds(5));
                if (failure.isPresent()) {
                    throw LayerDownload.rethrow(failure.get());
                }
                if (x instanceof BadContentException b) {
                    throw new BadContentException("layer " + e.id() + ": " + b.getMessage(), b);
                }
                throw x;
            }
            prepared.add(p);
            if (!p.diffId().equals(e.diffId())) {
                throw new BadContentException("layer " + e.id() + " (blob " + e.blob() + ") does not match the image config: its DiffID is "
                        + p.diffId() + ", the config says " + e.diffId());
            }
            return p;
        }

        /** Reports Extracting progress once the layer's download is complete (Docker shows the two one after the other). */
        private InputStream extracting(InputStream in, Entry entry, LayerDownload download) {
            long[] position = {0};
            long[] lastReport = {0};
            return CountingInputStream.reporting(in, n -> {
                position[0] += n;
                long now = System.nanoTime();
                if ((download == null || download.isComplete()) && now - lastReport[0] > 100_000_000L) {
                    lastReport[0] = now;
                    listener.on(Progress.bytes(entry.id(), Progress.EXTRACTING, position[0], entry.size()));
                }
            });
        }

        /** Stops downloads, drops what was not committed, releases the layer locks. */
        void cleanUp() throws IOException {
            if (executor != null) {
                executor.shutdownNow(); // downloads still running are for layers that turned out to be stored
                executor.close();
            }
            for (LayerDownload d : downloads.values()) {
                d.close();
            }
            if (!committed) {
                for (PreparedLayer p : prepared) {
                    p.close();
                }
            }
            for (Flock lock : locks.reversed()) {
                lock.close();
            }
        }
    }
}
