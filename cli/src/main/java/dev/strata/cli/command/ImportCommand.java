package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.image.ImageSummary;
import dev.strata.engine.image.ImportOptions;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Import the contents from a tarball to create a filesystem image.")
public final class ImportCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "file|-", description = "Root file system tarball (tar, tar.gz, tar.zst), or - for stdin.")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    @Option(names = {"-c", "--change"}, paramLabel = "CHANGE", description = "Apply a Dockerfile instruction to the image (CMD, ENV, ...).")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, description = "Set the commit message (history comment) for the imported image.")
    String message;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        ImportOptions options = new ImportOptions(Optional.ofNullable(reference), changes, Optional.ofNullable(message), "-");
        ImageSummary image;
        if (source.equals("-")) {
            image = strata.images().importImage(System.in, options);
        } else {
            try (InputStream in = Files.newInputStream(Path.of(source))) {
                image = strata.images().importImage(in, options);
            } catch (NoSuchFileException e) {
                throw new NotFoundException("import source " + source + " does not exist");
            }
        }
        out().println(image.id());
        return 0;
    }
}
