package dev.strata.engine.build;

import dev.strata.engine.Strata;
import dev.strata.engine.container.BusyboxStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A store with {@code busybox:latest} imported from the host's static busybox, for build tests; closing it removes
 * every container so that nothing outlives the test class.
 */
final class BuildStore implements AutoCloseable {
    static final String BASE = BusyboxStore.IMAGE;

    final Path work;
    final Strata strata;
    /** What {@link #close} closes: the busybox store when {@link #open} made it, nothing for a borrowed Strata. */
    private final AutoCloseable owned;

    /** Builds through {@code strata}, which the caller keeps and closes. */
    BuildStore(Path work, Strata strata) {
        this(work, strata, () -> { });
    }

    private BuildStore(Path work, Strata strata, AutoCloseable owned) {
        this.work = work;
        this.strata = strata;
        this.owned = owned;
    }

    static BuildStore open(Path work) throws Exception {
        BusyboxStore busybox = BusyboxStore.open(work, "overlay2");
        return new BuildStore(work, busybox.strata, busybox);
    }

    /** What a build printed and made (or the exception it threw). */
    record Outcome(String output, BuildResult result) {
    }

    /** Writes {@code files} (name, content, name, content, ...) into a fresh context directory. */
    Path context(String name, String... files) throws Exception {
        Path dir = work.resolve("ctx-" + name);
        Files.createDirectories(dir);
        for (int i = 0; i < files.length; i += 2) {
            Path f = dir.resolve(files[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, files[i + 1]);
        }
        return dir;
    }

    Outcome build(Path dir, BuildOptions options) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            BuildResult result = build(dir, options, bytes);
            return new Outcome(bytes.toString(StandardCharsets.UTF_8), result);
        } catch (Exception e) {
            e.addSuppressed(new RuntimeException("build output:\n" + bytes.toString(StandardCharsets.UTF_8)));
            throw e;
        }
    }

    /** Builds and returns the output even when the build fails. */
    String output(Path dir, BuildOptions options, Exception[] failure) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            build(dir, options, bytes);
        } catch (Exception e) {
            failure[0] = e;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private BuildResult build(Path dir, BuildOptions options, ByteArrayOutputStream bytes) throws Exception {
        try (BuildContext context = BuildContext.fromDirectory(dir, Optional.empty());
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            return strata.builder().build(context, options, out);
        }
    }

    /** The output of {@code command} (the image's own CMD when none) run in a fresh container of {@code image}. */
    String runOutput(String image, String... command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var result = strata.containers().run(dev.strata.engine.container.CreateOptions.of(image, command),
                Optional.of(dev.strata.engine.container.AttachStreams.output(bytes, bytes)));
        strata.containers().remove(result.id(), true, true);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The image's {@code config} section. */
    dev.strata.image.ContainerConfig config(String image) throws Exception {
        return strata.store().images().config(dev.strata.digest.Digest.parse(strata.images().inspect(image).id())).configOrEmpty();
    }

    @Override
    public void close() throws Exception {
        owned.close();
    }
}
