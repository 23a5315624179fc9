package dev.strata.engine.runtime;

import dev.strata.sys.Linux;
import java.nio.file.Path;
import java.util.List;

/**
 * How containers are run: the OCI runtime and the container monitor, the init for {@code --init}, where runtime
 * state lives, and the command conmon runs when a container exits.
 *
 * @param runtime the OCI runtime, a path or a name looked up in {@code PATH} ({@code runc}; {@code crun} where the
 *     host supports it); {@code $STRATA_RUNTIME} by default
 * @param conmon the container monitor ({@code $STRATA_CONMON}, else {@code conmon})
 * @param init what {@code --init} runs as PID 1 ({@code $STRATA_INIT}, else Debian's static tini)
 * @param runDir runtime state that must not survive a reboot: the OCI runtime's container state lives in
 *     {@code <runDir>/runc}; {@code /run/strata} as root
 * @param exitCommand program and arguments that conmon runs after the container exited, followed by
 *     {@code --root <store> container cleanup <id>}: it records the exit, unmounts, and removes {@code --rm}
 *     containers; empty for none (then the next command that looks at the container does it)
 */
public record RuntimeOptions(String runtime, String conmon, Path init, Path runDir, List<String> exitCommand) {
    public RuntimeOptions {
        exitCommand = List.copyOf(exitCommand);
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(env("STRATA_RUNTIME", "runc"), env("STRATA_CONMON", "conmon"),
                Path.of(env("STRATA_INIT", "/usr/bin/tini-static")), defaultRunDir(), List.of());
    }

    public RuntimeOptions withExitCommand(List<String> command) {
        return new RuntimeOptions(runtime, conmon, init, runDir, command);
    }

    public RuntimeOptions withRuntime(String path) {
        return new RuntimeOptions(path, conmon, init, runDir, exitCommand);
    }

    private static Path defaultRunDir() {
        if (Linux.isRoot()) {
            return Path.of("/run/strata");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isEmpty() ? Path.of(xdg, "strata") : Path.of(System.getProperty("java.io.tmpdir"), "strata-run");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
