package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
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
import dev.strata.metadata.Tx;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import dev.strata.image.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes an image. An image that came from a registry (or was pushed before) has a kept manifest: it is pushed as
 * it is, byte for byte, with the blobs it names, which the repository may have already ({@code HEAD}), another
 * repository of the registry may lend ({@code mount}), or the content store holds. An image Strata made has none:
 * its layers are compressed (gzip, on every core) while they upload, and a Docker v2.2 (or OCI) manifest is
 * written. Either way the pushed manifest is kept, with where its layer blobs now are, so the next push of the image
 * sends the same bytes and skips every layer the registry has without compressing it again.
 */
final class ImagePusher {
    private final Store store;
    private final LayerStore layers;
    private final ImageStore images;

    ImagePusher(Store store) {
        this.store = store;
        this.layers = store.layers();
        this.images = store.images();
    }

    /** The image and what is known about it, read in one transaction. */
    private record Local(Image image, byte[] config, List<Layer> stack, List<Manifest> kept, Map<Digest, List<LayerBlobsTable.Known>> sources) {
    }

    PushResult push(String name, PushOptions options, Progress.Listener listener) throws IOException, StrataException {
        Reference ref;
        try {
            ref = Reference.parse(name).withDefaultTag();
        } catch (InvalidReferenceException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
        if (ref.digest().isPresent()) {
            throw new InvalidArgumentException("cannot push \"" + name + "\": push a tag, not a digest");
        }
        String tag = ref.tag().orElseThrow();
        List<Digest> unreached = new ArrayList<>();
        try (Store.Lease lease = store.writeLease()) {
            return push(ref, tag, options, listener, unreached);
        } finally {
            store.removeBlobsIfUnreached(unreached);
        }
    }

    private PushResult push(Reference ref, String tag, PushOptions options, Progress.Listener listener, List<Digest> unreached)
            throws IOException, StrataException {
        Local local = read(ref);
        listener.on(Progress.line("The push refers to repository [" + ref.name() + "]"));
        RegistryClient client = RegistryClient.forPush(ref, options.registry());
        ImageConfig config = ImageJson.read(local.config(), ImageConfig.class, "image config " + local.image().id());
        List<Digest> diffIds = config.diffIds();
        if (!diffIds.equals(local.stack().stream().map(Layer::diffId).toList())) {
            throw new BadContentException("image " + local.image().id().shortHex() + ": its config's DiffIDs do not match its layers");
        }
        Optional<Manifest> kept = usable(local);
        Optional<ManifestJson.ImageManifest> keptParsed = kept.isPresent() ? Optional.of(kept.get().image()) : Optional.empty();

        AtomicLong sent = new AtomicLong();
        int[] counts = new int[3]; // uploaded, existing, mounted
        List<Descriptor> pushed = new ArrayList<>();
        Semaphore slots = new Semaphore(options.registry().parallelTransfers());
        for (Layer l : local.stack()) {
            listener.on(Progress.layer(l.diffId().shortHex(), Progress.PREPARING));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Descriptor>> futures = new ArrayList<>();
            for (int i = 0; i < local.stack().size(); i++) {
                Layer layer = local.stack().get(i);
                Optional<Descriptor> w = keptParsed.isPresent() ? Optional.of(keptParsed.get().layers().get(i))
                        : Optional.empty();
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return pushLayer(client, ref, layer, w, local.sources().getOrDefault(layer.diffId(), List.of()), options,
                                listener, sent, counts);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<Descriptor> f : futures) {
                try {
                    pushed.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    executor.shutdownNow();
                    throw LayerDownload.rethrow(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
        }
        // The config, then the manifest that names it.
        Digest id = local.image().id();
        if (client.checkBlob(id).isEmpty()) {
            client.pushBlobSized(BlobSource.of(local.config()), n -> sent.addAndGet(n));
        }
        Manifest manifest = kept.isPresent() && sameLayers(keptParsed.get(), pushed) ? kept.get()
                : build(local, pushed, options.format());
        client.pushManifest(tag, manifest);
        boolean written = !store.content().exists(manifest.digest());
        if (written) {
            store.content().write(manifest.bytes());
        }
        try (Tx tx = store.write()) {
            if (images.get(tx, id).isPresent()) {
                images.addManifest(tx, manifest.digest(), id, manifest.mediaType());
                images.addRepoDigest(tx, ref.name(), manifest.digest(), id);
            }
            for (int i = 0; i < pushed.size(); i++) {
                Descriptor d = pushed.get(i);
                store.layerBlobs().record(tx, new LayerBlobsTable.Known(diffIds.get(i), d.digest(), d.size(), d.mediaType(),
                        ref.name()));
            }
            tx.commit();
        } catch (IOException | RuntimeException e) {
            if (written) {
                unreached.add(manifest.digest()); // no row reaches it: removed once the push is over
            }
            throw e;
        }
        listener.on(Progress.line(tag + ": digest: " + manifest.digest() + " size: " + manifest.bytes().length));
        return new PushResult(ref, manifest.digest(), manifest.bytes().length, counts[0], counts[1], counts[2], sent.get());
    }

    private Local read(Reference ref) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            Image image = images.resolve(tx, ref.toString());
            byte[] config = images.configBytes(image.id());
            List<Layer> stack = image.topLayer().isPresent() ? layers.stack(tx, image.topLayer().get()) : List.of();
            List<Manifest> kept = new ArrayList<>();
            for (Map.Entry<Digest, String> m : images.manifests(tx, image.id()).entrySet()) {
                if (MediaTypes.isImageManifest(m.getValue()) && store.content().exists(m.getKey())) {
                    kept.add(new Manifest(store.content().read(m.getKey()), m.getKey(), m.getValue()));
                }
            }
            Map<Digest, List<LayerBlobsTable.Known>> sources = new java.util.HashMap<>();
            for (Layer l : stack) {
                sources.put(l.diffId(), store.layerBlobs().of(tx, l.diffId()));
            }
            tx.commit();
            return new Local(image, config, stack, kept, sources);
        }
    }

    /** A kept manifest of this image that names its config and as many layers (the last recorded wins). */
    private static Optional<Manifest> usable(Local local) throws BadContentException {
        Optional<Manifest> out = Optional.empty();
        for (Manifest m : local.kept()) {
            ManifestJson.ImageManifest parsed = m.image();
            if (parsed.config().digestOf("manifest " + m.digest()).equals(local.image().id()) && parsed.layers() != null
                    && parsed.layers().size() == local.stack().size()) {
                out = Optional.of(m);
            }
        }
        return out;
    }

    private Descriptor pushLayer(RegistryClient client, Reference ref, Layer layer, Optional<Descriptor> want,
            List<LayerBlobsTable.Known> sources, PushOptions options, Progress.Listener listener, AtomicLong sent, int[] counts)
            throws IOException, StrataException {
        String id = layer.diffId().shortHex();
        String domain = ref.domain();
        // Candidates for a blob the registry may have: the kept manifest's, the layer's own, and any recorded on this registry.
        List<Descriptor> candidates = new ArrayList<>();
        want.ifPresent(candidates::add);
        if (want.isEmpty()) {
            layer.compressed().ifPresent(c -> candidates.add(Descriptor.of(c.mediaType(), c.size(), c.digest())));
            for (LayerBlobsTable.Known s : sources.reversed()) {
                if (s.domain().equals(domain)) {
                    candidates.add(Descriptor.of(s.mediaType(), s.size(), s.digest()));
                }
            }
        }
        for (Descriptor c : candidates) {
            Digest d = c.digest();
            if (client.checkBlob(d).isPresent()) {
                synchronized (counts) {
                    counts[1]++;
                }
                listener.on(Progress.layer(id, Progress.LAYER_EXISTS));
                return c;
            }
            for (LayerBlobsTable.Known s : sources) {
                if (s.digest().equals(d) && s.domain().equals(domain) && !s.path().equals(ref.path())) {
                    if (client.mountBlob(d, s.path())) {
                        synchronized (counts) {
                            counts[2]++;
                        }
                        listener.on(Progress.layer(id, Progress.MOUNTED_FROM + s.path()));
                        return c;
                    }
                }
            }
            if (store.content().exists(d)) {
                long size = store.content().size(d);
                BlobSource source = new BlobSource() {
                    @Override
                    public InputStream open() throws IOException {
                        try {
                            return store.content().open(d);
                        } catch (dev.strata.error.NotFoundException e) {
                            throw new IOException(e.getMessage(), e);
                        }
                    }

                    @Override
                    public Optional<Digest> digest() {
                        return Optional.of(d);
                    }

                    @Override
                    public OptionalLong size() {
                        return OptionalLong.of(size);
                    }
                };
                upload(client, source, id, size, listener, sent);
                synchronized (counts) {
                    counts[0]++;
                }
                listener.on(Progress.layer(id, Progress.PUSHED));
                return c;
            }
        }
        // Compress while uploading; the digest is known at the end.
        BlobSource compressed = new BlobSource() {
            @Override
            public InputStream open() throws IOException {
                try {
                    return new ParallelGzip(layers.openTar(layer), options.compressionLevel());
                } catch (dev.strata.error.NotFoundException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public Optional<Digest> digest() {
                return Optional.empty();
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.empty();
            }
        };
        BlobPusher.Pushed p = upload(client, compressed, id, -1, listener, sent);
        synchronized (counts) {
            counts[0]++;
        }
        listener.on(Progress.layer(id, Progress.PUSHED));
        String mediaType = options.format() == PushOptions.ManifestFormat.OCI ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
        return Descriptor.of(mediaType, p.size(), p.digest());
    }

    private static BlobPusher.Pushed upload(RegistryClient client, BlobSource source, String id, long total, Progress.Listener listener,
            AtomicLong sent) throws IOException, StrataException {
        long[] mine = {0, 0};
        return client.pushBlobSized(source, n -> {
            sent.addAndGet(n);
            mine[0] += n;
            long now = System.nanoTime();
            if (now - mine[1] > 100_000_000L) {
                mine[1] = now;
                listener.on(Progress.bytes(id, Progress.PUSHING, mine[0], total));
            }
        });
    }

    private static boolean sameLayers(ManifestJson.ImageManifest kept, List<Descriptor> pushed) {
        for (int i = 0; i < pushed.size(); i++) {
            if (!kept.layers().get(i).digest().equals(pushed.get(i).digest())) {
                return false;
            }
        }
        return true;
    }

    /** A new manifest: Docker v2.2 unless OCI was asked for or a layer is not gzip (Docker v2.2 knows only gzip). */
    private static Manifest build(Local local, List<Descriptor> pushed, PushOptions.ManifestFormat format) {
        boolean oci = format == PushOptions.ManifestFormat.OCI;
        for (Descriptor d : pushed) {
            if (!MediaTypes.DOCKER_LAYER_GZIP.equals(d.mediaType()) && !MediaTypes.OCI_LAYER_GZIP.equals(d.mediaType())) {
                oci = true;
            }
        }
        List<Descriptor> layerDescriptors = new ArrayList<>();
        for (Descriptor d : pushed) {
            String mt = d.mediaType();
            if (!oci && MediaTypes.OCI_LAYER_GZIP.equals(mt)) {
                mt = MediaTypes.DOCKER_LAYER_GZIP;
            } else if (oci && MediaTypes.DOCKER_LAYER_GZIP.equals(mt)) {
                mt = MediaTypes.OCI_LAYER_GZIP;
            }
            layerDescriptors.add(new Descriptor(mt, d.size(), d.digest(), null, null, null));
        }
        String manifestType = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
        Descriptor config = Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG,
                local.config().length, local.image().id());
        byte[] bytes = ImageJson.write(new ManifestJson.ImageManifest(2, manifestType, config, layerDescriptors, null));
        return Manifest.of(bytes, manifestType);
    }
}
