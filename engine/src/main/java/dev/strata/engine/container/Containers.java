package dev.strata.engine.container;

import dev.strata.archive.Change;
import dev.strata.container.Container;
import dev.strata.container.ContainersTable;
import dev.strata.container.RunState;
import dev.strata.driver.Trees;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.NotFoundException;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.engine.image.ConfigChanges;
import dev.strata.engine.image.Images;
import dev.strata.digest.Digest;
import dev.strata.image.ContainerConfig;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageStore;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerStore;
import dev.strata.layer.Mount;
import dev.strata.layer.WritableLayer;
import dev.strata.error.Undo;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Containers: create, run, rm, prune, mount, umount, diff, commit and cp work on a container's row and writable
 * layer; the services this one returns do the rest, each for one concern: {@link #processes()} (start, stop, kill,
 * ...), {@link #io()} (attach, logs, exec), {@link #views()} (ps, inspect, top) and {@link #recovery()} (keeping
 * stored state true to the processes). None of them calls back into this class.
 *
 * <p>Safe to call from many threads at once: a container's changes happen under its lock (a file lock, so across
 * processes too), new containers get their names in the transaction that inserts them, and mounts are counted
 * handles shared by the threads that hold them.
 */
public final class Containers {
    /** Docker's rule for container names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final ContainersTable containers;
    private final ImageStore images;
    private final LayerStore layers;
    private final ContainerRecords records;
    private final ContainerRecovery recovery;
    private final ContainerProcesses processes;
    private final ContainerIo io;
    private final ContainerViews views;
    private final Volumes volumes;
    private final ContainerCopy copy;
    private final ContainerMounts mounts;

    public Containers(Store store, Volumes volumes, RuntimeOptions runtime) {
        this.store = store;
        this.containers = store.containers();
        this.images = store.images();
        this.layers = store.layers();
        this.records = new ContainerRecords(store, volumes, new OciRuntime(runtime));
        this.recovery = new ContainerRecovery(records);
        this.processes = new ContainerProcesses(records, recovery);
        this.io = new ContainerIo(records, recovery, processes);
        this.views = new ContainerViews(records, recovery);
        this.volumes = volumes;
        this.mounts = new ContainerMounts(volumes);
        this.copy = new ContainerCopy(store, this);
    }

    /** {@code start}, {@code stop}, {@code kill}, {@code restart}, {@code wait}, {@code pause}, {@code unpause}. */
    public ContainerProcesses processes() {
        return processes;
    }

    /** {@code attach}, {@code start -a}, {@code logs}, {@code exec}, terminal resizes. */
    public ContainerIo io() {
        return io;
    }

    /** {@code ps}, {@code inspect}, {@code top}, a container's state. */
    public ContainerViews views() {
        return views;
    }

    /** {@code container cleanup} (conmon's exit command): bringing a container's stored state up to date. */
    public ContainerRecovery recovery() {
        return recovery;
    }

    /** {@code cp}: files and directories between containers and the host, or as tar streams. */
    public ContainerCopy copy() {
        return copy;
    }

    /**
     * Makes a container: an {@code -init} layer and a writable layer on top of the image. On overlay2 this costs
     * the same for any image size: two small directories and a few files, no copy.
     */
    public ContainerSummary create(CreateOptions options) throws IOException, StrataException {
        if (options.name().isPresent() && !NAME.matcher(options.name().get()).matches()) {
            throw new InvalidArgumentException("Invalid container name (" + options.name().get() + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        Image image;
        ImageConfig imageConfig;
        try (Tx tx = store.read()) {
            image = images.resolve(tx, options.image());
            imageConfig = images.config(image.id());
            tx.commit();
        }
        ContainerSpec spec = spec(options, imageConfig.configOrEmpty());
        if (spec.commandLine().isEmpty()) {
            throw new InvalidArgumentException("No command specified: the image " + options.image()
                    + " has no CMD or ENTRYPOINT; give a command after the image name");
        }
        Map<String, Object> imageVolumes = imageConfig.configOrEmpty().volumes();
        HostSpec host = options.host().withMounts(ContainerMounts.assign(options.host().mounts(),
                imageVolumes == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(imageVolumes.keySet())));
        String id = newId();
        try (Store.Lease lease = store.writeLease()) {
            Optional<Layer> top;
            try (Tx tx = store.read()) {
                top = image.topLayer().isPresent() ? layers.get(tx, image.topLayer().get()) : Optional.empty();
                tx.commit();
            }
            Container container;
            Path bundle = records.bundle(id);
            List<Path> volumeDirs = new ArrayList<>();
            // Its directory (bundle, log, exit status) exists before the row and goes after it.
            Files.createDirectories(bundle);
            try {
                WritableLayer rw = layers.createWritable(id, top, InitLayer::populate);
                if (host.mounts().stream().anyMatch(m -> m.type().equals(MountSpec.VOLUME))) {
                    try (Mount view = rw.mount()) {
                        volumeDirs.addAll(mounts.prepare(host.mounts(), view.path()));
                    }
                }
                try (Tx tx = store.write()) {
                    String name = chooseName(tx, options.name(), id);
                    ContainerSpec named = spec.withHostname(spec.hostname() == null ? id.substring(0, 12) : spec.hostname());
                    container = new Container(id, name, image.id(), options.image(), image.topLayer(), Instant.now(),
                            new ContainerDefinition(named, host).toJson());
                    containers.insert(tx, container);
                    mounts.attach(tx, id, host.mounts());
                    tx.commit();
                }
            } catch (IOException | StrataException | RuntimeException e) {
                Undo.after(e, layers.writable(id)::remove, () -> Trees.deleteRecursively(bundle),
                        () -> {
                            for (Path dir : volumeDirs) {
                                Trees.deleteRecursively(dir);
                            }
                        });
                throw e;
            }
            return ContainerViews.summary(container, spec, host, RunState.CREATED, OptionalLong.empty(), OptionalLong.empty());
        }
    }

    private String chooseName(Tx tx, Optional<String> requested, String id) throws IOException, ConflictException {
        if (requested.isPresent()) {
            Optional<Container> taken = containers.byName(tx, requested.get());
            if (taken.isPresent()) {
                throw new ConflictException("Conflict. The container name \"/" + requested.get() + "\" is already in use by container \""
                        + taken.get().id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
            }
            return requested.get();
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            String name = Names.random(attempt);
            if (containers.byName(tx, name).isEmpty()) {
                return name;
            }
        }
        return "strata_" + id.substring(0, 12);
    }

    /** Merges the image's defaults with the options, as Docker does for {@code create}. */
    static ContainerSpec spec(CreateOptions o, ContainerConfig image) {
        List<String> entrypoint = o.entrypoint().orElse(image.entrypoint());
        List<String> cmd = !o.command().isEmpty() ? o.command()
                : o.entrypoint().isPresent() ? null : image.cmd(); // a new entrypoint drops the image's CMD
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : image.env() == null ? List.<String>of() : image.env()) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        for (String e : o.env()) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        Map<String, String> labels = new LinkedHashMap<>(image.labels() == null ? Map.of() : image.labels());
        labels.putAll(o.labels());
        return new ContainerSpec(o.hostname().orElse(null), "", o.user().orElse(image.user() == null ? "" : image.user()),
                false, !o.openStdin(), !o.openStdin(), image.exposedPorts(), o.tty(), o.openStdin(), o.openStdin(),
                List.copyOf(env.values()), cmd, o.image(), image.volumes(),
                o.workingDir().orElse(image.workingDir() == null ? "" : image.workingDir()),
                entrypoint == null || entrypoint.isEmpty() ? null : entrypoint, image.onBuild(), labels, image.stopSignal());
    }


    /**
     * Removes a container and everything written to it; {@code force} kills it first if it runs, and
     * {@code removeVolumes} ({@code rm -v}) removes its anonymous volumes too.
     */
    public void remove(String nameOrId, boolean force, boolean removeVolumes) throws IOException, StrataException {
        recovery.locked(nameOrId, c -> {
            Optional<RunState> s = recovery.reconcile(c);
            if (s.isEmpty()) {
                return null; // it was an exited --rm container: gone now
            }
            if (s.get().alive()) {
                if (!force) {
                    throw new ConflictException("You cannot remove a " + s.get().status().label() + " container " + c.id()
                            + ". Stop the container before attempting removal or force remove");
                }
                if (processes.end(c, s.get(), Signals.SIGKILL, Duration.ZERO).isEmpty()) {
                    return null;
                }
            }
            records.delete(c, removeVolumes);
            return null;
        });
    
    }

    /** Removes a container that does not run (keeping its volumes). */
    public void remove(String nameOrId) throws IOException, StrataException {
        remove(nameOrId, false, false);
    }


    /** {@code container prune}: removes every container that is not running; returns their IDs and the bytes freed. */
    public PruneResult prune() throws IOException, StrataException {
        List<String> removed = new ArrayList<>();
        long freed = 0;
        for (ContainerSummary c : views.list(true, true)) {
            if (c.state().running()) {
                continue;
            }
            remove(c.id());
            removed.add(c.id());
            freed += c.size().orElse(0);
        }
        return new PruneResult(removed, freed);
    }

    /** What a container prune removed. */
    public record PruneResult(List<String> removed, long reclaimedBytes) {
    }

    /** Mounts the container's file system and returns where (its {@code merged} directory on overlay2). */
    public Path mount(String nameOrId) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease()) {
            try (Mount m = layers.writable(find(nameOrId).id()).mount()) {
                m.keep(); // until umount
                return m.path();
            }
        }
    }

    public void unmount(String nameOrId) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease()) {
            layers.writable(find(nameOrId).id()).unmount();
        }
    }

    /** What the container changed in its writable layer, as {@code A}/{@code C}/{@code D} lines. */
    public List<Change> diff(String nameOrId) throws IOException, StrataException {
        Container c = find(nameOrId);
        return layers.writable(c.id()).changes();
    }

    /**
     * Makes an image of the container: its image plus one new layer holding exactly what the container's writable
     * layer changed, so the cost grows with the change, not with the image. The new image's parent is the
     * container's image, so {@code history} shows that image's ID on the rows below.
     */
    public ImageSummaryRef commit(String nameOrId, CommitOptions options) throws IOException, StrataException {
        Optional<dev.strata.reference.Reference> tag = Images.parseTag(options.reference());
        Container c = find(nameOrId);
        ContainerSpec spec = spec(c);
        ContainerConfig config = ConfigChanges.apply(spec.toImageConfig(), options.changes());
        try (Store.Lease lease = store.writeLease()) {
            String now = Instant.now().toString();
            Images.Committed made = new Images(store).commitOn(Optional.of(c.imageId()),
                    Optional.of(layers.writable(c.id())::diff), config,
                    new ImageConfig.History(now, String.join(" ", spec.commandLine()), options.author().orElse(null),
                            options.message().orElse(null), false), options.author(), tag.map(List::of).orElse(List.of()));
            return new ImageSummaryRef(made.image().id(), made.layerSize());
        }
    }

    /** The image a commit made, and the size of the layer it added. */
    public record ImageSummaryRef(Digest id, long layerSize) {
    }

    /** Finds a container the way Docker does: full ID, name (with or without a leading slash), unique ID prefix. */
    public Container find(String nameOrId) throws IOException, StrataException {
        return records.find(nameOrId);
    }

    public ContainerSpec spec(Container c) {
        return records.spec(c);
    }

    public ContainerDefinition definition(Container c) {
        return records.definition(c);
    }

    
    


    /**
     * {@code run}: creates a container and starts it, attached to {@code io} unless {@code detached}. A container
     * that could not be started (a missing command, a missing runtime) is removed again, so a failed run leaves
     * nothing behind; the error says why, with {@code docker run}'s exit status (126, 127 or 125).
     */
    public RunResult run(CreateOptions options, Optional<AttachStreams> io) throws IOException, StrataException {
        return run(options, io, id -> { });
    }

    /** {@link #run(CreateOptions, Optional)}, telling {@code created} the new container's ID before it starts. */
    public RunResult run(CreateOptions options, Optional<AttachStreams> io, Consumer<String> created) throws IOException,
            StrataException {
        ContainerSummary made = create(options);
        created.accept(made.id());
        return start(made, io);
    }

    private RunResult start(ContainerSummary created, Optional<AttachStreams> io) throws IOException, StrataException {
        Optional<AttachOutcome> outcome;
        try {
            if (io.isPresent()) {
                outcome = Optional.of(this.io.startAttached(created.id(), io.get()));
            } else {
                processes.start(created.id());
                outcome = Optional.empty();
            }
        } catch (StrataException | IOException | RuntimeException e) {
            try {
                ContainerState s = views.state(created.id());
                if (!s.running() && s.startedAt().isEmpty()) { // it never ran: nothing of it is worth keeping
                    remove(created.id(), true, true);
                }
            } catch (StrataException | IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new RunResult(created.id(), created.name(), outcome);
    }

    /** What {@code run} made, and how the attached session ended (empty when detached from the start). */
    public record RunResult(String id, String name, Optional<AttachOutcome> outcome) {
    }




    

    
    




    


    static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
