package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.container.CopyOptions;
import dev.strata.error.StrataException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cp", description = {"Copy files/folders between a container and the local filesystem.",
    "  strata cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-",
    "  strata cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
    "Use '-' as the source to read a tar archive from stdin and extract it to a directory destination in a container.",
    "Use '-' as the destination to stream a tar archive of a container source to stdout."})
public final class CpCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information).")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symlinks in SRC_PATH.")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output (there is none; accepted for Docker's sake).")
    boolean quiet;

    @Override
    int run(Strata strata) throws IOException, StrataException {
        CopyOptions options = new CopyOptions(followLink, archive);
        OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
        try {
            strata.containers().copy().copy(source, destination, options, new BufferedInputStream(System.in, 1 << 16), stdout);
        } finally {
            stdout.flush();
        }
        return 0;
    }
}
