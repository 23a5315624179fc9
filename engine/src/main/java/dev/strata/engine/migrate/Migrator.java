package dev.strata.engine.migrate;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.LayerApplier;
import dev.strata.container.Container;
import dev.strata.digest.ChainId;
import dev.strata.digest.Digest;
import dev.strata.digest.DigestingInputStream;
import dev.strata.driver.Trees;
import dev.strata.engine.container.ContainerDefinition;
import dev.strata.engine.container.HostSpec;
import dev.strata.engine.container.InitLayer;
import dev.strata.engine.container.MountSpec;
import dev.strata.engine.container.ContainerMounts;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.BadContentException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerContent;
import dev.strata.layer.LayerImport;
import dev.strata.layer.WritableLayer;
import dev.strata.layer.PreparedLayer;
import dev.strata.metadata.Tx;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Brings a Docker ≤ 1.9 data directory into a Strata store: every legacy layer becomes a content-addressed layer,
 * every legacy image an image whose config Docker 1.10 would have made ({@link V1Config}), every tag and digest of
 * {@code repositories-<driver>} a tag or repository digest, every container a stopped Strata container with its
 * writable layer's files. The legacy directory is only read.
 *
 * <p>Phases: (1) read the legacy metadata and put images parents first, skipping broken ones with their
 * descendants; (2) fingerprint every layer and look for checksums recorded earlier (the {@code --precompute}
 * results, the journal of an interrupted run); (3) fill the layers, {@code threads} at a time: each layer's tar
 * (rebuilt from {@code tar-data.json.gz}, or written from its changes) streams once through the applier, which
 * hashes it (unless its checksum is known) and links or clones its files into a new driver directory; the checksum
 * goes to the journal at once; (4) assemble ChainIDs bottom up, keeping one layer per ChainID; (5) make configs and
 * container layers; (6) one syncfs, then one transaction adds every layer, image, tag and container. A run that
 * dies before (6) leaves only directories no row reaches (the next open sweeps them) and its journal, so the next
 * run hashes nothing twice and ends with the same IDs.
 *
 * <p>A container keeps its volumes and bind mounts ({@link LegacyMounts} reads both of Docker's forms): each local
 * volume becomes a Strata volume of the same name (an anonymous one, 64 hex digits, stays anonymous, so
 * {@code rm -v} removes it), shared by every container that mounts it, and each bind stays a bind of the same host
 * path; read-only stays read-only. Choices:
 * <ul>
 *   <li>A volume's files are reflinked where the file system can and copied otherwise, never hard-linked (unlike
 *   image layers): containers write to volume files in place, so a hard link would let a migrated container change
 *   the legacy files, or the old engine the migrated volume.</li>
 *   <li>A volume whose name the store has already (an earlier migration, or a volume made with that name) is used
 *   as it is and not overwritten: the store's data may be newer than the legacy copy, and a migration never
 *   destroys data. The progress says so when it happens.</li>
 *   <li>A container whose volume has no data directory in the legacy root (or that belongs to a volume driver other
 *   than {@code local}) is skipped and reported by its ID, naming the volume, like any other container that cannot be
 *   migrated. Starting it without the mount would let it write what belongs in the volume into its container layer,
 *   and Docker users expect {@code docker start} to see their data or fail; once the data is back, migrating again
 *   adds the container. A bind's host path is not checked: it is outside the legacy root, and a missing one is made
 *   when the container starts, as Docker makes it.</li>
 * </ul>
 *
 * <p>Other engine calls may run from other threads while a migration runs (it holds a write lease and commits in one
 * transaction); a migration spreads its own checksums over threads. Two migrations of the same legacy directory into
 * one store at once are not supported: they would share its resume journal.
 */
public final class Migrator {
    /** Where {@code --precompute} writes, inside the legacy root: the only thing Strata ever writes there. */
    public static final String PRECOMPUTE_DIR = "strata-migration";
    public static final String PRECOMPUTE_FILE = "checksums.jsonl";
    /** The Strata store used when Strata is pointed at a legacy root itself. */
    public static final String STORE_DIR = "strata";

    private final Store store;
    private final dev.strata.layer.LayerStore layers;
    private final LayerImport imports;
    private final Volumes volumes;

    public Migrator(Store store) {
        this.store = store;
        this.volumes = new Volumes(store);
        this.layers = store.layers();
        this.imports = store.layers().imports();
    }

    /** True when {@code dir} is a Docker ≤ 1.9 root ({@code graph/}, a known driver, no {@code strata.db}). */
    public static boolean isLegacyRoot(Path dir) {
        return LegacyStore.looksLegacy(dir);
    }

    /** The file {@code --precompute} writes and migrations read. */
    public static Path precomputeFile(Path legacyRoot) {
        return legacyRoot.resolve(PRECOMPUTE_DIR).resolve(PRECOMPUTE_FILE);
    }

    /** True when this store has completed a migration of {@code legacyRoot} (for migrate-on-open). */
    public boolean migrated(Path legacyRoot) throws IOException {
        return Files.exists(journalDir(legacyRoot).resolve("done"));
    }

    private Path journalDir(Path legacyRoot) throws IOException {
        Path real = legacyRoot.toRealPath();
        String key = dev.strata.digest.Digester.of(real.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
        return store.root().resolve("migrate").resolve(key);
    }

    // ---- --precompute ----

    /**
     * The checksum phase alone, recorded in {@code <from>/strata-migration/checksums.jsonl}: reads the legacy files
     * only (it can run while the old engine runs), skips layers whose recorded fingerprint still matches, and records
     * a layer only if its fingerprint did not change while it was hashed.
     */
    public static MigrationReport precompute(MigrateOptions options) throws IOException {
        long start = System.nanoTime();
        LegacyStore legacy = LegacyStore.read(options.from(), options.driver());
        LegacyTars tars = new LegacyTars(options.from(), legacy.driver);
        List<MigrationReport.Failure> failures = Collections.synchronizedList(new ArrayList<>(legacy.failures));
        Map<String, String> fingerprints = fingerprints(legacy, options.threads(), failures);
        AtomicLong bytes = new AtomicLong();
        int[] hashed = {0};
        try (Checksums results = Checksums.open(precomputeFile(options.from()))) {
            parallel(legacy.images, options.threads(), image -> {
                String fp = fingerprints.get(image.id());
                if (fp == null || results.lookup(image.id(), fp).isPresent()) {
                    return;
                }
                long t0 = System.nanoTime();
                DigestingInputStream in;
                try (InputStream tar = tars.imageLayer(image.id(), image.parent())) {
                    in = new DigestingInputStream(tar);
                    in.drain();
                } catch (IOException e) {
                    fail(failures, options, "layer", image.id(), e.getMessage());
                    return;
                }
                String after = fingerprint(legacy, image, fingerprints);
                if (!fp.equals(after)) {
                    fail(failures, options, "layer", image.id(), "its files changed while they were read; run again");
                    return;
                }
                results.record(new Checksums.Line(image.id(), fp, in.digest().toString(), in.bytesRead(), source(tars, image.id())));
                bytes.addAndGet(in.bytesRead());
                synchronized (hashed) {
                    hashed[0]++;
                }
                options.progress().accept(layerLine(image.id(), source(tars, image.id()), in.bytesRead(), System.nanoTime() - t0,
                        Optional.of(in.digest())));
            });
        }
        MigrationReport report = new MigrationReport(legacy.images.size(), hashed[0], 0, bytes.get(), (System.nanoTime() - start) / 1e9,
                0, 0, 0, 0, List.copyOf(failures));
        options.progress().accept("precomputed: " + report.summary() + "; results in " + precomputeFile(options.from()));
        return report;
    }

    // ---- the migration ----

    /** One legacy layer on its way in. */
    private static final class Work {
        final LegacyStore.Image image;
        String fingerprint;
        Optional<Checksums.Line> known = Optional.empty();
        Optional<Layer> existing = Optional.empty();
        final CompletableFuture<String> created = new CompletableFuture<>();
        final CompletableFuture<LayerImport.Filled> filled = new CompletableFuture<>();
        String createdOn; // cache ID of the directory it was created on
        Layer resolved; // the row it ends as (existing, or assembled from its prepared directory)
        PreparedLayer prepared; // when resolved is ours to commit
        boolean duplicate; // prepared, but another layer with the same ChainID wins
        List<Digest> diffIds;
        List<V1Config.History> history;
        Digest imageId;
        ImageConfig config;
        boolean failed;

        Work(LegacyStore.Image image) {
            this.image = image;
        }
    }

    /**
     * Migrates {@code options.from()} into this store and returns what it did; items that cannot be migrated are
     * in {@link MigrationReport#failures()} and everything else is migrated. Running it again adds nothing.
     */
    public MigrationReport migrate(MigrateOptions options) throws IOException, StrataException {
        long start = System.nanoTime();
        LegacyStore legacy = LegacyStore.read(options.from(), options.driver());
        LegacyTars tars = new LegacyTars(options.from(), legacy.driver);
        List<MigrationReport.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        for (MigrationReport.Failure f : legacy.failures) {
            fail(failures, options, f.kind(), f.id(), f.reason());
        }
        long tRead = System.nanoTime();
        Map<String, String> fingerprints = fingerprints(legacy, options.threads(), failures);
        long tFingerprints = System.nanoTime();
        Path journalDir = journalDir(options.from());
        Checksums precomputed = Checksums.open(precomputeFile(options.from()));
        List<PreparedLayer> preparedAll = Collections.synchronizedList(new ArrayList<>());
        List<WritableLayer> containerLayers = new ArrayList<>();
        List<Path> volumeDirs = new ArrayList<>();
        Map<String, List<MountSpec>> mounts = new HashMap<>();
        List<Digest> written = new ArrayList<>();
        boolean[] committed = {false};
        AtomicLong bytes = new AtomicLong();
        int[] hashed = {0};
        Map<String, Work> work = new LinkedHashMap<>();
        try (Store.Lease lease = store.writeLease(); Checksums journal = Checksums.open(journalDir.resolve("checksums.jsonl"))) {
            for (LegacyStore.Image image : legacy.images) {
                Work w = new Work(image);
                w.fingerprint = fingerprints.get(image.id());
                if (w.fingerprint == null) {
                    w.failed = true; // reported by fingerprints()
                } else {
                    w.known = journal.lookup(image.id(), w.fingerprint).or(() -> precomputed.lookup(image.id(), w.fingerprint));
                }
                w.failed |= image.parent().isPresent() && (!work.containsKey(image.parent().get()) || work.get(image.parent().get()).failed);
                work.put(image.id(), w);
            }
            findExisting(work);
            long tStart = System.nanoTime();
            fill(work, tars, options, journal, failures, bytes, hashed, preparedAll);
            long tFilled = System.nanoTime();
            Map<Digest, Layer> byChain = assemble(work, failures, options);
            configs(work, written, failures, options);
            List<Container> containers = containers(legacy, tars, work, containerLayers, volumeDirs, mounts, failures, options);
            long tContainers = System.nanoTime();
            imports.sync();
            long tSynced = System.nanoTime();
            int[] counts = commit(legacy, work, byChain, containers, mounts, failures, options, committed);
            long tCommitted = System.nanoTime();
            options.progress().accept(String.format(Locale.ROOT, "phases: read metadata %.2f s, fingerprints %.2f s, layers %.2f s, "
                    + "configs and containers %.2f s, syncfs %.2f s, commit %.2f s", (tRead - start) / 1e9, (tFingerprints - tRead) / 1e9,
                    (tFilled - tStart) / 1e9, (tContainers - tFilled) / 1e9, (tSynced - tContainers) / 1e9, (tCommitted - tSynced) / 1e9));
            double seconds = (System.nanoTime() - start) / 1e9;
            int reused = (int) work.values().stream().filter(w -> !w.failed && w.existing.isPresent()).count();
            int migrated = (int) work.values().stream().filter(w -> !w.failed).count();
            MigrationReport report = new MigrationReport(migrated, hashed[0], reused, bytes.get(), seconds, counts[0], counts[1],
                    counts[2], counts[3], List.copyOf(failures));
            Files.createDirectories(journalDir);
            Files.writeString(journalDir.resolve("done"), options.from().toRealPath() + "\n" + report.summary() + "\n");
            options.progress().accept("migrated: " + report.summary());
            return report;
        } finally {
            precomputed.close();
            if (!committed[0]) {
                for (PreparedLayer p : preparedAll) {
                    p.close();
                }
                for (WritableLayer rw : containerLayers) {
                    rw.remove();
                }
                for (Path dir : volumeDirs) {
                    Trees.deleteRecursively(dir);
                }
                store.removeBlobsIfUnreached(written);
            }
        }
    }

    /** Layers whose whole stack has known checksums and whose ChainID the store has: nothing to do for them. */
    private void findExisting(Map<String, Work> work) throws IOException {
        Map<String, Digest> chains = new HashMap<>();
        try (Tx tx = store.read()) {
            for (Work w : work.values()) {
                if (w.failed || w.known.isEmpty()) {
                    continue;
                }
                Optional<String> parent = w.image.parent();
                if (parent.isPresent() && !chains.containsKey(parent.get())) {
                    continue;
                }
                Digest chain = ChainId.of(parent.map(chains::get), Digest.parse(w.known.get().diffId()));
                chains.put(w.image.id(), chain);
                w.existing = layers.get(tx, chain);
            }
            tx.commit();
        }
    }

    /** Phase 3: creates directories in stack order and fills them {@code threads} at a time. */
    private void fill(Map<String, Work> work, LegacyTars tars, MigrateOptions options, Checksums journal,
            List<MigrationReport.Failure> failures, AtomicLong bytes, int[] hashed, List<PreparedLayer> preparedAll) {
        Semaphore slots = new Semaphore(options.threads());
        boolean copies = imports.parentFirst();
        RuntimeException[] cancelled = {null};
        List<Thread> threads = new ArrayList<>();
        for (Work w : work.values()) {
            if (w.failed || w.existing.isPresent()) {
                w.created.complete(w.existing.map(Layer::cacheId).orElse(null));
                w.filled.complete(null);
                continue;
            }
            threads.add(Thread.ofVirtual().name("migrate " + w.image.id().substring(0, 12)).start(() -> {
                String cacheId = null;
                try {
                    Optional<String> parentDir = Optional.empty();
                    if (w.image.parent().isPresent()) {
                        Work p = work.get(w.image.parent().get());
                        parentDir = Optional.of(p.existing.isPresent() ? p.existing.get().cacheId()
                                : copies ? p.filled.join().cacheId() : p.created.join());
                    }
                    w.createdOn = parentDir.orElse(null);
                    cacheId = imports.createDirectory(parentDir);
                    w.created.complete(cacheId);
                    slots.acquireUninterruptibly();
                    try {
                        if (cancelled[0] != null) {
                            throw cancelled[0];
                        }
                        long t0 = System.nanoTime();
                        ApplyOptions apply = ApplyOptions.defaults().withLinkSource(new ApplyOptions.LinkSource(
                                tars.imageLayerDir(w.image.id()), options.reuse() == MigrateOptions.LayerReuse.LINK));
                        Optional<Digest> knownDiffId = w.known.map(k -> Digest.parse(k.diffId()));
                        LayerImport.Filled f;
                        try (InputStream tar = tars.imageLayer(w.image.id(), w.image.parent())) {
                            f = imports.fill(cacheId, tar, apply, knownDiffId, true);
                        }
                        cacheId = null; // fill owns it now (it removes it on failure)
                        bytes.addAndGet(f.tarSize());
                        if (knownDiffId.isEmpty()) {
                            journal.record(new Checksums.Line(w.image.id(), w.fingerprint, f.diffId().toString(), f.tarSize(),
                                    source(tars, w.image.id())));
                            synchronized (hashed) {
                                hashed[0]++;
                            }
                        }
                        w.filled.complete(f);
                        try {
                            options.progress().accept(layerLine(w.image.id(), source(tars, w.image.id()) + (knownDiffId.isPresent()
                                    ? " (checksum known)" : ""), f.tarSize(), System.nanoTime() - t0, Optional.of(f.diffId())));
                        } catch (RuntimeException stop) {
                            // A progress sink that throws cancels the migration (what is journaled stays journaled).
                            synchronized (cancelled) {
                                if (cancelled[0] == null) {
                                    cancelled[0] = stop;
                                }
                            }
                        }
                    } finally {
                        slots.release();
                    }
                } catch (Throwable e) {
                    w.failed = true;
                    if (cancelled[0] != null && (e == cancelled[0] || e.getCause() == cancelled[0])) {
                        // cancelled: not a failure of this layer
                    } else if (!(e instanceof java.util.concurrent.CompletionException)) {
                        fail(failures, options, "layer", w.image.id(), message(e));
                    } else {
                        fail(failures, options, "layer", w.image.id(), "its parent " + w.image.parent().orElse("?").substring(0, 12)
                                + " was skipped");
                    }
                    if (cacheId != null) {
                        try {
                            imports.removeDirectory(cacheId);
                        } catch (IOException ignored) {
                            // swept at the next open
                        }
                    }
                    w.created.completeExceptionally(e);
                    w.filled.completeExceptionally(e);
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while layers were being migrated", e);
            }
        }
        if (cancelled[0] != null) {
            for (Work w : work.values()) {
                LayerImport.Filled f = w.filled.isCompletedExceptionally() ? null : w.filled.getNow(null);
                if (f != null) {
                    preparedAll.add(imports.assemble(f, Optional.empty(), Optional.empty()));
                }
            }
            throw cancelled[0];
        }
        for (Work w : work.values()) {
            LayerImport.Filled f = w.filled.isCompletedExceptionally() ? null : w.filled.getNow(null);
            if (f != null) {
                preparedAll.add(imports.assemble(f, Optional.empty(), Optional.empty())); // for cleanup; assembled again in stack order
            }
        }
    }

    /** Phase 4: ChainIDs bottom up; one layer per ChainID; children of replaced directories rebased. */
    private Map<Digest, Layer> assemble(Map<String, Work> work, List<MigrationReport.Failure> failures, MigrateOptions options)
            throws IOException {
        Map<Digest, Layer> byChain = new HashMap<>();
        Map<Digest, PreparedLayer> ours = new HashMap<>();
        Set<String> moved = new HashSet<>(); // directories whose parent directory changed: their children follow
        try (Tx tx = store.read()) {
            for (Work w : work.values()) {
                Work parent = w.image.parent().map(work::get).orElse(null);
                if (!w.failed && parent != null && parent.failed) {
                    w.failed = true;
                    fail(failures, options, "layer", w.image.id(), "its parent " + parent.image.id().substring(0, 12) + " was skipped");
                }
                if (w.failed) {
                    LayerImport.Filled f = w.filled.isCompletedExceptionally() ? null : w.filled.getNow(null);
                    if (f != null) {
                        imports.removeDirectory(f.cacheId());
                    }
                    continue;
                }
                Optional<Layer> parentLayer = parent == null ? Optional.empty() : Optional.of(parent.resolved);
                if (w.existing.isPresent()) {
                    w.resolved = w.existing.get();
                } else {
                    LayerImport.Filled f = w.filled.join();
                    PreparedLayer p = imports.assemble(f, parentLayer, Optional.empty());
                    Optional<Layer> have = Optional.ofNullable(byChain.get(p.chainId())).or(() -> {
                        try {
                            return layers.get(tx, p.chainId());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    if (have.isPresent()) {
                        w.resolved = have.get();
                        w.duplicate = true;
                        moved.add(f.cacheId()); // its children must sit on the kept directory instead
                        w.prepared = p; // removed with the others if the transaction fails; after commit otherwise
                    } else {
                        w.prepared = p;
                        w.resolved = p.asLayer();
                        ours.put(p.chainId(), p);
                        // The directory was made on top of the parent's first directory; if that one lost to an equal
                        // layer (or moved), point this one at the parent that stays.
                        if (w.createdOn != null && parent != null && (!w.createdOn.equals(parent.resolved.cacheId()) || moved.contains(w.createdOn))) {
                            imports.rebase(f.cacheId(), Optional.of(parent.resolved.cacheId()));
                            moved.add(f.cacheId());
                        }
                    }
                }
                byChain.putIfAbsent(w.resolved.chainId(), w.resolved);
                List<Digest> diffIds = new ArrayList<>(parent == null ? List.of() : parent.diffIds);
                diffIds.add(w.resolved.diffId());
                w.diffIds = diffIds;
                List<V1Config.History> history = new ArrayList<>(parent == null ? List.of() : parent.history);
                history.add(w.image.history());
                w.history = history;
            }
            tx.commit();
        }
        return byChain;
    }

    /** Phase 5a: the image configs, written as blobs. */
    private void configs(Map<String, Work> work, List<Digest> written, List<MigrationReport.Failure> failures, MigrateOptions options)
            throws IOException {
        for (Work w : work.values()) {
            if (w.failed) {
                continue;
            }
            try {
                byte[] config = V1Config.convert(w.image.json(), w.diffIds, w.history, "graph/" + w.image.id().substring(0, 12) + "/json");
                w.config = ImageJson.read(config, ImageConfig.class, "migrated config of " + w.image.id().substring(0, 12));
                w.imageId = store.content().write(config);
                written.add(w.imageId);
            } catch (BadContentException e) {
                w.failed = true;
                fail(failures, options, "image", w.image.id(), e.getMessage());
            }
        }
        // An image whose parent image failed keeps its layers but has no parent image row.
    }

    /**
     * Phase 5b: container layers from the legacy container's init and writable layers, and the container's volumes
     * ({@link LegacyMounts}) made Strata volumes of the same names ({@link Volumes#adopt}: reflinked or copied, never
     * linked, since containers write to volume files in place and the legacy files must not change). {@code mounts}
     * gets each container's mounts for {@link Volumes#attach}; {@code volumeDirs} the volume directories made.
     */
    private List<Container> containers(LegacyStore legacy, LegacyTars tars, Map<String, Work> work, List<WritableLayer> layersMade,
            List<Path> volumeDirs, Map<String, List<MountSpec>> mounts, List<MigrationReport.Failure> failures, MigrateOptions options)
            throws IOException {
        List<Container> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> volumesSeen = new HashSet<>(); // volumes of containers migrated in this run
        for (LegacyStore.Container c : legacy.containers) {
            String id = c.id();
            List<Path> adopted = new ArrayList<>();
            try (Tx tx = store.read()) {
                if (store.containers().get(tx, id).isPresent()) {
                    tx.commit();
                    continue; // migrated before
                }
                JsonNode config = ImageJson.MAPPER.readTree(c.config());
                String v1Image = config.path("Image").asString("");
                Work image = work.get(v1Image);
                if (image == null || image.failed) {
                    throw new BadContentException("its image " + (v1Image.length() >= 12 ? v1Image.substring(0, 12) : "\"" + v1Image + "\"")
                            + (image == null ? " is not in graph/" : " was skipped"));
                }
                String name = config.path("Name").asString("");
                name = name.startsWith("/") ? name.substring(1) : name;
                if (name.isEmpty()) {
                    name = "migrated_" + id.substring(0, 12);
                }
                if (store.containers().byName(tx, name).isPresent() || !names.add(name)) {
                    throw new BadContentException("its name \"" + name + "\" is taken in this store");
                }
                tx.commit();
                List<LegacyMounts.Mount> legacyMounts = LegacyMounts.of(legacy.root, config);
                for (LegacyMounts.Mount m : legacyMounts) {
                    if (m.isVolume() && !LegacyMounts.hasData(m)) {
                        Path where = m.source().startsWith(legacy.root) ? legacy.root.relativize(m.source()) : m.source();
                        throw new BadContentException("its volume " + m.volume() + " (at " + m.target() + ") has no data: " + where
                                + " is missing; restore it and migrate again");
                    }
                }
                String definition = "{\"Config\":" + config.path("Config").toString() + ",\"HostConfig\":"
                        + (c.hostConfig().isPresent() ? new String(c.hostConfig().get(), StandardCharsets.UTF_8) : "{}") + "}";
                ContainerDefinition parsed = ContainerDefinition.fromJson(definition);
                List<MountSpec> specs = legacyMounts.stream().map(LegacyMounts.Mount::spec).toList();
                HostSpec host = parsed.host() == null ? HostSpec.defaults() : parsed.host();
                parsed = new ContainerDefinition(parsed.config(), host.withMounts(specs));
                long t0 = System.nanoTime();
                Layer top = image.resolved;
                boolean full = legacy.driver.fullTrees();
                String legacyInit = LegacyTars.initLayerOf(id);
                ApplyOptions copy = ApplyOptions.defaults();
                LayerContent init = Files.isDirectory(tars.containerLayerDir(legacyInit))
                        ? new LayerContent.Tar(() -> tars.containerLayer(legacyInit, full ? Optional.of(tars.imageLayerDir(v1Image)) : Optional.empty()),
                                copy.withLinkSource(new ApplyOptions.LinkSource(tars.containerLayerDir(legacyInit), false)))
                        : LayerContent.written(InitLayer::populate);
                LayerContent own = new LayerContent.Tar(
                        () -> tars.containerLayer(id, full ? Optional.of(tars.containerLayerDir(legacyInit)) : Optional.empty()),
                        copy.withLinkSource(new ApplyOptions.LinkSource(tars.containerLayerDir(id), false)));
                WritableLayer rw = imports.createWritable(id, Optional.of(top), init, own);
                layersMade.add(rw);
                for (LegacyMounts.Mount m : legacyMounts) {
                    if (m.isVolume() && !volumesSeen.contains(m.volume())) {
                        Optional<Path> made = volumes.adopt(m.volume(), m.source().toRealPath());
                        made.ifPresent(adopted::add);
                        if (made.isEmpty()) {
                            options.progress().accept("volume " + m.volume() + " is in the store already: used as it is, "
                                    + legacy.root.relativize(m.source()) + " not copied");
                        }
                        volumesSeen.add(m.volume());
                    }
                }
                Instant created = ImageConfig.parseTime(config.path("Created").asString("")).orElse(Instant.EPOCH);
                String imageName = config.path("Config").path("Image").asString("");
                out.add(new Container(id, name, image.imageId, imageName.isEmpty() ? image.imageId.shortHex() : imageName,
                        Optional.of(top.chainId()), created, ImageJson.MAPPER.writeValueAsString(parsed)));
                mounts.put(id, specs);
                volumeDirs.addAll(adopted);
                options.progress().accept(String.format(Locale.ROOT, "container %s %-24s %6.2f s%s", id.substring(0, 12), name,
                        (System.nanoTime() - t0) / 1e9, specs.isEmpty() ? "" : ", " + specs.size() + " mounts"));
            } catch (BadContentException | InvalidArgumentException | IOException | JacksonException | IllegalArgumentException e) {
                fail(failures, options, "container", id, message(e));
                for (Path dir : adopted) {
                    Trees.deleteRecursively(dir);
                    volumesSeen.remove(dir.getFileName().toString());
                }
                // createWritable left nothing behind when it failed; a later step's failure takes the layer back
                if (layersMade.size() > out.size()) {
                    try {
                        layersMade.removeLast().remove();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Phase 6: one transaction for every layer, image, tag and container, with the rows of the containers' volumes.
     * Returns images, tags, containers and volumes added.
     */
    private int[] commit(LegacyStore legacy, Map<String, Work> work, Map<Digest, Layer> byChain, List<Container> containers,
            Map<String, List<MountSpec>> mounts, List<MigrationReport.Failure> failures, MigrateOptions options, boolean[] committed)
            throws IOException, StrataException {
        int images = 0;
        int tags = 0;
        Map<String, Digest> mapped = new HashMap<>();
        Set<String> newVolumes = new HashSet<>();
        try (Tx tx = store.write()) {
            tx.afterCommit(() -> committed[0] = true);
            Map<Digest, Layer> rows = new HashMap<>();
            Set<String> committedDirs = new HashSet<>();
            for (Work w : work.values()) {
                if (w.failed) {
                    continue;
                }
                Layer row = rows.get(w.resolved.chainId());
                if (row == null) {
                    row = w.prepared != null && !w.duplicate ? layers.commit(tx, w.prepared) : layers.require(tx, w.resolved.chainId());
                    rows.put(row.chainId(), row);
                }
                if (w.prepared != null && w.duplicate && committedDirs.add(w.prepared.cacheId())) {
                    String dup = w.prepared.cacheId();
                    tx.afterCommit(() -> imports.removeDirectory(dup));
                }
                long size = 0;
                for (Digest chain : ChainId.chain(w.diffIds)) {
                    Layer l = rows.get(chain);
                    size += l != null ? l.size() : byChain.get(chain).size();
                }
                Optional<Digest> parentImage = w.image.parent().map(work::get).filter(p -> !p.failed).map(p -> p.imageId);
                if (store.images().get(tx, w.imageId).isEmpty()) {
                    images++;
                }
                store.images().add(tx, w.imageId, w.config, Optional.of(row.chainId()), parentImage, size);
                mapped.put(w.image.id(), w.imageId);
            }
            for (Map.Entry<String, Map<String, String>> repo : legacy.repositories.entrySet()) {
                for (Map.Entry<String, String> tag : repo.getValue().entrySet()) {
                    String what = repo.getKey() + (Digest.isValid(tag.getKey()) ? "@" : ":") + tag.getKey();
                    Digest id = mapped.get(tag.getValue());
                    if (id == null) {
                        fail(failures, options, "tag", what, "its image " + tag.getValue().substring(0, Math.min(12, tag.getValue().length()))
                                + " was not migrated");
                        continue;
                    }
                    try {
                        Reference name = Reference.parse(repo.getKey());
                        if (Digest.isValid(tag.getKey())) {
                            if (store.images().repoDigests(tx, id).stream().noneMatch(r -> r.toString().endsWith("@" + tag.getKey())
                                    && r.name().equals(name.name()))) {
                                tags++;
                            }
                            store.images().addRepoDigest(tx, name.name(), Digest.parse(tag.getKey()), id);
                        } else {
                            Reference ref = Reference.parse(repo.getKey() + ":" + tag.getKey());
                            if (!store.images().tags(tx, id).contains(ref.withDefaultTag())) {
                                tags++;
                            }
                            store.images().tag(tx, ref, id);
                        }
                    } catch (InvalidReferenceException | IllegalArgumentException e) {
                        fail(failures, options, "tag", what, "not a valid reference: " + e.getMessage());
                    }
                }
            }
            for (Container c : containers) {
                store.containers().insert(tx, c);
                List<MountSpec> own = mounts.getOrDefault(c.id(), List.of());
                for (MountSpec m : own) {
                    if (m.type().equals(MountSpec.VOLUME) && store.volumes().get(tx, m.source()).isEmpty()) {
                        newVolumes.add(m.source());
                    }
                }
                volumes.attach(tx, c.id(), ContainerMounts.volumeNames(own));
            }
            tx.commit();
        }
        return new int[] {images, tags, containers.size(), newVolumes.size()};
    }

    // ---- shared ----

    /** Fingerprints of every readable layer, {@code threads} at a time; for full-tree drivers chained to the parent's. */
    private static Map<String, String> fingerprints(LegacyStore legacy, int threads, List<MigrationReport.Failure> failures) {
        Map<String, String> own = new ConcurrentHashMap<>();
        parallel(legacy.images, threads, image -> {
            try {
                own.put(image.id(), Fingerprint.of(legacy.root.resolve("graph").resolve(image.id()),
                        legacy.driver.imageLayerDir(legacy.root, image.id()), Optional.empty()));
            } catch (IOException e) {
                failures.add(new MigrationReport.Failure("layer", image.id(), "cannot be read: " + message(e)));
            }
        });
        Map<String, String> out = new HashMap<>();
        for (LegacyStore.Image image : legacy.images) {
            String fp = own.get(image.id());
            if (fp == null || (image.parent().isPresent() && !out.containsKey(image.parent().get()))) {
                continue;
            }
            out.put(image.id(), legacy.driver.fullTrees() && image.parent().isPresent()
                    ? dev.strata.digest.Digester.of((fp + " " + out.get(image.parent().get())).getBytes(StandardCharsets.UTF_8)).hex()
                    : fp);
        }
        return out;
    }

    private static String fingerprint(LegacyStore legacy, LegacyStore.Image image, Map<String, String> known) throws IOException {
        String fp = Fingerprint.of(legacy.root.resolve("graph").resolve(image.id()), legacy.driver.imageLayerDir(legacy.root, image.id()),
                Optional.empty());
        return legacy.driver.fullTrees() && image.parent().isPresent()
                ? dev.strata.digest.Digester.of((fp + " " + known.get(image.parent().get())).getBytes(StandardCharsets.UTF_8)).hex()
                : fp;
    }

    @FunctionalInterface
    private interface Task<T> {
        void run(T item) throws IOException;
    }

    private static <T> void parallel(List<T> items, int threads, Task<T> task) {
        Semaphore slots = new Semaphore(threads);
        List<Thread> started = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (T item : items) {
            started.add(Thread.ofVirtual().start(() -> {
                slots.acquireUninterruptibly();
                try {
                    task.run(item);
                } catch (Throwable t) {
                    errors.add(t);
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (!errors.isEmpty()) {
            Throwable t = errors.getFirst();
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t.getMessage(), t);
        }
    }

    private static String source(LegacyTars tars, String id) {
        return tars.source(id) == LegacyTars.Source.TAR_DATA ? "tar-data" : "changes";
    }

    private static String layerLine(String id, String source, long bytes, long nanos, Optional<Digest> diffId) {
        double s = nanos / 1e9;
        return String.format(Locale.ROOT, "layer %s %-26s %9.1f MB %6.2f s %7.0f MB/s  %s", id.substring(0, 12), source, bytes / 1e6, s,
                s > 0 ? bytes / 1e6 / s : 0, diffId.map(Digest::toString).orElse(""));
    }

    private static void fail(List<MigrationReport.Failure> failures, MigrateOptions options, String kind, String id, String reason) {
        MigrationReport.Failure f = new MigrationReport.Failure(kind, id, reason);
        failures.add(f);
        options.progress().accept("skipped " + f);
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
