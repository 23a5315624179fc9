package dev.strata.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Strata, driven through its launcher exactly as a user would run it. No daemon. */
final class StrataTool implements Tool {
    private final Path launcher;
    private Path root;
    private Path toolDir;
    private int generation;
    private boolean used;
    private Set<String> subcommands;
    private boolean wipedInsteadOfRmi;

    StrataTool(Path launcher) {
        this.launcher = launcher.toAbsolutePath().normalize();
    }

    @Override
    public String name() {
        return "strata";
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
        return new StrataCli(launcher, r);
    }

    @Override
    public void start(StorageArea area, Path logDir, Cleanup cleanup) throws BenchException {
        toolDir = area.dirFor("strata");
        generation = 0;
        freshStore();
    }

    /** A new root; initialised by an untimed {@code strata images} when that command exists. */
    @Override
    public void freshStore() throws BenchException {
        Cleanup.checkNotShuttingDown();
        root = toolDir.resolve("s" + (++generation)).resolve("root");
        used = false;
        if (subcommands().contains(StrataCli.IMAGES)) {
            Exec.run(cli().images(), env(), Exec.DEFAULT_TIMEOUT).check();
        }
    }

    @Override
    public boolean storeUsed() {
        return used;
    }

    @Override
    public void markStoreUsed() {
        used = true;
    }

    @Override
    public void stop() {
        // nothing runs between commands
    }

    @Override
    public Map<String, String> env() {
        return Map.of();
    }

    /** {@code strata rmi}; while that command does not exist or fails, the store root is wiped instead. */
    @Override
    public void removeImage(String ref) throws BenchException {
        if (subcommands().contains(StrataCli.RMI) && Exec.run(cli().removeImage(ref)).ok()) {
            return;
        }
        wipedInsteadOfRmi = true;
        Mounts.unmountUnder(root);
        Mounts.deleteTree(root);
    }

    boolean wipedInsteadOfRmi() {
        return wipedInsteadOfRmi;
    }

    @Override
    public String version() {
        return unavailableReason().orElseGet(() -> Exec.firstLine(cli(Path.of("/nonexistent")).version()));
    }

    @Override
    public String describe() {
        return "`" + launcher + " --root <area>/strata/s<N>/root …` (no daemon)";
    }
}
