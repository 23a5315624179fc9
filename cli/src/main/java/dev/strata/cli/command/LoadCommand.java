package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.image.LoadedImage;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.reference.Reference;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "load", description = "Load images from a tar archive (docker-archive or OCI layout) or STDIN.")
public final class LoadCommand extends StoreCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from tar archive file, instead of STDIN.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output.")
    boolean quiet;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        List<LoadedImage> loaded;
        if (input == null) {
            loaded = strata.archives().load(new BufferedInputStream(System.in, 1 << 16), "stdin");
        } else {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
                loaded = strata.archives().load(in, input.toString());
            } catch (NoSuchFileException e) {
                throw new NotFoundException("open " + input + ": no such file or directory");
            }
        }
        if (!quiet) {
            for (LoadedImage image : loaded) {
                if (image.tags().isEmpty()) {
                    out().println("Loaded image ID: " + image.id());
                }
                for (Reference tag : image.tags()) {
                    out().println("Loaded image: " + tag.familiarString());
                }
            }
        }
        return 0;
    }
}
