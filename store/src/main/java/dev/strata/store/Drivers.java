package dev.strata.store;

import dev.strata.driver.Overlay2Driver;
import dev.strata.driver.OverlaySupport;
import dev.strata.driver.StorageDriver;
import dev.strata.driver.VfsDriver;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.metadata.Database;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the storage driver of a root. A new root gets the requested driver (or the best that works here) and
 * remembers it; an existing root is only ever opened with the driver it was created with, because the layer
 * directories of one driver mean nothing to another.
 */
final class Drivers {
    /** A storage driver Strata has: its name, whether it can work for a root here, and how to open it. */
    private record Kind(String name, Usable usable, Opener open, String whyNot) {
    }

    @FunctionalInterface
    private interface Usable {
        boolean at(Path root);
    }

    @FunctionalInterface
    private interface Opener {
        StorageDriver open(Path root) throws IOException;
    }

    /** Every driver, the preferred first: a new root gets the first that works. A new driver is one more entry. */
    private static final List<Kind> KINDS = List.of(
            new Kind(Overlay2Driver.NAME, OverlaySupport::usable, Overlay2Driver::new, "it needs root, a kernel with overlayfs, "
                    + "and a store that is not itself on overlayfs or NFS; use --storage-driver vfs"),
            new Kind(VfsDriver.NAME, root -> true, VfsDriver::new, ""));
    static final List<String> KNOWN = KINDS.stream().map(Kind::name).toList();
    private static final SettingsTable SETTINGS = new SettingsTable();
    private static final String DRIVER = "driver";

    private Drivers() {
    }

    static StorageDriver select(Path root, Database db, Optional<String> requested) throws IOException, StrataException {
        if (requested.isPresent() && !KNOWN.contains(requested.get())) {
            throw new InvalidArgumentException("unknown storage driver \"" + requested.get() + "\"; known: " + String.join(", ", KNOWN));
        }
        String name;
        try (Tx tx = db.read()) {
            Optional<String> recorded = SETTINGS.get(tx, DRIVER);
            tx.commit();
            if (recorded.isPresent() && requested.isEmpty()) {
                return open(root, recorded.get());
            }
        }
        try (Tx tx = db.write()) {
            Optional<String> recorded = SETTINGS.get(tx, DRIVER);
            if (recorded.isPresent()) {
                if (requested.isPresent() && !requested.get().equals(recorded.get())) {
                    throw new InvalidArgumentException("the store at " + root + " was created with the " + recorded.get()
                            + " storage driver and cannot be opened with " + requested.get()
                            + "; drop --storage-driver or use another --root");
                }
                name = recorded.get();
            } else {
                name = requested.orElseGet(() -> KINDS.stream().filter(k -> k.usable().at(root)).findFirst().orElseThrow().name());
                SETTINGS.put(tx, DRIVER, name);
            }
            tx.commit();
        }
        return open(root, name);
    }

    private static StorageDriver open(Path root, String name) throws IOException, StrataException {
        Kind kind = KINDS.stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidArgumentException("the store at " + root + " uses the storage driver \"" + name
                        + "\", which this Strata does not know"));
        if (!kind.usable().at(root)) {
            throw new InvalidArgumentException("the " + name + " storage driver cannot work here: " + kind.whyNot());
        }
        return kind.open().open(root);
    }
}
