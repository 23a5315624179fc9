package dev.strata.engine;

import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.sys.Linux;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to open Strata.
 *
 * @param root the store's directory
 * @param storageDriver driver for a new store (an existing store keeps its own)
 * @param log where notices go (sweep results, warnings); the CLI sends them to stderr
 * @param runtime how containers run: OCI runtime, monitor, and the command to run when one exits
 */
public record StrataOptions(Path root, Optional<String> storageDriver, Consumer<String> log, RuntimeOptions runtime) {
    /** With the runtime's defaults ({@link RuntimeOptions#defaults()}: from the environment). */
    public StrataOptions(Path root, Optional<String> storageDriver, Consumer<String> log) {
        this(root, storageDriver, log, RuntimeOptions.defaults());
    }

    public StrataOptions withRuntime(RuntimeOptions r) {
        return new StrataOptions(root, storageDriver, log, r);
    }

    /** {@code /var/lib/strata} for root, {@code $XDG_DATA_HOME/strata} (or {@code ~/.local/share/strata}) otherwise. */
    public static Path defaultRoot() {
        if (Linux.isRoot()) {
            return Path.of("/var/lib/strata");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("strata");
    }

    public static StrataOptions at(Path root) {
        return new StrataOptions(root, Optional.empty(), message -> { });
    }
}
