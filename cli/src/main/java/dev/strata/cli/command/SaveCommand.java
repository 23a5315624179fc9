package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.image.SaveFormat;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default).")
public final class SaveCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> names;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to a file, instead of STDOUT.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "docker (default: docker-archive and OCI layout in one, like Docker 25+), docker-legacy (Docker <= 24), oci-archive.")
    String format = "docker";

    @Override
    int run(Strata strata) throws IOException, StrataException {
        SaveFormat f = SaveFormat.parse(format);
        if (output == null) {
            if (System.console() != null) {
                throw new InvalidArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }
            try (OutputStream out = new BufferedOutputStream(System.out, 1 << 16)) {
                strata.archives().save(names, out, f);
            }
            return 0;
        }
        // Write next to the target and rename, so a failed save never leaves a half-written archive under its name.
        Path tmp = output.resolveSibling("." + output.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                strata.archives().save(names, out, f);
            }
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }
}
