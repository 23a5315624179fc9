package dev.strata.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every Strata command line the benchmarks run, in one place. When the CLI changes, change it here only.
 *
 * @param launcher the {@code strata} launcher script ({@code <repo>/strata} unless overridden)
 * @param root     the store root for this run ({@code --root})
 */
record StrataCli(Path launcher, Path root) {
    /** Sub-commands an operation may need; {@code bench/run --smoke} runs the operations whose command exists. */
    static final String IMPORT = "import";
    static final String IMAGES = "images";
    static final String RMI = "rmi";

    List<String> importTar(Path tarball, String reference) {
        return withRoot(IMPORT, tarball.toString(), reference);
    }

    List<String> images() {
        return withRoot(IMAGES);
    }

    List<String> removeImage(String reference) {
        return withRoot(RMI, reference);
    }

    List<String> version() {
        return List.of(launcher.toString(), "--version");
    }

    List<String> help() {
        return List.of(launcher.toString(), "--help");
    }

    private List<String> withRoot(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        return List.copyOf(cmd);
    }
}
