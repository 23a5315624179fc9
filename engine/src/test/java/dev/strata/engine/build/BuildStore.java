package dev.strata.engine.build;

import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.image.BusyboxRootfs;
import dev.strata.engine.image.ImportOptions;
import dev.strata.engine.runtime.RuntimeOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A store with {@code busybox:latest} imported from the host's static busybox, for build tests; closing it removes
 * every container so that nothing outlives the test class.
 */
final class BuildStore implements AutoCloseable {
    static final String BASE = "busybox:latest";

    final Path work;
    final Strata strata;

    BuildStore(Path work, Strata strata) {
        this.work = work;
        this.strata = strata;
    }

    static BuildStore open(Path work) throws Exception {
        Strata strata = Strata.open(new StrataOptions(work.resolve("root"), Optional.of("overlay2"), m -> { },
                RuntimeOptions.defaults()));
        Path tarball = work.resolve("busybox.tar");
        BusyboxRootfs.write(BusyboxRootfs.findOrInstallBusybox(new PrintWriter(new StringWriter())), tarball);
        try (InputStream in = Files.newInputStream(tarball)) {
            strata.images().importImage(in, new ImportOptions(Optional.of(BASE), List.of("CMD [\"sh\"]"), Optional.empty(), "-"));
        }
        return new BuildStore(work, strata);
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
        try (BuildContext context = BuildContext.fromDirectory(dir, Optional.empty());
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            BuildResult result = strata.builder().build(context, options, out);
            return new Outcome(bytes.toString(StandardCharsets.UTF_8), result);
        } catch (Exception e) {
            e.addSuppressed(new RuntimeException("build output:\n" + bytes.toString(StandardCharsets.UTF_8)));
            throw e;
        }
    }

    /** Builds and returns the output even when the build fails. */
    String output(Path dir, BuildOptions options, Exception[] failure) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BuildContext context = BuildContext.fromDirectory(dir, Optional.empty());
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            strata.builder().build(context, options, out);
        } catch (Exception e) {
            failure[0] = e;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The output of a container of {@code image} running its own CMD. */
    String runOutputDefault(String image) throws Exception {
        return runOutput(image);
    }

    /** The output of {@code cat}-like commands run in a fresh container of {@code image}. */
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
        try {
            for (ContainerSummary c : strata.containers().list(true, false)) {
                strata.containers().remove(c.id(), true, true);
            }
        } finally {
            strata.close();
        }
    }
}
