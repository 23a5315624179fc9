package dev.strata.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an operation's steps may use during one storage area's runs: the inputs, the scale, the area, a local
 * registry (started on first use), and a run number that the setup, command and cleanup of one run share (for
 * unique container and image names).
 */
final class Ctx {
    private final Inputs inputs;
    private final Scale scale;
    private final StorageArea area;
    private final Path rawDir;
    private final Cleanup cleanup;
    private final PrintStream log;
    private Registry registry;
    private int generation;
    private boolean seeded;
    private int run;

    Ctx(Inputs inputs, Scale scale, StorageArea area, Path rawDir, Cleanup cleanup, PrintStream log) {
        this.inputs = inputs;
        this.scale = scale;
        this.area = area;
        this.rawDir = rawDir;
        this.cleanup = cleanup;
        this.log = log;
    }

    Inputs inputs() {
        return inputs;
    }

    Scale scale() {
        return scale;
    }

    StorageArea area() {
        return area;
    }

    PrintStream log() {
        return log;
    }

    /** Starts the next run; its number makes names unique in a store. */
    void nextRun() {
        run++;
    }

    int run() {
        return run;
    }

    /** A directory of the area for files a tool's commands write outside its store (saved archives). */
    Path files(Tool tool) throws BenchException {
        return area.dirFor(tool.name() + "-files");
    }

    /** A file for Dockerfiles and small contexts, written once per area. */
    Path writeInput(String relative, String content) throws BenchException {
        Path p = area.base().resolve("inputs").resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            if (!Files.exists(p) || !Files.readString(p).equals(content)) {
                Files.writeString(p, content);
            }
            return p;
        } catch (IOException e) {
            throw new BenchException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    /** The running local registry, started on first use. */
    Registry registry() throws BenchException {
        if (registry == null) {
            registry = Registry.start(area, area.dirFor("registry-" + (++generation)), rawDir, cleanup);
            seeded = false;
        }
        return registry;
    }

    /**
     * A new, empty registry on a new port (the old one is stopped): a cold push must find no blob there and no tool
     * may know a location from which it could mount one (Podman's blob-info cache is machine-wide).
     */
    Registry freshRegistry() throws BenchException {
        stopRegistry();
        return registry();
    }

    /**
     * The registry holding {@link #SEED_REPO}: the benchmark image pushed by skopeo from the input tarball
     * (gzip-compressed layer, as registries usually serve them), the same bytes for every tool to pull.
     */
    Registry seededRegistry() throws BenchException {
        Registry r = registry();
        if (!seeded) {
            Exec.run(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                    "tarball:" + inputs.image(), "docker://" + r.address() + "/" + SEED_REPO), java.util.Map.of(),
                    Exec.DEFAULT_TIMEOUT).check();
            seeded = true;
        }
        return r;
    }

    static final String SEED_REPO = "bench/seed:latest";

    void stopRegistry() {
        if (registry != null) {
            registry.close();
            registry = null;
            seeded = false;
        }
    }
}
