package dev.strata.engine.container;

import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.image.BusyboxRootfs;
import dev.strata.engine.image.ImportOptions;
import dev.strata.engine.runtime.RuntimeOptions;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A store with a busybox image built from the host's static busybox, for tests that run real containers; closing
 * it force-removes every container (killing what runs) so that no process or mount outlives the test.
 */
public final class BusyboxStore implements AutoCloseable {
    public static final String IMAGE = "busybox:latest";

    public final Path root;
    public final Strata strata;

    private BusyboxStore(Path root, Strata strata) {
        this.root = root;
        this.strata = strata;
    }

    public static BusyboxStore open(Path work, String driver) throws Exception {
        return open(work, driver, RuntimeOptions.defaults());
    }

    public static BusyboxStore open(Path work, String driver, RuntimeOptions runtime) throws Exception {
        Path root = work.resolve("root");
        Strata strata = Strata.open(new StrataOptions(root, Optional.of(driver), m -> { }, runtime));
        Path tarball = work.resolve("busybox.tar");
        BusyboxRootfs.write(BusyboxRootfs.findOrInstallBusybox(new PrintWriter(new StringWriter())), tarball);
        try (InputStream in = Files.newInputStream(tarball)) {
            strata.images().importImage(in, new ImportOptions(Optional.of(IMAGE), List.of("CMD [\"sh\"]"), Optional.empty(), "-"));
        }
        return new BusyboxStore(root, strata);
    }

    @Override
    public void close() throws Exception {
        try {
            for (ContainerSummary c : strata.containers().views().list(true, false)) {
                strata.containers().remove(c.id(), true, false);
            }
        } finally {
            strata.close();
        }
    }
}
