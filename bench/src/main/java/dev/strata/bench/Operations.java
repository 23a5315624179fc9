package dev.strata.bench;

import dev.strata.bench.Operation.Cmd;
import dev.strata.bench.Operation.Effect;
import dev.strata.bench.Operation.StoreState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operations of the suite, each defined once for every tool. Strata's command lines live in {@link StrataCli};
 * the peers' are written here through {@link DockerTool#cli} and {@link PodmanTool#cli}. Every operation runs with
 * the same inputs for every tool ({@link Ctx#inputs}): the Debian rootfs as the image, busybox as a build base.
 */
final class Operations {
    /** The image most operations use (the Debian rootfs; busybox in the smoke run). */
    static final String IMAGE = "bench:base";
    static final String BUSYBOX = "bench:busybox";
    static final String CONTAINER = "bench-c";
    static final String HELLO = "FROM " + BUSYBOX + "\nRUN echo \"Hello world\" > /tmp/newfile\n";
    /** Ten instructions (FROM counts, as in Docker's "Step 1/10"), one of them a COPY of the whole 50 MB context. */
    static final String TEN = """
            FROM %s
            ENV BENCH=1
            WORKDIR /work
            COPY . /ctx
            RUN ["/bin/sh", "-c", "du -s /ctx > /du.txt"]
            RUN echo step > /step.txt
            LABEL bench=ten
            ENV STEP=8
            RUN ls /ctx > /ls.txt
            CMD ["/bin/sh"]
            """.formatted(BUSYBOX);
    private static final String HELLO_SH = "echo Hello world > /tmp/newfile";

    private Operations() {
    }

    // ---- store states ------------------------------------------------------------------------------------------

    static final StoreState IMAGE_STATE = new StoreState("image", (t, c) -> importImage(t, c.inputs().image(), IMAGE));
    static final StoreState CONTAINER_STATE = new StoreState("image+container", (t, c) -> {
        importImage(t, c.inputs().image(), IMAGE);
        untimed(t, create(t, Optional.of(CONTAINER), IMAGE, false, "true"));
    });
    static final StoreState BUSYBOX_STATE = new StoreState("busybox", (t, c) -> importImage(t, c.inputs().busybox(), BUSYBOX));

    /** An empty store, with the archive this tool's {@code save} made of the image kept beside it. */
    static final StoreState ARCHIVE_STATE = new StoreState("empty+archive", (t, c) -> {
        Path archive = archive(t, c);
        if (!Files.exists(archive)) {
            importImage(t, c.inputs().image(), IMAGE);
            untimed(t, save(t, IMAGE, archive));
            t.freshStore();
        }
    });

    static List<Operation> all(Inputs in, Scale scale) {
        String image = in.imageLabel();
        List<Operation> ops = new ArrayList<>();
        ops.add(Operation.named("images-empty")
                .description("`images` on an empty store: start-up and listing latency, process start to exit")
                .needs(StrataCli.IMAGES)
                .command((t, c, v) -> Cmd.of(images(t)))
                .durability(reads())
                .timeout(Duration.ofMinutes(2)).build());
        ops.add(Operation.named("images")
                .description("`images` on a store holding one image (the " + image + ")")
                .needs(StrataCli.IMAGES, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .command((t, c, v) -> Cmd.of(images(t)))
                .durability(reads())
                .timeout(Duration.ofMinutes(2)).build());
        ops.add(Operation.named("history")
                .description("`history " + IMAGE + "` on a store holding that one image")
                .needs(StrataCli.HISTORY, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .command((t, c, v) -> Cmd.of(switch (t) {
                    case StrataTool s -> s.cli().history(IMAGE);
                    case DockerTool d -> d.cli("history", IMAGE);
                    case PodmanTool p -> p.cli("history", IMAGE);
                }))
                .durability(reads())
                .timeout(Duration.ofMinutes(2)).build());
        ops.add(Operation.named("ps")
                .description("`ps -a` on a store holding one image and one (created, not running) container")
                .needs(StrataCli.PS, StrataCli.CREATE, StrataCli.IMPORT)
                .state(CONTAINER_STATE)
                .command((t, c, v) -> Cmd.of(switch (t) {
                    case StrataTool s -> s.cli().ps();
                    case DockerTool d -> d.cli("ps", "-a");
                    case PodmanTool p -> p.cli("ps", "-a");
                }))
                .durability(reads())
                .timeout(Duration.ofMinutes(2)).build());
        ops.add(Operation.named("import")
                .description("`import` of the " + image + " tarball, uncompressed, as " + IMAGE + " into an empty store")
                .needs(StrataCli.IMPORT)
                .effect(Effect.DIRTIES)
                .command((t, c, v) -> Cmd.of(importCommand(t, c.inputs().image(), IMAGE)))
                .durability(layerDurability())
                .build());
        ops.add(Operation.named("create")
                .description("`create " + IMAGE + " true`: one container of the " + image + " (the store holds the image"
                        + " and the containers of earlier runs)")
                .needs(StrataCli.CREATE, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .effect(Effect.REPEATABLE)
                .command((t, c, v) -> Cmd.of(create(t, Optional.empty(), IMAGE, false, "true")))
                .durability(createDurability())
                .timeout(Duration.ofMinutes(5)).build());
        ops.add(Operation.named("create-" + scale.containers())
                .description(scale.containers() + " × `create " + IMAGE + " true` of the " + image + ", one CLI process"
                        + " each, in a shell loop (strata-vfs: " + scale.vfsContainers() + ", each a full copy of the image,"
                        + " twice: init layer and container layer). Per container: time and growth of the tool's store"
                        + " directory (`du -skx`, after sync)")
                .needs(StrataCli.CREATE, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .effect(t -> t.name().equals("strata-vfs") ? Effect.DIRTIES : Effect.REPEATABLE)
                .tools(Options.ALL_TOOLS)
                .units(t -> t.name().equals("strata-vfs") ? scale.vfsContainers() : scale.containers())
                .measureDisk()
                .command((t, c, v) -> {
                    int n = t.name().equals("strata-vfs") ? scale.vfsContainers() : scale.containers();
                    return Cmd.shell("i=0; while [ $i -lt " + n + " ]; do "
                            + shellQuote(create(t, Optional.empty(), IMAGE, false, "true"))
                            + " >/dev/null || exit 1; i=$((i+1)); done");
                })
                .durability(createDurability())
                .timeout(Duration.ofMinutes(30)).build());
        ops.add(Operation.named("commit")
                .description("`commit` of a container of the " + image + " that wrote one 12-byte file (/tmp/newfile);"
                        + " Docker and Podman ran it (`run --name c IMAGE sh -c 'echo Hello world > /tmp/newfile'`); Strata"
                        + " runs it too once `strata run` exists, until then it writes the file through `strata mount`"
                        + " (untimed set-up either way)")
                .needs(StrataCli.COMMIT, StrataCli.CREATE, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .effect(Effect.REPEATABLE)
                .setup((t, c, v) -> containerThatWroteAFile(t, "commit-" + c.run()))
                .command((t, c, v) -> Cmd.of(switch (t) {
                    case StrataTool s -> s.cli().commit("commit-" + c.run(), "bench:commit-" + c.run());
                    case DockerTool d -> d.cli("commit", "commit-" + c.run(), "bench:commit-" + c.run());
                    case PodmanTool p -> p.cli("commit", "--quiet", "commit-" + c.run(), "bench:commit-" + c.run());
                }))
                .durability(layerDurability())
                .timeout(Duration.ofMinutes(5)).build());
        ops.add(Operation.named("save")
                .description("`save -o FILE " + IMAGE + "` of the " + image + " to a docker-archive in the same storage"
                        + " area (deleted after each run)")
                .needs(StrataCli.SAVE, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .command((t, c, v) -> Cmd.of(save(t, IMAGE, c.files(t).resolve("save-" + c.run() + ".tar"))))
                .cleanup((t, c, v) -> deleteQuietly(c.files(t).resolve("save-" + c.run() + ".tar")))
                .durability(Map.of("strata", "archive file not synced (like the peers)",
                        "docker", "archive file not synced", "podman", "archive file not synced"))
                .build());
        ops.add(Operation.named("load")
                .description("`load -i FILE` of the archive that the same tool's `save` made of the " + image
                        + ", into an empty store")
                .needs(StrataCli.LOAD, StrataCli.SAVE, StrataCli.IMPORT)
                .state(ARCHIVE_STATE)
                .effect(Effect.DIRTIES)
                .command((t, c, v) -> Cmd.of(switch (t) {
                    case StrataTool s -> s.cli().load(archive(t, c));
                    case DockerTool d -> d.cli("load", "-q", "-i", archive(t, c).toString());
                    case PodmanTool p -> p.cli("load", "-q", "-i", archive(t, c).toString());
                }))
                .durability(layerDurability())
                .build());
        ops.add(Operation.named("run-rm")
                .description("`run --rm --network none " + IMAGE + " true` (" + image + ")")
                .needs(StrataCli.RUN, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .command((t, c, v) -> Cmd.of(run(t, true, Optional.empty(), Optional.empty(), IMAGE, "true")))
                .durability(createDurability())
                .timeout(Duration.ofMinutes(5)).build());
        ops.add(Operation.named("create-start")
                .description("`create --name N --network none " + IMAGE + " true && start -a N` (" + image + ")")
                .needs(StrataCli.CREATE, StrataCli.START, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .effect(Effect.REPEATABLE)
                .command((t, c, v) -> Cmd.shell(shellQuote(create(t, Optional.of("cs-" + c.run()), IMAGE, true, "true"))
                        + " >/dev/null && " + shellQuote(startAttached(t, "cs-" + c.run()))))
                .durability(createDurability())
                .timeout(Duration.ofMinutes(5)).build());
        for (boolean cached : List.of(false, true)) {
            ops.add(build("build-hello-" + (cached ? "cached" : "cold"), cached,
                    "the classic two-line Dockerfile (`FROM " + BUSYBOX + "` + `RUN echo \"Hello world\" > /tmp/newfile`)",
                    (t, c) -> c.writeInput("hello/Dockerfile", HELLO), (t, c) -> c.writeInput("hello/Dockerfile", HELLO).getParent(),
                    "bench:hello"));
        }
        for (boolean cached : List.of(false, true)) {
            ops.add(build("build-10-" + (cached ? "cached" : "cold"), cached,
                    "a 10-step Dockerfile (ENV, WORKDIR, LABEL, CMD, 3 RUN, COPY of the whole " + in.contextLabel()
                            + " context)",
                    (t, c) -> c.writeInput("Dockerfile.ten", TEN), (t, c) -> c.inputs().context(), "bench:ten"));
        }
        ops.add(Operation.named("pull-cold")
                .description("`pull` of the " + image + " (one gzip layer, pushed by skopeo) from a registry on"
                        + " 127.0.0.1 into an empty store")
                .needs(StrataCli.PULL)
                .variants(withSkopeo())
                .effect(Effect.DIRTIES)
                .setup((t, c, v) -> c.seededRegistry())
                .command((t, c, v) -> Cmd.of(pull(t, v, c.seededRegistry().address() + "/" + Ctx.SEED_REPO)))
                .durability(layerDurability())
                .build());
        ops.add(Operation.named("pull-warm")
                .description("`pull` of the same image again: the store has it already")
                .needs(StrataCli.PULL)
                .state(c -> {
                    String ref = c.seededRegistry().address() + "/" + Ctx.SEED_REPO;
                    return new StoreState("pulled " + ref, (t, cc) -> untimed(t, pull(t, ref)));
                })
                .variants(withSkopeo())
                .command((t, c, v) -> Cmd.of(pull(t, v, c.seededRegistry().address() + "/" + Ctx.SEED_REPO)))
                .durability(reads())
                .timeout(Duration.ofMinutes(5)).build());
        ops.add(Operation.named("push-cold")
                .description("`push` of the imported " + image + " to a new, empty registry on 127.0.0.1 (a new one for"
                        + " every run, so no tool can mount a blob it pushed before); the tool compresses the layer")
                .needs(StrataCli.PUSH, StrataCli.TAG, StrataCli.IMPORT)
                .state(IMAGE_STATE)
                .effect(Effect.REPEATABLE)
                .variants(withSkopeo())
                .setup((t, c, v) -> untimed(t, tag(t, IMAGE, c.freshRegistry().address() + "/bench/cold:" + c.run())))
                .command((t, c, v) -> Cmd.of(push(t, v, c.registry().address() + "/bench/cold:" + c.run())))
                .durability(reads())
                .build());
        ops.add(Operation.named("push-warm")
                .description("`push` of the same image again to the same repository: every blob is there already")
                .needs(StrataCli.PUSH, StrataCli.TAG, StrataCli.IMPORT)
                .state(c -> {
                    String ref = c.registry().address() + "/bench/warm:latest";
                    return new StoreState("pushed " + ref, (t, cc) -> {
                        importImage(t, cc.inputs().image(), IMAGE);
                        untimed(t, tag(t, IMAGE, ref));
                        untimed(t, push(t, ref));
                    });
                })
                .variants(withSkopeo())
                .command((t, c, v) -> Cmd.of(push(t, v, c.registry().address() + "/bench/warm:latest")))
                .durability(reads())
                .timeout(Duration.ofMinutes(5)).build());
        ops.add(write("write-volume", scale, true));
        ops.add(write("write-layer", scale, false));
        return List.copyOf(ops);
    }

    /** A build from a store that holds only the base image (cold), or right after the same build (cached). */
    private static Operation build(String name, boolean cached, String what, PathFor dockerfile, PathFor context,
                                   String tag) {
        Operation.Builder b = Operation.named(name)
                .description("`build` of " + what + (cached ? ", again: every step from the build cache"
                        : ", from a store holding only " + BUSYBOX) + ". Docker with its classic builder"
                        + " (DOCKER_BUILDKIT=0) and with BuildKit; RUN steps with --network none")
                .needs(StrataCli.BUILD, StrataCli.IMPORT)
                .variants(t -> t instanceof DockerTool ? List.of("classic", "buildkit") : List.of(""))
                .command((t, c, v) -> buildCommand(t, v, tag, dockerfile.of(t, c), context.of(t, c)))
                .durability(layerDurability());
        if (cached) {
            b.state(new StoreState("busybox+" + tag, (t, c) -> {
                importImage(t, c.inputs().busybox(), BUSYBOX);
                List<String> variants = t instanceof DockerTool ? List.of("classic", "buildkit") : List.of("");
                for (String v : variants) {
                    Cmd cmd = buildCommand(t, v, tag, dockerfile.of(t, c), context.of(t, c));
                    untimed(t, cmd.argv(), cmd.env());
                }
            }));
        } else {
            b.state(BUSYBOX_STATE).effect(Effect.DIRTIES);
        }
        return b.build();
    }

    /** {@code dd} of {@link Scale#writeMiB} MiB (conv=fsync) into a named volume or into the container's own layer. */
    private static Operation write(String name, Scale scale, boolean volume) {
        String target = volume ? "/data/f" : "/tmp/f";
        return Operation.named(name + "-" + (scale.writeMiB() >= 1024 ? scale.writeMiB() / 1024 + "g" : scale.writeMiB() + "m"))
                .description("`run --rm --network none " + (volume ? "-v VOL:/data " : "") + IMAGE + " dd if=/dev/zero of="
                        + target + " bs=1M count=" + scale.writeMiB() + " conv=fsync`: a write "
                        + (volume ? "into a named volume (bypasses the storage driver)" : "into the container layer (overlayfs upper)"))
                .needs(volume ? new String[] {StrataCli.RUN, StrataCli.VOLUME, StrataCli.IMPORT}
                        : new String[] {StrataCli.RUN, StrataCli.IMPORT})
                .state(IMAGE_STATE)
                .effect(Effect.REPEATABLE)
                .command((t, c, v) -> Cmd.of(run(t, true, Optional.empty(),
                        volume ? Optional.of("vol-" + c.run() + ":/data") : Optional.empty(), IMAGE,
                        "dd", "if=/dev/zero", "of=" + target, "bs=1M", "count=" + scale.writeMiB(), "conv=fsync")))
                .cleanup((t, c, v) -> {
                    if (volume) {
                        Exec.run(removeVolume(t, "vol-" + c.run()), t.env(), Exec.DEFAULT_TIMEOUT);
                    }
                })
                .durability(Map.of("strata", "dd's own fsync", "docker", "dd's own fsync", "podman", "dd's own fsync"))
                .timeout(Duration.ofMinutes(20)).build();
    }

    @FunctionalInterface
    private interface PathFor {
        Path of(Tool t, Ctx c) throws BenchException;
    }

    // ---- command lines per tool ---------------------------------------------------------------------------------

    static List<String> importCommand(Tool t, Path tarball, String ref) {
        return switch (t) {
            case StrataTool s -> s.cli().importTar(tarball, ref);
            case DockerTool d -> d.cli("import", tarball.toString(), ref);
            case PodmanTool p -> p.cli("import", "--quiet", tarball.toString(), ref);
        };
    }

    /**
     * {@code create}; the peers get {@code --network none} (dockerd here has no bridge), Strata only when the
     * container is going to start ({@code forStart}): its create has no network to set up.
     */
    static List<String> create(Tool t, Optional<String> name, String image, boolean forStart, String... command) {
        List<String> a = new ArrayList<>(List.of("create"));
        name.ifPresent(n -> a.addAll(List.of("--name", n)));
        return switch (t) {
            case StrataTool s -> forStart ? s.cli().createForStart(name, image, command) : s.cli().create(name, image, command);
            case DockerTool d -> d.cli(concat(a, List.of("--network", "none", image), command));
            case PodmanTool p -> p.cli(concat(a, concat(PodmanTool.RUN_ULIMITS, List.of("--network", "none", image)), command));
        };
    }

    static List<String> startAttached(Tool t, String container) {
        return switch (t) {
            case StrataTool s -> s.cli().startAttached(container);
            case DockerTool d -> d.cli("start", "-a", container);
            case PodmanTool p -> p.cli("start", "-a", container);
        };
    }

    static List<String> run(Tool t, boolean rm, Optional<String> name, Optional<String> volume, String image,
                            String... command) {
        List<String> a = new ArrayList<>();
        if (rm) {
            a.add("--rm");
        }
        name.ifPresent(n -> a.addAll(List.of("--name", n)));
        a.addAll(List.of("--network", "none"));
        volume.ifPresent(v -> a.addAll(List.of("-v", v)));
        a.add(image);
        return switch (t) {
            case StrataTool s -> s.cli().run(rm, name, volume, image, command);
            case DockerTool d -> d.cli(concat(List.of("run"), a, command));
            case PodmanTool p -> p.runCli(concat(List.of(), a, command));
        };
    }

    static List<String> save(Tool t, String image, Path output) {
        return switch (t) {
            case StrataTool s -> s.cli().save(image, output);
            case DockerTool d -> d.cli("save", "-o", output.toString(), image);
            case PodmanTool p -> p.cli("save", "--format", "docker-archive", "-o", output.toString(), image);
        };
    }

    static List<String> images(Tool t) {
        return switch (t) {
            case StrataTool s -> s.cli().images();
            case DockerTool d -> d.cli("images");
            case PodmanTool p -> p.cli("images");
        };
    }

    static List<String> tag(Tool t, String source, String target) {
        return switch (t) {
            case StrataTool s -> s.cli().tag(source, target);
            case DockerTool d -> d.cli("tag", source, target);
            case PodmanTool p -> p.cli("tag", source, target);
        };
    }

    static List<String> pull(Tool t, String ref) {
        return pull(t, "", ref);
    }

    /** Variant {@code skopeo}: {@code skopeo copy} from the registry into Podman's store, what {@code podman pull} does. */
    static List<String> pull(Tool t, String variant, String ref) {
        return switch (t) {
            case StrataTool s -> s.cli().pull(ref);
            case DockerTool d -> d.cli("pull", "-q", ref);
            case PodmanTool p when variant.equals(SKOPEO) -> p.skopeo("copy", "-q", "--src-tls-verify=false", "docker://" + ref,
                    "containers-storage:" + ref);
            case PodmanTool p -> p.cli("pull", "-q", "--tls-verify=false", ref);
        };
    }

    static List<String> push(Tool t, String ref) {
        return push(t, "", ref);
    }

    /** Variant {@code skopeo}: {@code skopeo copy} from Podman's store to the registry, what {@code podman push} does. */
    static List<String> push(Tool t, String variant, String ref) {
        return switch (t) {
            case StrataTool s -> s.cli().push(ref);
            case DockerTool d -> d.cli("push", ref);
            case PodmanTool p when variant.equals(SKOPEO) -> p.skopeo("copy", "-q", "--dest-tls-verify=false",
                    "containers-storage:" + ref, "docker://" + ref);
            case PodmanTool p -> p.cli("push", "--tls-verify=false", ref);
        };
    }

    /** skopeo, the containers/image tool, as a variant of Podman (same library, same store) for pulls and pushes. */
    static final String SKOPEO = "skopeo";

    private static Function<Tool, List<String>> withSkopeo() {
        return t -> t instanceof PodmanTool ? List.of("", SKOPEO) : List.of("");
    }

    static List<String> removeVolume(Tool t, String name) {
        return switch (t) {
            case StrataTool s -> s.cli().removeVolume(name);
            case DockerTool d -> d.cli("volume", "rm", "-f", name);
            case PodmanTool p -> p.cli("volume", "rm", "-f", name);
        };
    }

    static Cmd buildCommand(Tool t, String variant, String tag, Path dockerfile, Path context) {
        return switch (t) {
            case StrataTool s -> Cmd.of(s.cli().build(tag, dockerfile, context));
            case DockerTool d -> new Cmd(d.cli("build", "-q", "--network", "none", "-t", tag, "-f", dockerfile.toString(),
                    context.toString()), Map.of("DOCKER_BUILDKIT", variant.equals("buildkit") ? "1" : "0"));
            case PodmanTool p -> Cmd.of(p.cli("build", "-q", "--network", "none", "-t", tag, "-f", dockerfile.toString(),
                    context.toString()));
        };
    }

    // ---- untimed helpers ----------------------------------------------------------------------------------------

    static void importImage(Tool t, Path tarball, String ref) throws BenchException {
        untimed(t, importCommand(t, tarball, ref));
    }

    static void untimed(Tool t, List<String> argv) throws BenchException {
        untimed(t, argv, Map.of());
    }

    static Exec.Result untimed(Tool t, List<String> argv, Map<String, String> env) throws BenchException {
        Map<String, String> all = new java.util.HashMap<>(t.env());
        all.putAll(env);
        return Exec.run(argv, all, Duration.ofMinutes(30)).check();
    }

    /**
     * A stopped container named {@code name} whose layer holds /tmp/newfile ("Hello world\n", 12 bytes): made by
     * {@code run} (the peers, and Strata once it has {@code run}), else by {@code create} and a write through
     * {@code strata mount}.
     */
    static void containerThatWroteAFile(Tool t, String name) throws BenchException {
        if (t instanceof StrataTool s && !s.subcommands().contains(StrataCli.RUN)) {
            untimed(t, s.cli().create(Optional.of(name), IMAGE, "true"));
            Path merged = Path.of(untimed(t, s.cli().mount(name), Map.of()).out().strip());
            try {
                Files.writeString(merged.resolve("tmp/newfile"), "Hello world\n");
            } catch (IOException e) {
                throw new BenchException("cannot write /tmp/newfile through " + merged + ": " + e.getMessage(), e);
            } finally {
                untimed(t, s.cli().umount(name));
            }
            return;
        }
        untimed(t, run(t, false, Optional.of(name), Optional.empty(), IMAGE, "sh", "-c", HELLO_SH));
    }

    static Path archive(Tool t, Ctx c) throws BenchException {
        return c.files(t).resolve("image-saved-by-" + t.name() + ".tar");
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the area is deleted at the end anyway
        }
    }

    /** Single-quotes every word for /bin/sh. */
    static String shellQuote(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

    private static String[] concat(List<String> a, List<String> b, String... c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(List.of(c));
        return all.toArray(String[]::new);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    // ---- what each tool makes durable (see durability.md; checked with `bench/run --strace`) -------------------

    private static Map<String, String> reads() {
        return Map.of();
    }

    private static Map<String, String> layerDurability() {
        return Map.of("strata", "blobs fsync'd (+ dir), layer syncfs before its row, SQLite WAL synchronous=FULL",
                "strata-vfs", "as strata",
                "docker", "layer files not synced; metadata files fsync'd, then renamed",
                "podman", "layer files not synced; metadata files fdatasync'd, then renamed; BoltDB commits");
    }

    private static Map<String, String> createDurability() {
        return Map.of("strata", "container row: SQLite commit (WAL fsync); init/container layer dirs not synced",
                "strata-vfs", "as strata (the copied image files are not synced either)",
                "docker", "metadata files fsync'd (config.v2.json, hostconfig.json, ...); layer dirs not synced",
                "podman", "containers.json and BoltDB fdatasync'd; layer dirs not synced");
    }
}
