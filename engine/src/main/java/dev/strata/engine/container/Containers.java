package dev.strata.engine.container;

import dev.strata.archive.Change;
import dev.strata.container.Container;
import dev.strata.container.ContainersTable;
import dev.strata.container.RunState;
import dev.strata.driver.Trees;
import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.NotFoundException;
import dev.strata.driver.StorageDriver;
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
 * The container commands: create, ps, rm, mount, umount, diff and commit work on layers; start, stop, kill,
 * restart, wait, pause, logs, attach, exec, top and inspect run them through the OCI runtime (see {@link Lifecycle}).
 */
public final class Containers {
    /** Docker's rule for container names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final ContainersTable containers;
    private final ImageStore images;
    private final LayerStore layers;
    private final StorageDriver driver;
    private final Lifecycle lifecycle;
    private final Volumes volumes;
    private final ContainerCopy copy;
    private final ContainerMounts mounts;

    public Containers(Store store, Volumes volumes, RuntimeOptions runtime) {
        this.store = store;
        this.containers = store.containers();
        this.images = store.images();
        this.layers = store.layers();
        this.driver = store.driver();
        this.lifecycle = new Lifecycle(store, volumes, runtime, this);
        this.volumes = volumes;
        this.mounts = new ContainerMounts(volumes);
        this.copy = new ContainerCopy(store, this);
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
            Container container = null;
            boolean committed = false;
            Path bundle = lifecycle.bundle(id);
            List<Path> volumeDirs = List.of();
            try {
                // Its directory (bundle, log, exit status) exists before the row and goes after it.
                Files.createDirectories(bundle);
                driver.create(id + "-init", top.map(Layer::cacheId));
                Path initView = driver.mount(id + "-init");
                try {
                    InitLayer.populate(initView);
                } finally {
                    driver.unmount(id + "-init");
                }
                driver.create(id, Optional.of(id + "-init"));
                if (host.mounts().stream().anyMatch(m -> m.type().equals(MountSpec.VOLUME))) {
                    Path view = driver.mount(id);
                    try {
                        volumeDirs = mounts.prepare(host.mounts(), view);
                    } finally {
                        driver.unmount(id);
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
                    committed = true;
                }
            } finally {
                if (!committed) {
                    driver.remove(id);
                    driver.remove(id + "-init");
                    Trees.deleteRecursively(bundle);
                    for (Path dir : volumeDirs) {
                        Trees.deleteRecursively(dir);
                    }
                }
            }
            return summary(container, spec, host, RunState.CREATED, OptionalLong.empty(), OptionalLong.empty());
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
     * {@code ps}: running and paused containers, or all of them. A container whose state is stale (it exited, or a
     * start was interrupted) is reconciled first, so an exited {@code --rm} container is not listed but removed.
     */
    public List<ContainerSummary> list(boolean all, boolean sizes) throws IOException, StrataException {
        List<Container> rows;
        Map<String, RunState> states;
        try (Tx tx = store.read()) {
            rows = containers.list(tx);
            states = containers.runStates(tx);
            tx.commit();
        }
        List<ContainerSummary> out = new ArrayList<>();
        for (Container c : rows) {
            ContainerDefinition def = definition(c);
            Optional<RunState> state = lifecycle.current(c, states.getOrDefault(c.id(), RunState.CREATED), def.host().autoRemove());
            if (state.isEmpty() || (!all && !state.get().alive())) {
                continue;
            }
            try (Tx tx = store.read()) {
                out.add(summary(tx, c, def, state.get(), sizes));
                tx.commit();
            }
        }
        return out;
    }

    /**
     * Removes a container and everything written to it; {@code force} kills it first if it runs, and
     * {@code removeVolumes} ({@code rm -v}) removes its anonymous volumes too.
     */
    public void remove(String nameOrId, boolean force, boolean removeVolumes) throws IOException, StrataException {
        lifecycle.remove(nameOrId, force, removeVolumes);
    }

    /** Removes a container that does not run (keeping its volumes). */
    public void remove(String nameOrId) throws IOException, StrataException {
        remove(nameOrId, false, false);
    }

    /**
     * Deletes the container's rows, then its layers and, through {@code afterRows}, its bundle: the container's
     * lock is held and nothing of it runs.
     */
    void removeRows(Container c, boolean removeVolumes, Tx.Action afterRows) throws IOException, StrataException {
        try (Tx tx = store.write()) {
            volumes.detach(tx, c.id(), removeVolumes);
            containers.delete(tx, c.id());
            if (c.parentLayer().isPresent()) {
                layers.removeUnused(tx, c.parentLayer().get()); // the image may be gone already (rmi -f)
            }
            tx.afterCommit(() -> {
                driver.remove(c.layerId());
                driver.remove(c.initLayerId());
                afterRows.run();
            });
            tx.commit();
        }
    }

    /** {@code container prune}: removes every container that is not running; returns their IDs and the bytes freed. */
    public PruneResult prune() throws IOException, StrataException {
        List<String> removed = new ArrayList<>();
        long freed = 0;
        for (ContainerSummary c : list(true, true)) {
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
            return driver.mount(find(nameOrId).layerId());
        }
    }

    public void unmount(String nameOrId) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease()) {
            driver.unmount(find(nameOrId).layerId());
        }
    }

    /** What the container changed in its writable layer, as {@code A}/{@code C}/{@code D} lines. */
    public List<Change> diff(String nameOrId) throws IOException, StrataException {
        Container c = find(nameOrId);
        return driver.changes(c.layerId(), Optional.of(c.initLayerId()));
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
                    Optional.of(out -> driver.diff(c.layerId(), Optional.of(c.initLayerId()), out)), config,
                    new ImageConfig.History(now, String.join(" ", spec.commandLine()), options.author().orElse(null),
                            options.message().orElse(null), false), options.author(), tag.map(List::of).orElse(List.of()));
            return new ImageSummaryRef(made.image().id(), made.layerSize());
        }
    }

    /** The image a commit made, and the size of the layer it added. */
    public record ImageSummaryRef(Digest id, long layerSize) {
    }

    public Container find(String nameOrId) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            Container c = containers.resolve(tx, nameOrId);
            tx.commit();
            return c;
        }
    }

    public ContainerSpec spec(Container c) {
        return definition(c).config();
    }

    public ContainerDefinition definition(Container c) {
        return ContainerDefinition.fromJson(c.config());
    }

    private ContainerSummary summary(Tx tx, Container c, ContainerDefinition def, RunState state, boolean sizes) throws IOException {
        OptionalLong size = OptionalLong.empty();
        OptionalLong virtual = OptionalLong.empty();
        if (sizes) {
            long rw = driver.diffSize(c.layerId(), Optional.of(c.initLayerId()));
            long imageSize = images.get(tx, c.imageId()).map(Image::size).orElse(0L);
            size = OptionalLong.of(rw);
            virtual = OptionalLong.of(rw + imageSize);
        }
        return summary(c, def.config(), def.host(), state, size, virtual);
    }

    private static ContainerSummary summary(Container c, ContainerSpec spec, HostSpec host, RunState state, OptionalLong size,
            OptionalLong virtual) {
        return new ContainerSummary(c.id(), c.name(), c.imageName(), c.imageId(), spec.commandLine(), c.created(),
                ContainerState.of(state), size, virtual, spec.labels() == null ? Map.of() : spec.labels(), host.mounts(),
                host.networkMode());
    }

    // ---- running containers (Lifecycle does the work) ----------------------------------------------------------

    /** Starts a created or exited container and returns once it runs; a running one is left alone. */
    public void start(String nameOrId) throws IOException, StrataException {
        lifecycle.start(nameOrId, Optional.empty());
    }

    /**
     * Starts the container with its stdio attached to {@code io} (attaching to it if it runs already) and streams
     * until it exits or the user detaches: {@code run} without {@code -d}, {@code start -a}.
     */
    public AttachOutcome startAttached(String nameOrId, AttachStreams io) throws IOException, StrataException {
        return lifecycle.start(nameOrId, Optional.of(io)).orElseThrow();
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
            outcome = lifecycle.start(created.id(), io);
        } catch (StrataException | IOException | RuntimeException e) {
            try {
                ContainerState s = state(created.id());
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

    /** Attaches to a running container's stdio. */
    public AttachOutcome attach(String nameOrId, AttachStreams io) throws IOException, StrataException {
        return lifecycle.attach(nameOrId, io);
    }

    /** Sends the stop signal (the image's STOPSIGNAL, else SIGTERM), then SIGKILL after {@code timeout} (10 s). */
    public void stop(String nameOrId, Optional<Duration> timeout) throws IOException, StrataException {
        lifecycle.stop(nameOrId, timeout);
    }

    /** Sends a signal ({@code KILL}, {@code SIGHUP}, {@code 15}, ...); with SIGKILL waits for the container to end. */
    public void kill(String nameOrId, String signal) throws IOException, StrataException {
        lifecycle.kill(nameOrId, signal);
    }

    public void restart(String nameOrId, Optional<Duration> timeout) throws IOException, StrataException {
        lifecycle.stop(nameOrId, timeout);
        lifecycle.start(nameOrId, Optional.empty());
    }

    /** Waits until the container stops; returns its exit code (at once for one that does not run). */
    public int waitFor(String nameOrId) throws IOException, StrataException {
        return lifecycle.waitFor(nameOrId);
    }

    public void pause(String nameOrId) throws IOException, StrataException {
        lifecycle.pause(nameOrId, true);
    }

    public void unpause(String nameOrId) throws IOException, StrataException {
        lifecycle.pause(nameOrId, false);
    }

    /** Writes the container's output (its stdout to {@code out}, stderr to {@code err}), following it if asked. */
    public void logs(String nameOrId, LogOptions options, OutputStream out, OutputStream err) throws IOException, StrataException {
        lifecycle.logs(nameOrId, options, out, err);
    }

    /** Runs a command in a running container; returns its exit code (0 when detached). */
    public int exec(String nameOrId, ExecOptions options, ExecIo io) throws IOException, StrataException {
        return lifecycle.exec(nameOrId, options, io);
    }

    /** The container's processes as the host's {@code ps} shows them ({@code -ef} unless {@code psArgs} say otherwise). */
    public TopResult top(String nameOrId, List<String> psArgs) throws IOException, StrataException {
        return lifecycle.top(nameOrId, psArgs);
    }

    /** Resizes the terminal of a container that has one. */
    public void resize(String nameOrId, int rows, int columns) throws IOException, StrataException {
        lifecycle.resize(nameOrId, rows, columns);
    }

    public ContainerDetails inspect(String nameOrId) throws IOException, StrataException {
        return lifecycle.inspect(nameOrId);
    }

    /** The container's state, reconciled with its processes. */
    public ContainerState state(String nameOrId) throws IOException, StrataException {
        Container c = find(nameOrId);
        RunState s = lifecycle.current(c, lifecycle.storedState(c.id()), definition(c).host().autoRemove())
                .orElseThrow(() -> new NotFoundException("No such container: " + nameOrId));
        return ContainerState.of(s);
    }

    /**
     * What conmon runs when a container exits ({@code strata container cleanup}): records the exit, unmounts,
     * removes a {@code --rm} container. Safe to run any time, any number of times.
     */
    public void cleanup(String nameOrId) throws IOException, StrataException {
        lifecycle.cleanup(nameOrId);
    }

    static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
