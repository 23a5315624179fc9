package dev.strata.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strata, driven through its launcher exactly as a user would run it. No daemon. {@link #vfs} is the same launcher
 * with {@code --storage-driver vfs}: a row of its own (strata-vfs) in the operations that ask for it.
 */
final class StrataTool implements Tool {
    private final Path launcher;
    private final Optional<String> driver;
    private Path root;
    private Path storeDir;
    private Path toolDir;
    private StorageArea area;
    private int generation;
    private String state = "dirty";
    private Set<String> subcommands;

    StrataTool(Path launcher) {
        this(launcher, Optional.empty());
    }

    private StrataTool(Path launcher, Optional<String> driver) {
        this.launcher = launcher.toAbsolutePath().normalize();
        this.driver = driver;
    }

    /** Strata on the vfs driver (full copies), with its own stores. */
    static StrataTool vfs(Path launcher) {
        return new StrataTool(launcher, Optional.of("vfs"));
    }

    @Override
    public String name() {
        return driver.map(d -> "strata-" + d).orElse("strata");
    }

    Path launcher() {
        return launcher;
    }

    /** Why Strata cannot run at all, if so (launcher missing or not executable). */
    Optional<String> unavailableReason() {
        if (!Files.exists(launcher)) {
            return Optional.of("Strata launcher not found at " + launcher + " (set --strata PATH or STRATA)");
        }
        if (!Files.isExecutable(launcher)) {
            return Optional.of("Strata launcher " + launcher + " is not executable");
        }
        return Optional.empty();
    }

    /** Sub-commands listed under "Commands:" in {@code strata --help} (picocli's usage layout). */
    Set<String> subcommands() {
        if (subcommands == null) {
            subcommands = new LinkedHashSet<>();
            if (unavailableReason().isEmpty()) {
                try {
                    Exec.Result r = Exec.run(cli(Path.of("/nonexistent")).help(), Map.of(), Duration.ofMinutes(5));
                    subcommands.addAll(parseCommands(r.out()));
                } catch (BenchException e) {
                    // no commands then; reported by the caller
                }
            }
        }
        return subcommands;
    }

    static Set<String> parseCommands(String usage) {
        Set<String> found = new LinkedHashSet<>();
        boolean inCommands = false;
        for (String line : usage.lines().toList()) {
            if (line.strip().equalsIgnoreCase("Commands:")) {
                inCommands = true;
                continue;
            }
            if (inCommands) {
                if (line.isBlank() || !Character.isWhitespace(line.charAt(0))) {
                    if (!line.isBlank()) {
                        inCommands = false;
                    }
                    continue;
                }
                String first = line.strip().split("[\\s,]+")[0];
                if (first.matches("[a-z][a-z0-9-]*")) {
                    found.add(first);
                }
            }
        }
        return found;
    }

    StrataCli cli() {
        if (root == null) {
            throw new IllegalStateException("strata not started");
        }
        return cli(root);
    }

    private StrataCli cli(Path r) {
        return new StrataCli(launcher, r, driver);
    }

    @Override
    public void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException {
        this.area = area;
        toolDir = area.dirFor(name());
        generation = 0;
        storeDir = null;
        freshStore();
    }

    /** A new root; initialised by an untimed {@code strata images} when that command exists. */
    @Override
    public void freshStore() throws BenchException {
        Cleanup.checkNotShuttingDown();
        Tool.dropIfTmpfs(area, storeDir);
        storeDir = toolDir.resolve("s" + (++generation));
        root = storeDir.resolve("root");
        try {
            java.nio.file.Files.createDirectories(storeDir.resolve("client"));
        } catch (java.io.IOException e) {
            throw new BenchException("cannot create " + storeDir + ": " + e.getMessage(), e);
        }
        state = "dirty";
        if (subcommands().contains(StrataCli.IMAGES)) {
            Exec.run(cli().images(), env(), Exec.DEFAULT_TIMEOUT).check();
        }
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
        return storeDir;
    }

    @Override
    public void stop() {
        // nothing runs between commands
    }

    /**
     * Keeps the machine's configuration out of the run: no /etc/strata/strata.json, no registry credentials or
     * insecure-registry list from the host.
     */
    @Override
    public Map<String, String> env() {
        if (storeDir == null) {
            return Map.of();
        }
        return Map.of("STRATA_CONFIG", storeDir.resolve("no-strata.json").toString(),
                "STRATA_REGISTRIES_CONFIG", storeDir.resolve("no-registries.json").toString(),
                "DOCKER_CONFIG", storeDir.resolve("client").toString());
    }

    @Override
    public String version() {
        return unavailableReason().orElseGet(() -> Exec.firstLine(cli(Path.of("/nonexistent")).version()));
    }

    @Override
    public String describe() {
        return "`" + launcher + " --root <area>/" + name() + "/s<N>/root" + driver.map(d -> " --storage-driver " + d).orElse("")
                + " …` (no daemon); STRATA_CONFIG, STRATA_REGISTRIES_CONFIG and DOCKER_CONFIG point into the store's"
                + " directory, so nothing of the host's configuration applies";
    }
}
