package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Podman (daemonless): every command gets its own --root and --tmpdir under the storage area, a --runroot of
 * its own under /run (Podman refuses a runroot path longer than 50 characters; /run is a tmpfs, as for its default),
 * runc and the overlay driver, a storage.conf of its own, and TMPDIR (where containers/image stages big
 * blobs, /var/tmp by default) inside the area too, so a tmpfs run really keeps Podman's data in memory.
 */
final class PodmanTool implements Tool {
    static final Path PODMAN = Path.of("/usr/bin/podman");
    static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    /** Limits for {@code podman run}, matching what dockerd gives containers by default. */
    static final List<String> RUN_ULIMITS =
            List.of("--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768");

    private Path toolDir;
    private Path dir;
    private int generation;
    private String state = "dirty";
    private StorageArea area;
    private Path runroot;
    /** Short runroots: /run/strata-bench-<harness pid>/<storage>-<generation>. */
    private static final Path RUN_BASE = Path.of("/run", "strata-bench-" + ProcessHandle.current().pid());

    @Override
    public String name() {
        return "podman";
    }

    @Override
    public void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException {
        this.area = area;
        dir = null;
        toolDir = area.dirFor("podman");
        generation = 0;
        freshStore();
    }

    /** New --root/--runroot/--tmpdir/TMPDIR, initialised by an untimed {@code podman images}. */
    @Override
    public void freshStore() throws BenchException {
        Cleanup.checkNotShuttingDown();
        Tool.dropIfTmpfs(area, dir);
        dropRunroot();
        dir = toolDir.resolve("s" + (++generation));
        runroot = RUN_BASE.resolve(area.kind().label() + "-" + generation);
        state = "dirty";
        try {
            Files.createDirectories(dir.resolve("root"));
            Files.createDirectories(runroot);
            Files.createDirectories(dir.resolve("libpod-tmp"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("storage.conf"), """
                    # written by strata-bench: nothing from /etc/containers/storage.conf
                    [storage]
                    driver = "overlay"
                    graphroot = "%s"
                    runroot = "%s"
                    """.formatted(dir.resolve("root"), runroot));
        } catch (IOException e) {
            throw new BenchException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        Exec.run(cli("images"), env(), Exec.DEFAULT_TIMEOUT).check();
        state = "empty";
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public void state(String label) {
        state = label;
    }

    @Override
    public Path storeDir() {
        return dir;
    }

    /** {@code podman --root … --runroot … <args>}. */
    List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(PODMAN.toString(),
                "--root", dir.resolve("root").toString(),
                "--runroot", runroot.toString(),
                "--tmpdir", dir.resolve("libpod-tmp").toString(),
                "--storage-driver", "overlay",
                "--runtime", "runc",
                "--events-backend", "file"));
        cmd.addAll(List.of(args));
        return List.copyOf(cmd);
    }

    /** {@code skopeo <args>}: with {@link #env()}, its {@code containers-storage:} transport is this Podman's store. */
    List<String> skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of(SKOPEO.toString()));
        cmd.addAll(List.of(args));
        return List.copyOf(cmd);
    }

    /** {@code podman … run --ulimit … <args>} for the run operations. */
    List<String> runCli(String... args) {
        List<String> rest = new ArrayList<>(List.of("run"));
        rest.addAll(RUN_ULIMITS);
        rest.addAll(List.of(args));
        return cli(rest.toArray(String[]::new));
    }

    @Override
    public Map<String, String> env() {
        return dir == null ? Map.of() : Map.of(
                "TMPDIR", dir.resolve("tmp").toString(),
                "CONTAINERS_STORAGE_CONF", dir.resolve("storage.conf").toString());
    }

    /** Daemonless: nothing to stop. The storage area unmounts what the overlay driver left mounted; the runroot goes. */
    @Override
    public void stop() {
        try {
            dropRunroot();
            if (Files.isDirectory(RUN_BASE)) {
                try (var left = Files.list(RUN_BASE)) {
                    if (left.findAny().isEmpty()) {
                        Files.deleteIfExists(RUN_BASE);
                    }
                }
            }
        } catch (BenchException | java.io.IOException e) {
            System.err.println("warning: " + e.getMessage());
        }
    }

    private void dropRunroot() throws BenchException {
        if (runroot != null) {
            Mounts.unmountUnder(runroot);
            Mounts.deleteTree(runroot);
            runroot = null;
        }
    }

    @Override
    public String version() {
        return Exec.firstLine(List.of(PODMAN.toString(), "--version")) + "; "
                + Exec.firstLine(List.of("runc", "--version"));
    }

    @Override
    public String describe() {
        return "`" + PODMAN + " --root --tmpdir <area>/podman/s<N>/… --runroot /run/strata-bench-<pid>/<storage>-<N>"
                + " --storage-driver overlay --runtime runc"
                + " --events-backend file`, own storage.conf, TMPDIR=<area>/podman/s<N>/tmp";
    }
}
