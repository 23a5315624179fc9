package dev.strata.engine.build;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.RootScope;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.engine.build.BuildPlan.PlannedStage;
import dev.strata.engine.container.AttachOutcome;
import dev.strata.engine.container.AttachStreams;
import dev.strata.engine.container.Containers;
import dev.strata.engine.container.CreateOptions;
import dev.strata.engine.container.HostSpec;
import dev.strata.engine.image.Images;
import dev.strata.engine.registry.Progress;
import dev.strata.engine.registry.PullOptions;
import dev.strata.engine.registry.RegistryService;
import dev.strata.engine.runtime.Users;
import dev.strata.container.Container;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.image.ContainerConfig;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.layer.Layer;
import dev.strata.layer.Mount;
import dev.strata.layer.ScratchLayer;
import dev.strata.layer.WritableLayer;
import dev.strata.layer.ProducedStream;
import dev.strata.metadata.Tx;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code strata build}: runs a {@link BuildPlan} step by step the way Docker's classic builder does. Every step
 * makes an image whose parent is the previous step's image (untagged, so {@code images} hides it as an
 * intermediate image): RUN in a build container committed as one layer, COPY/ADD and WORKDIR by writing into a
 * scratch layer on the parent, the other instructions as a new config with an {@code empty_layer} history row.
 * Each step is first looked up in the {@link BuildCache}. The whole build holds a write lease, so what an
 * interrupted build leaves on disk (scratch layers, prepared layers) is swept at the next open.
 *
 * <p>Safe to call from many threads at once: each build has its own state, its own scratch layers and build
 * containers. Equal steps of builds that run at once may both run (their images differ only in creation time);
 * the cache keeps the one recorded last, which later equal builds reuse.
 */
public final class Builder {
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private final Store store;
    private final Images images;
    private final Containers containers;
    private final RegistryService registry;
    private final BuildCache cache;

    public Builder(Store store, Images images, Containers containers, RegistryService registry) {
        this.store = store;
        this.images = images;
        this.containers = containers;
        this.registry = registry;
        this.cache = new BuildCache(store);
    }

    /**
     * Builds the context's Dockerfile, writing Docker's classic progress lines and the RUN steps' output to
     * {@code out}, and tags the result.
     *
     * @throws DockerfileException  the Dockerfile is wrong, or a base image or COPY source is missing (file and line)
     * @throws BuildFailedException a RUN command exited with a non-zero code
     */
    public BuildResult build(BuildContext context, BuildOptions options, PrintStream out) throws IOException, StrataException {
        List<Reference> tags = new ArrayList<>();
        for (String t : options.tags()) {
            tags.add(Images.parseTag(Optional.of(t)).orElseThrow());
        }
        Dockerfile dockerfile = DockerfileParser.parse(context.dockerfileName(), context.dockerfile());
        for (Dockerfile.Warning w : dockerfile.warnings()) {
            out.println("[WARNING]: " + w.message());
        }
        BuildArgs args = BuildArgs.of(options.buildArgs()).withMetaArgs(dockerfile);
        BuildPlan plan = BuildPlan.of(dockerfile, options.target(), args);
        Digest id;
        try (Store.Lease lease = store.writeLease()) {
            id = new Run(context, options, plan, args, out).all();
            if (!tags.isEmpty()) {
                try (Tx tx = store.write()) {
                    for (Reference tag : tags) {
                        store.images().tag(tx, tag, id);
                    }
                    tx.commit();
                }
            }
        }
        List<String> unused = args.unconsumed();
        if (!unused.isEmpty()) {
            out.println("[Warning] One or more build-args " + unused.toString().replace(",", "") + " were not consumed");
        }
        out.println("Successfully built " + id.shortHex());
        for (Reference tag : tags) {
            out.println("Successfully tagged " + tag.familiarString());
        }
        out.flush();
        return new BuildResult(id, tags);
    }

    /** A stage while it is built: the image of its last step and the config and variables that go with it. */
    private static final class StageState {
        final PlannedStage planned;
        Optional<Digest> image = Optional.empty();
        ContainerConfig config = ContainerConfig.EMPTY;
        StageScope scope;
        boolean cmdSet;
        Optional<String> author = Optional.empty();

        StageState(PlannedStage planned) {
            this.planned = planned;
        }

        List<String> shell() {
            return config.shell() == null || config.shell().isEmpty() ? DEFAULT_SHELL : config.shell();
        }
    }

    /** What a step does on a cache miss: makes its image. */
    @FunctionalInterface
    private interface StepWork {
        Digest make() throws IOException, StrataException;
    }

    /** Writes a step's files into the scratch layer's root. */
    @FunctionalInterface
    private interface FileWork {
        void write(RootScope root, Path view) throws IOException, StrataException;
    }

    /** One build: the step counter and the stages built so far. */
    private final class Run {
        private final BuildContext context;
        private final BuildOptions options;
        private final BuildPlan plan;
        private final BuildArgs args;
        private final PrintStream out;
        private final Map<Integer, StageState> done = new HashMap<>();
        private final int total;
        private int step;

        Run(BuildContext context, BuildOptions options, BuildPlan plan, BuildArgs args, PrintStream out) {
            this.context = context;
            this.options = options;
            this.plan = plan;
            this.args = args;
            this.out = out;
            int steps = plan.stages().stream().mapToInt(s -> 1 + s.stage().instructions().size()).sum();
            this.total = steps + (options.labels().isEmpty() ? 0 : 1);
        }

        Digest all() throws IOException, StrataException {
            StageState last = null;
            for (PlannedStage p : plan.stages()) {
                last = stage(p);
                done.put(p.stage().index(), last);
            }
            if (!options.labels().isEmpty()) {
                List<String> quoted = new ArrayList<>();
                List<Instruction.KeyValue> pairs = new ArrayList<>();
                options.labels().forEach((k, v) -> {
                    quoted.add(ShellLex.quote(k) + "=" + ShellLex.quote(v));
                    pairs.add(new Instruction.KeyValue(k, v));
                });
                header("LABEL " + String.join(" ", quoted));
                label(last, pairs);
                out.println(" ---> " + shortId(last.image));
            }
            return last.image.orElseThrow(() -> new DockerfileException(plan.dockerfile().file(), 0, "",
                    "No image was generated. Is your Dockerfile empty?"));
        }

        private void header(String text) {
            out.println("Step " + (++step) + "/" + total + " : " + text);
            out.flush();
        }

        private StageState stage(PlannedStage p) throws IOException, StrataException {
            StageState s = new StageState(p);
            header(p.stage().location().original());
            switch (p.base()) {
                case BuildPlan.Scratch sc -> {
                }
                case BuildPlan.StageOutput(int index) -> {
                    StageState from = done.get(index);
                    s.image = from.image;
                }
                case BuildPlan.Image(String name) -> s.image = Optional.of(baseImage(name, p.stage().location(), "FROM"));
            }
            if (s.image.isPresent()) {
                s.config = store.images().config(s.image.get()).configOrEmpty();
            }
            s.scope = args.newStage(s.config.env() == null ? List.of() : s.config.env());
            out.println(" ---> " + shortId(s.image));
            List<String> triggers = s.config.onBuild() == null ? List.of() : s.config.onBuild();
            if (!triggers.isEmpty()) {
                // Triggers run once, in the build FROM the image that defines them; they are not inherited.
                out.println("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s"));
                s.config = s.config.toBuilder().onBuild(null).build();
                for (String trigger : triggers) {
                    dispatch(s, DockerfileParser.parseTrigger(p.stage().location().file(), p.stage().location().startLine(), trigger));
                }
            }
            for (Instruction i : p.stage().instructions()) {
                header(i.location().original());
                dispatch(s, i);
                out.println(" ---> " + shortId(s.image));
                out.flush();
            }
            return s;
        }

        private void dispatch(StageState s, Instruction instruction) throws IOException, StrataException {
            Instruction e = s.scope.expand(instruction);
            ContainerConfig.Builder c = s.config.toBuilder();
            switch (e) {
                case Instruction.Run r -> run(s, r);
                case Instruction.Copy copy -> files(s, copy, copy.sources(), copy.destination(), copy.chown(), copy.from(), false);
                case Instruction.Add add -> files(s, add, add.sources(), add.destination(), add.chown(), Optional.empty(), true);
                case Instruction.Workdir w -> workdir(s, w);
                case Instruction.Env env -> {
                    s.scope.apply(env);
                    s.config = c.env(s.scope.env()).build();
                    metadata(s, "ENV " + pairs(env.variables()));
                }
                case Instruction.Arg arg -> {
                    s.scope.apply(arg);
                    List<String> specs = arg.args().stream()
                            .map(a -> a.name() + a.defaultValue().map(v -> "=" + v).orElse("")).toList();
                    metadata(s, "ARG " + String.join(" ", specs));
                }
                case Instruction.Label l -> label(s, l.labels());
                case Instruction.Expose x -> {
                    Map<String, Object> ports = new TreeMap<>(s.config.exposedPorts() == null ? Map.of() : s.config.exposedPorts());
                    TreeSet<String> listed = new TreeSet<>(x.exposedPorts());
                    listed.forEach(port -> ports.putIfAbsent(port, Map.of()));
                    s.config = c.exposedPorts(ports).build();
                    metadata(s, "EXPOSE " + String.join(" ", listed));
                }
                case Instruction.Volume v -> {
                    Map<String, Object> volumes = new TreeMap<>(s.config.volumes() == null ? Map.of() : s.config.volumes());
                    for (String path : v.paths()) {
                        if (path.isBlank()) {
                            throw DockerfileException.at(v.location(), "VOLUME", "VOLUME specified can not be an empty string");
                        }
                        volumes.put(path.strip(), Map.of());
                    }
                    s.config = c.volumes(volumes).build();
                    metadata(s, "VOLUME [" + String.join(" ", v.paths()) + "]");
                }
                case Instruction.User u -> {
                    s.config = c.user(u.user()).build();
                    metadata(s, "USER " + u.user());
                }
                case Instruction.Cmd cmd -> {
                    List<String> argv = cmd.command().argv(s.shell());
                    s.config = c.cmd(argv).build();
                    s.cmdSet = true;
                    metadata(s, "CMD " + goQuoted(argv));
                }
                case Instruction.Entrypoint ep -> {
                    List<String> argv = ep.command().execForm() ? ep.command().args()
                            : ep.command().args().isEmpty() ? List.of() : ep.command().argv(s.shell());
                    c.entrypoint(argv.isEmpty() ? null : argv);
                    if (!s.cmdSet) {
                        c.cmd(null); // a new ENTRYPOINT drops the base image's CMD unless this stage set one
                    }
                    s.config = c.build();
                    metadata(s, "ENTRYPOINT " + goQuoted(argv));
                }
                case Instruction.StopSignal sig -> {
                    s.config = c.stopSignal(sig.signal()).build();
                    metadata(s, "STOPSIGNAL " + sig.signal());
                }
                case Instruction.Healthcheck h -> {
                    ObjectNode node = ImageJson.MAPPER.createObjectNode();
                    node.set("Test", ImageJson.MAPPER.valueToTree(h.test()));
                    putDuration(node, "Interval", h.interval());
                    putDuration(node, "Timeout", h.timeout());
                    putDuration(node, "StartPeriod", h.startPeriod());
                    putDuration(node, "StartInterval", h.startInterval());
                    if (h.retries() != 0) {
                        node.put("Retries", h.retries());
                    }
                    s.config = c.healthcheck(node).build();
                    metadata(s, "HEALTHCHECK &{" + goQuoted(h.test()) + " " + ShellLex.quote(GoDuration.format(h.interval())) + " "
                            + ShellLex.quote(GoDuration.format(h.timeout())) + " " + ShellLex.quote(GoDuration.format(h.startPeriod()))
                            + " " + ShellLex.quote(GoDuration.format(h.startInterval())) + " " + goRune(h.retries()) + "}");
                }
                case Instruction.Shell sh -> {
                    s.config = c.shell(sh.shell()).build();
                    metadata(s, "SHELL [" + String.join(" ", sh.shell()) + "]");
                }
                case Instruction.Onbuild o -> {
                    List<String> triggers = new ArrayList<>(s.config.onBuild() == null ? List.of() : s.config.onBuild());
                    triggers.add(o.expression());
                    s.config = c.onBuild(triggers).build();
                    metadata(s, "ONBUILD " + o.expression());
                }
                case Instruction.Maintainer m -> {
                    s.author = Optional.of(m.name());
                    metadata(s, "MAINTAINER " + m.name());
                }
                case Instruction.From f -> throw new IllegalStateException("FROM inside a stage: " + f);
            }
        }

        private void label(StageState s, List<Instruction.KeyValue> labels) throws IOException, StrataException {
            Map<String, String> all = new TreeMap<>(s.config.labels() == null ? Map.of() : s.config.labels());
            labels.forEach(kv -> all.put(kv.key(), kv.value()));
            s.config = s.config.toBuilder().labels(all).build();
            metadata(s, "LABEL " + pairs(labels));
        }

        // ---- steps ----

        /** A step that only changes the config: Docker's {@code /bin/sh -c #(nop)  CMD ["sh"]} history row. */
        private void metadata(StageState s, String comment) throws IOException, StrataException {
            String createdBy = String.join(" ", s.shell()) + " #(nop)  " + comment;
            cached(s, createdBy, "", () -> commit(s, createdBy, Optional.empty()));
        }

        private void run(StageState s, Instruction.Run r) throws IOException, StrataException {
            List<String> argv = r.script().isPresent() ? concat(s.shell(), r.script().get().body())
                    : r.command().execForm() ? r.command().args() : concat(s.shell(), r.shellCommand());
            List<String> used = s.scope.argsForHistory();
            String createdBy = (used.isEmpty() ? "" : "|" + used.size() + " " + String.join(" ", used) + " ") + String.join(" ", argv);
            cached(s, createdBy, String.join("\n", s.scope.runEnv()), () -> runContainer(s, r, argv, createdBy));
        }

        private Digest runContainer(StageState s, Instruction.Run r, List<String> argv, String createdBy)
                throws IOException, StrataException {
            if (s.image.isEmpty()) {
                throw DockerfileException.at(r.location(), "RUN", "nothing to run in: the stage starts FROM scratch and has no files yet");
            }
            String network = switch (r.network()) {
                case NONE -> HostSpec.NETWORK_NONE;
                case HOST -> HostSpec.NETWORK_HOST;
                case DEFAULT -> options.network();
            };
            HostSpec host = new HostSpec(List.of(), network, false, false, false);
            String workdir = s.config.workingDir() == null || s.config.workingDir().isEmpty() ? "/" : s.config.workingDir();
            CreateOptions create = new CreateOptions(s.image.get().toString(), Optional.empty(), argv, Optional.of(List.of()),
                    s.scope.runEnv(), Optional.of(workdir), Optional.ofNullable(s.config.user()).filter(u -> !u.isEmpty()), Map.of(),
                    Optional.empty(), false, false, host);
            String[] id = new String[1];
            // Ctrl-C or SIGTERM ends the build: its container goes with it (kill -9 leaves it, as a dead daemon would).
            Thread interrupted = Thread.ofPlatform().unstarted(() -> {
                if (id[0] != null) {
                    try {
                        containers.remove(id[0], true, true);
                    } catch (IOException | StrataException | RuntimeException e) {
                        // the process is ending; a container left behind shows in ps -a
                    }
                }
            });
            Runtime.getRuntime().addShutdownHook(interrupted);
            try {
                return runAndCommit(s, argv, createdBy, create, id);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs now
                }
            }
        }

        private Digest runAndCommit(StageState s, List<String> argv, String createdBy, CreateOptions create, String[] id)
                throws IOException, StrataException {
            int code;
            try {
                Containers.RunResult result = containers.run(create, Optional.of(AttachStreams.output(out, out)), made -> {
                    id[0] = made;
                    out.println(" ---> Running in " + made.substring(0, 12));
                    out.flush();
                });
                code = result.outcome().map(o -> o instanceof AttachOutcome.Exited(int exit) ? exit : 0).orElse(0);
            } catch (IOException | StrataException | RuntimeException e) {
                if (id[0] != null && options.forceRemove()) {
                    removeContainer(id[0], e);
                }
                throw e;
            }
            out.flush();
            boolean remove = options.remove();
            try {
                if (code != 0) {
                    remove = options.forceRemove(); // Docker keeps a failed step's container for a look, unless --force-rm
                    throw new BuildFailedException(String.join(" ", argv), code);
                }
                return commitChanges(s, createdBy, store.layers().writable(containers.find(id[0]).id()));
            } finally {
                if (remove) {
                    removeContainer(id[0], null);
                }
            }
        }

        private void removeContainer(String id, Exception failure) throws IOException, StrataException {
            out.println("Removing intermediate container " + id.substring(0, 12));
            out.flush();
            try {
                containers.remove(id, true, true);
            } catch (IOException | StrataException | RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }

        private void workdir(StageState s, Instruction.Workdir w) throws IOException, StrataException {
            String current = s.config.workingDir() == null || s.config.workingDir().isEmpty() ? "/" : s.config.workingDir();
            String dir = GoPath.clean(w.path().startsWith("/") ? w.path() : current + "/" + w.path());
            s.config = s.config.toBuilder().workingDir(dir).build();
            String createdBy = String.join(" ", s.shell()) + " #(nop) WORKDIR " + dir;
            cached(s, createdBy, "", () -> inScratchLayer(s, createdBy,
                    (root, view) -> new CopyWriter(root, dir, true, ApplyOptions.Owner.ROOT, OptionalInt.empty(), false).makeDestination()));
        }

        /** COPY and ADD: one layer with the sources at the destination. */
        private void files(StageState s, Instruction instruction, List<String> sources, String destination, Optional<String> chown,
                Optional<String> from, boolean add) throws IOException, StrataException {
            String keyword = instruction.keyword();
            OptionalInt chmod = BuildContext.chmod(instruction);
            String workdir = s.config.workingDir() == null ? "" : s.config.workingDir();
            String dest = destination.startsWith("/") ? destination
                    : GoPath.clean("/" + workdir + "/" + destination) + (destination.endsWith("/") ? "/" : "");
            boolean several = sources.size() > 1;
            String hash;
            FileWork work;
            List<Path> scratch = new ArrayList<>();
            try {
                if (from.isPresent()) {
                    Digest source = copySource(s, (Instruction.Copy) instruction);
                    hash = (several ? "multi:" : "file:") + Digester.of(source + "\n" + String.join("\n", sources)).hex();
                    work = (root, view) -> fromImage(instruction, source, sources, writer(root, view, dest, several, chown, chmod, false,
                            instruction));
                } else {
                    BuildContext.CopyInputs inputs = context.inputs(instruction);
                    List<CopyWriter.Source> items = new ArrayList<>();
                    StringBuilder key = new StringBuilder(context.cacheKey(inputs, ApplyOptions.Owner.ROOT).toString());
                    inputs.matches().forEach(m -> items.add(new CopyWriter.FromContext(m)));
                    for (Instruction.Heredoc h : inputs.inline()) {
                        Path file = store.content().scratchFile();
                        scratch.add(file);
                        Files.writeString(file, h.content(), StandardCharsets.UTF_8);
                        items.add(new CopyWriter.Bytes(h.name(), file, 0644, Instant.now()));
                    }
                    for (String url : inputs.urls()) {
                        Path file = store.content().scratchFile();
                        scratch.add(file);
                        Downloads.Downloaded d = Downloads.get(url, file, instruction);
                        key.append('\n').append(url).append(' ').append(d.digest());
                        items.add(new CopyWriter.Bytes(d.name(), file, 0600, d.modified()));
                    }
                    int count = items.size();
                    boolean single = count == 1 && inputs.matches().size() == 1;
                    hash = count > 1 ? "multi:" + Digester.of(key.toString()).hex()
                            : (single && inputs.matches().getFirst().root().isDirectory() ? "dir:" : "file:")
                                    + Digester.of(key.toString()).hex();
                    work = (root, view) -> {
                        CopyWriter writer = writer(root, view, dest, count > 1, chown, chmod, add, instruction);
                        for (CopyWriter.Source item : items) {
                            writer.write(item);
                        }
                    };
                }
                String createdBy = String.join(" ", s.shell()) + " #(nop) " + keyword + " " + chown.map(o -> "--chown=" + o).orElse("")
                        + hash + " in " + destination + " ";
                FileWork w = work;
                cached(s, createdBy, chmod.isPresent() ? Integer.toOctalString(chmod.getAsInt()) : "", () -> inScratchLayer(s, createdBy, w));
            } finally {
                for (Path p : scratch) {
                    Files.deleteIfExists(p);
                }
            }
        }

        private CopyWriter writer(RootScope root, Path view, String dest, boolean several, Optional<String> chown, OptionalInt chmod,
                boolean add, Instruction instruction) throws IOException, StrataException {
            ApplyOptions.Owner owner = ApplyOptions.Owner.ROOT;
            if (chown.isPresent()) {
                try {
                    Users.ExecUser u = Users.resolve(view, chown.get());
                    owner = new ApplyOptions.Owner(u.uid(), u.gid());
                } catch (StrataException e) {
                    throw DockerfileException.at(instruction.location(), instruction.keyword(),
                            "unable to convert uid/gid chown string to host mapping: " + e.getMessage());
                }
            }
            return new CopyWriter(root, dest, several, owner, chmod, add);
        }

        /** The image a {@code COPY --from} reads: an earlier stage's result, or an image (pulled when missing). */
        private Digest copySource(StageState s, Instruction.Copy copy) throws IOException, StrataException {
            return switch (plan.copyFrom(s.planned.stage(), copy)) {
                case BuildPlan.StageOutput(int index) -> done.get(index).image.orElseThrow(() -> DockerfileException.at(copy.location(),
                        "COPY", "stage " + copy.from().get() + " is empty (FROM scratch with no files): nothing to copy from"));
                case BuildPlan.Image(String name) -> baseImage(name, copy.location(), "COPY");
                case BuildPlan.Scratch sc -> throw DockerfileException.at(copy.location(), "COPY", "cannot copy from scratch");
            };
        }

        /** Copies {@code sources} (globs in their last element allowed) out of image {@code source} with {@code writer}. */
        private void fromImage(Instruction copy, Digest source, List<String> sources, CopyWriter writer)
                throws IOException, StrataException {
            try (ScratchLayer view = store.layers().createScratch(topLayer(Optional.of(source)));
                    Mount root = view.layer().mount(); RootScope scope = RootScope.open(root.path())) {
                    for (String src : sources) {
                        String clean = GoPath.clean("/" + src);
                        List<RootScope.Resolved> found = new ArrayList<>();
                        String name = GoPath.base(clean);
                        if (BuildContext.hasWildcards(name)) {
                            String parent = clean.substring(0, clean.lastIndexOf('/') + 1);
                            RootScope.Resolved dir = scope.resolve(parent, true);
                            try (RootScope.Dir d = scope.openDirectory(dir.rel()); Stream<Path> list = Files.list(d.path())) {
                                for (String child : list.map(p -> p.getFileName().toString()).sorted().toList()) {
                                    if (GoPath.match(name, child)) {
                                        found.add(scope.resolve(parent + child, true));
                                    }
                                }
                            } catch (GoPath.BadPattern e) {
                                throw DockerfileException.at(copy.location(), "COPY", "syntax error in pattern: " + src);
                            }
                        } else {
                            RootScope.Resolved r = scope.resolve(clean, true);
                            if (r.exists()) {
                                found.add(r);
                            }
                        }
                        if (found.isEmpty()) {
                            throw DockerfileException.at(copy.location(), "COPY", "failed to compute cache key: \"" + clean
                                    + "\": not found in " + ((Instruction.Copy) copy).from().orElse(source.shortHex()));
                        }
                        for (RootScope.Resolved r : found) {
                            writer.write(new CopyWriter.FromImage(scope, r));
                        }
                    }
            }
        }

        /**
         * Runs {@code work} on a scratch layer over the stage's image and commits what it changed (no layer when
         * nothing changed, as Docker's classic builder commits an empty diff). The scratch layer has no row: an
         * interrupted build leaves only a directory the next sweep removes.
         */
        private Digest inScratchLayer(StageState s, String createdBy, FileWork work) throws IOException, StrataException {
            try (ScratchLayer scratch = store.layers().createScratch(topLayer(s.image))) {
                try (Mount view = scratch.layer().mount(); RootScope root = RootScope.open(view.path())) {
                    work.write(root, view.path());
                }
                return commitChanges(s, createdBy, scratch.layer());
            }
        }

        /** Commits what {@code layer} changed as the step's image (no layer when nothing changed). */
        private Digest commitChanges(StageState s, String createdBy, WritableLayer layer) throws IOException, StrataException {
            boolean empty = layer.changes().isEmpty();
            return commit(s, createdBy, empty ? Optional.empty() : Optional.of(layer::diff));
        }

        private Optional<Layer> topLayer(Optional<Digest> image) throws IOException, StrataException {
            if (image.isEmpty()) {
                return Optional.empty();
            }
            try (Tx tx = store.read()) {
                Image i = store.images().get(tx, image.get()).orElseThrow(() -> new NotFoundException("No such image: " + image.get()));
                Optional<Layer> top = i.topLayer().isPresent() ? Optional.of(store.layers().require(tx, i.topLayer().get())) : Optional.empty();
                tx.commit();
                return top;
            }
        }

        /** The step's image: from the cache when an equal step on the same parent made one, else made now. */
        private void cached(StageState s, String createdBy, String inputs, StepWork work) throws IOException, StrataException {
            String config = new String(ImageJson.MAPPER.writeValueAsBytes(s.config), StandardCharsets.UTF_8);
            Digest key = Digester.of(String.join("\n", createdBy, inputs, config, s.author.orElse("")));
            Optional<Digest> parent = s.image;
            if (!options.noCache()) {
                Optional<Digest> hit = cache.lookup(parent, key);
                if (hit.isPresent()) {
                    out.println(" ---> Using cache");
                    s.image = hit;
                    return;
                }
            }
            Digest made = work.make();
            cache.record(parent, key, made);
            s.image = Optional.of(made);
        }

        private Digest commit(StageState s, String createdBy, Optional<ProducedStream.Producer> diff) throws IOException, StrataException {
            ImageConfig.History history = new ImageConfig.History(Instant.now().toString(), createdBy, null, null, diff.isEmpty());
            return images.commitOn(s.image, diff, s.config, history, s.author, List.of()).image().id();
        }

        /** A local image by reference or ID, else pulled; a failed pull is "base image not found" at the line. */
        private Digest baseImage(String name, SourceLocation where, String keyword) throws IOException, StrataException {
            try (Tx tx = store.read()) {
                Digest id = store.images().resolve(tx, name).id();
                tx.commit();
                return id;
            } catch (NotFoundException missing) {
                try {
                    return registry.pull(name, PullOptions.defaults(), this::progress).id();
                } catch (IOException | StrataException e) {
                    throw new DockerfileException(where.file(), where.startLine(), keyword,
                            "base image not found: " + name + ": " + e.getMessage());
                }
            }
        }

        private void progress(Progress p) {
            if (p.current().isEmpty()) {
                out.println(p.id().map(i -> i + ": ").orElse("") + p.status());
            }
        }
    }

    // ---- history text as Docker's classic builder writes it ----

    private static String pairs(List<Instruction.KeyValue> pairs) {
        return String.join(" ", pairs.stream().map(kv -> kv.key() + "=" + kv.value()).toList());
    }

    /** Go's {@code %q} of a string slice: {@code ["/bin/sh" "-c" "echo hi"]}. */
    static String goQuoted(List<String> list) {
        return "[" + String.join(" ", list.stream().map(ShellLex::quote).toList()) + "]";
    }

    /** Go's {@code %q} of an int: a quoted rune. */
    private static String goRune(int value) {
        return value >= 0x20 && value < 0x7f ? "'" + (char) value + "'" : String.format("'\\x%02x'", value);
    }

    private static void putDuration(ObjectNode node, String name, java.time.Duration d) {
        if (!d.isZero()) {
            node.put(name, d.toNanos());
        }
    }

    private static List<String> concat(List<String> shell, String command) {
        List<String> out = new ArrayList<>(shell);
        out.add(command);
        return out;
    }

    private static String shortId(Optional<Digest> image) {
        return image.map(Digest::shortHex).orElse("");
    }

}
