package dev.strata.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every Strata command line the benchmarks run, in one place. When the CLI changes, change it here only.
 * Commands that do not exist yet (run, start, build, pull, push) are written as Docker spells them, with the
 * flags their branches have so far; an operation that needs one is skipped while {@code strata --help} does not
 * list it, and runs the day it does.
 *
 * @param launcher the {@code strata} launcher script ({@code <repo>/strata} unless overridden)
 * @param root     the store root for this run ({@code --root})
 * @param driver   {@code --storage-driver} for a new store, when not the default (overlay2)
 */
record StrataCli(Path launcher, Path root, Optional<String> driver) {
    /** Sub-commands an operation may need; {@code bench/run --smoke} runs the operations whose commands exist. */
    static final String IMPORT = "import";
    static final String IMAGES = "images";
    static final String HISTORY = "history";
    static final String TAG = "tag";
    static final String RMI = "rmi";
    static final String SAVE = "save";
    static final String LOAD = "load";
    static final String CREATE = "create";
    static final String PS = "ps";
    static final String MOUNT = "mount";
    static final String UMOUNT = "umount";
    static final String COMMIT = "commit";
    static final String VOLUME = "volume";
    static final String RUN = "run";
    static final String START = "start";
    static final String BUILD = "build";
    static final String PULL = "pull";
    static final String PUSH = "push";

    StrataCli(Path launcher, Path root) {
        this(launcher, root, Optional.empty());
    }

    List<String> importTar(Path tarball, String reference) {
        return withRoot(IMPORT, tarball.toString(), reference);
    }

    List<String> images() {
        return withRoot(IMAGES);
    }

    List<String> history(String image) {
        return withRoot(HISTORY, image);
    }

    List<String> tag(String source, String target) {
        return withRoot(TAG, source, target);
    }

    List<String> removeImage(String reference) {
        return withRoot(RMI, reference);
    }

    /** {@code save} in Docker's current archive layout, like {@code docker save}. */
    List<String> save(String image, Path output) {
        return withRoot(SAVE, "--format", "docker", "-o", output.toString(), image);
    }

    List<String> load(Path input) {
        return withRoot(LOAD, "-q", "-i", input.toString());
    }

    /** {@code create [--name NAME] IMAGE COMMAND...}; Strata has no network to set up, so no --network. */
    List<String> create(Optional<String> name, String image, String... command) {
        List<String> a = new ArrayList<>(List.of(CREATE));
        name.ifPresent(n -> a.addAll(List.of("--name", n)));
        a.add(image);
        a.addAll(List.of(command));
        return withRoot(a.toArray(String[]::new));
    }

    /** {@code create --name NAME --network none IMAGE COMMAND...}, for a container that will start (runtime branch). */
    List<String> createForStart(Optional<String> name, String image, String... command) {
        List<String> a = new ArrayList<>(List.of(CREATE));
        name.ifPresent(n -> a.addAll(List.of("--name", n)));
        a.addAll(List.of("--network", "none", image));
        a.addAll(List.of(command));
        return withRoot(a.toArray(String[]::new));
    }

    List<String> ps() {
        return withRoot(PS, "-a");
    }

    List<String> mount(String container) {
        return withRoot(MOUNT, container);
    }

    List<String> umount(String container) {
        return withRoot(UMOUNT, container);
    }

    List<String> commit(String container, String reference) {
        return withRoot(COMMIT, container, reference);
    }

    List<String> removeVolume(String name) {
        return withRoot(VOLUME, "rm", "-f", name);
    }

    /** {@code run [--rm] [--name NAME] --network none [-v VOL:/data] IMAGE COMMAND...} (runtime branch flags). */
    List<String> run(boolean rm, Optional<String> name, Optional<String> volume, String image, String... command) {
        List<String> a = new ArrayList<>(List.of(RUN));
        if (rm) {
            a.add("--rm");
        }
        name.ifPresent(n -> a.addAll(List.of("--name", n)));
        a.addAll(List.of("--network", "none"));
        volume.ifPresent(v -> a.addAll(List.of("-v", v)));
        a.add(image);
        a.addAll(List.of(command));
        return withRoot(a.toArray(String[]::new));
    }

    List<String> startAttached(String container) {
        return withRoot(START, "-a", container);
    }

    /** {@code build --network none -t TAG -f DOCKERFILE CONTEXT}, as Docker's CLI spells it. */
    List<String> build(String tag, Path dockerfile, Path context) {
        return withRoot(BUILD, "--network", "none", "-t", tag, "-f", dockerfile.toString(), context.toString());
    }

    /** Pull and push: 127.0.0.0/8 is plain HTTP without a flag, as for Docker (registry branch). */
    List<String> pull(String reference) {
        return withRoot(PULL, "-q", reference);
    }

    List<String> push(String reference) {
        return withRoot(PUSH, "-q", reference);
    }

    List<String> version() {
        return List.of(launcher.toString(), "--version");
    }

    List<String> help() {
        return List.of(launcher.toString(), "--help");
    }

    private List<String> withRoot(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--root", root.toString()));
        driver.ifPresent(d -> cmd.addAll(List.of("--storage-driver", d)));
        cmd.addAll(List.of(args));
        return List.copyOf(cmd);
    }
}
