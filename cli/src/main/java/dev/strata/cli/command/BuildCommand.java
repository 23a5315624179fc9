package dev.strata.cli.command;

import dev.strata.cli.format.Units;
import dev.strata.engine.Strata;
import dev.strata.engine.build.BuildContext;
import dev.strata.engine.build.BuildFailedException;
import dev.strata.engine.build.BuildOptions;
import dev.strata.engine.build.BuildResult;
import dev.strata.engine.container.HostSpec;
import dev.strata.engine.image.Images;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", description = "Build an image from a Dockerfile.")
public final class BuildCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "PATH|-", description = "The build context: a directory, or - for a Dockerfile "
            + "or a context tar (plain, gzip or zstd) on stdin.")
    String context;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name and optionally a tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Name of the Dockerfile (default: PATH/Dockerfile); "
            + "relative to PATH, else to the current directory; - for stdin.")
    String file;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print the image ID on success.")
    boolean quiet;

    @Option(names = "--build-arg", paramLabel = "NAME[=VALUE]", description = "Set a build-time variable (a bare NAME takes "
            + "its value from the environment).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Set the target build stage to build.")
    String target;

    @Option(names = "--no-cache", description = "Do not use cache when building the image.")
    boolean noCache;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set metadata for an image (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--rm", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Remove intermediate containers after a successful build (default true).")
    boolean rm;

    @Option(names = "--force-rm", description = "Always remove intermediate containers.")
    boolean forceRm;

    @Option(names = "--network", paramLabel = "MODE", defaultValue = "host",
            description = "The network of RUN steps: host (default) or none.")
    String network;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        for (String t : tags) {
            Images.parseTag(Optional.of(t)); // a bad tag fails before anything is sent or built
        }
        BuildOptions options = new BuildOptions(tags, Optional.ofNullable(target), buildArgs(), noCache, keyValues(labels), rm, forceRm,
                network.equals("default") ? HostSpec.NETWORK_HOST : network);
        if (!options.network().equals(HostSpec.NETWORK_HOST) && !options.network().equals(HostSpec.NETWORK_NONE)) {
            throw new InvalidArgumentException("network mode \"" + network + "\" is not supported: use host or none");
        }
        ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        // The steps' output is bytes from containers: it goes to the process's stdout as it comes.
        PrintStream progress = quiet ? new PrintStream(buffered, true, StandardCharsets.UTF_8) : System.out;
        try (BuildContext ctx = openContext()) {
            progress.println("Sending build context to Docker daemon  " + Units.humanSizeWithPrecision(ctx.size(), 4));
            BuildResult result = strata.builder().build(ctx, options, progress);
            if (quiet) {
                out().println(result.id());
            }
            return 0;
        } catch (BuildFailedException e) {
            showBuffered(buffered);
            err().println(e.getMessage());
            return e.exitCode();
        } catch (IOException | StrataException | RuntimeException e) {
            showBuffered(buffered);
            throw e;
        } finally {
            progress.flush();
        }
    }

    /** With {@code -q} the output is shown only when the build fails, as docker does. */
    private void showBuffered(ByteArrayOutputStream buffered) {
        if (quiet && buffered.size() > 0) {
            err().print(buffered.toString(StandardCharsets.UTF_8));
            err().flush();
        }
    }

    private BuildContext openContext() throws IOException, StrataException {
        if (context.equals("-")) {
            if ("-".equals(file)) {
                throw new InvalidArgumentException("invalid argument: can't use stdin for both build context and dockerfile");
            }
            BufferedInputStream in = new BufferedInputStream(System.in, 1 << 16);
            in.mark(512);
            byte[] head = in.readNBytes(512);
            in.reset();
            Path scratch = Files.createTempDirectory("strata-build-");
            Files.delete(scratch); // BuildContext makes it and deletes it on close
            if (BuildContext.isArchive(head, head.length)) {
                return BuildContext.fromTar(in, Optional.ofNullable(file), scratch);
            }
            return BuildContext.dockerfileOnly(in.readAllBytes(), scratch);
        }
        Path dir = Path.of(context);
        if ("-".equals(file)) {
            return BuildContext.fromDirectory(dir, System.in.readAllBytes());
        }
        if (file == null) {
            return BuildContext.fromDirectory(dir, Optional.empty());
        }
        Path f = Path.of(file);
        if (!f.isAbsolute() && Files.exists(dir.resolve(f))) {
            f = dir.resolve(f);
        }
        return BuildContext.fromDirectory(dir, Optional.of(f));
    }

    /** {@code K=V} as given; {@code K} alone takes this process's value, or is dropped when unset (as docker does). */
    private Map<String, String> buildArgs() throws InvalidArgumentException {
        List<String> given = new ArrayList<>();
        for (String a : buildArgs) {
            CreateCommand.variable(a).ifPresent(given::add);
        }
        return keyValues(given);
    }

    private static Map<String, String> keyValues(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            out.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
        }
        return out;
    }
}
