package dev.strata.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Podman (daemonless): every command gets its own --root, --runroot and --tmpdir under the storage area,
 * runc and the overlay driver, a storage.conf of its own, and TMPDIR (where containers/image stages big
 * blobs, /var/tmp by default) inside the area too, so a tmpfs run really keeps Podman's data in memory.
 */
final class PodmanTool implements Tool {
    static final Path PODMAN = Path.of("/usr/bin/podman");
    /** Limits for {@code podman run}, matching what dockerd gives containers by default. */
    static final List<String> RUN_ULIMITS =
            List.of("--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768");

    private Path toolDir;
    private Path dir;
    private int generation;
    private String state = "dirty";
    private StorageArea area;

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
        dir = toolDir.resolve("s" + (++generation));
        state = "dirty";
        try {
            Files.createDirectories(dir.resolve("root"));
            Files.createDirectories(dir.resolve("runroot"));
            Files.createDirectories(dir.resolve("libpod-tmp"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("storage.conf"), """
                    # written by strata-bench: nothing from /etc/containers/storage.conf
                    [storage]
                    driver = "overlay"
                    graphroot = "%s"
                    runroot = "%s"
                    """.formatted(dir.resolve("root"), dir.resolve("runroot")));
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
                "--runroot", dir.resolve("runroot").toString(),
                "--tmpdir", dir.resolve("libpod-tmp").toString(),
                "--storage-driver", "overlay",
                "--runtime", "runc",
                "--events-backend", "file"));
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

    @Override
    public void stop() {
        // daemonless: nothing to stop; the storage area unmounts what the overlay driver left mounted
    }

    @Override
    public String version() {
        return Exec.firstLine(List.of(PODMAN.toString(), "--version")) + "; "
                + Exec.firstLine(List.of("runc", "--version"));
    }

    @Override
    public String describe() {
        return "`" + PODMAN + " --root --runroot --tmpdir <area>/podman/s<N>/… --storage-driver overlay --runtime runc"
                + " --events-backend file`, own storage.conf, TMPDIR=<area>/podman/s<N>/tmp";
    }
}
