package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.engine.SystemInfo;
import java.io.IOException;
import picocli.CommandLine.Command;

@Command(name = "info", description = "Display system-wide information.")
public final class InfoCommand extends StoreCommand {
    @Override
    int run(Strata strata) throws IOException {
        SystemInfo info = strata.info();
        out().println("Images: " + info.images());
        out().println("Layers: " + info.layers());
        out().println("Storage Driver: " + info.storageDriver());
        out().println(" Backing Filesystem: " + info.backingFilesystem());
        for (String[] kv : info.driverStatus()) {
            out().println(" " + kv[0] + ": " + kv[1]);
        }
        out().println("Strata Root Dir: " + info.root());
        return 0;
    }
}
