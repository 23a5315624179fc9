package dev.strata.bench;

import java.time.Duration;
import java.util.List;

/** The operations of the suite. Add new ones here; Strata's command lines live in {@link StrataCli}. */
final class Operations {
    static final String DEBIAN_REF = "bench:debian";

    private Operations() {
    }

    static List<Operation> all(Inputs in) {
        return List.of(
                new Operation("images-empty",
                        "`images` on an empty store: start-up and listing latency, process start to exit",
                        List.of(StrataCli.IMAGES),
                        Tool::ensureEmptyStore,
                        tool -> switch (tool) {
                            case StrataTool s -> s.cli().images();
                            case DockerTool d -> d.cli("images");
                            case PodmanTool p -> p.cli("images");
                        },
                        Operation.Action.NONE,
                        false, false, Duration.ofMinutes(2)),
                new Operation("import-debian",
                        "`import` of the Debian bookworm minbase rootfs tarball (" + sizeMb(in.debian())
                                + ", uncompressed) as " + DEBIAN_REF + " into an empty store",
                        List.of(StrataCli.IMPORT),
                        Tool::ensureEmptyStore,
                        tool -> switch (tool) {
                            case StrataTool s -> s.cli().importTar(in.debian(), DEBIAN_REF);
                            case DockerTool d -> d.cli("import", in.debian().toString(), DEBIAN_REF);
                            case PodmanTool p -> p.cli("import", "--quiet", in.debian().toString(), DEBIAN_REF);
                        },
                        Operation.Action.NONE,
                        true, false, Duration.ofMinutes(15)));
    }

    private static String sizeMb(java.nio.file.Path p) {
        try {
            return String.format("%.0f MB", java.nio.file.Files.size(p) / 1e6);
        } catch (java.io.IOException e) {
            return "size unknown";
        }
    }
}
