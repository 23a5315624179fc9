package dev.strata.volume;

import dev.strata.driver.Trees;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Volumes under {@code <root>/volumes/<name>/_data}, with their rows and the record of which containers mount
 * them. A volume's directory exists before its row, and goes after its row is gone.
 */
public final class VolumeStore {
    /** Docker's rule for volume names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final Path home;
    private final VolumesTable rows = new VolumesTable();

    public VolumeStore(Path storeRoot) throws IOException {
        this.home = storeRoot.resolve("volumes");
        Files.createDirectories(home);
    }

    public Path home() {
        return home;
    }

    /** Where containers see the volume's files. */
    public Path dataDir(String name) {
        return home.resolve(name).resolve("_data");
    }

    /**
     * Where a volume's directory is put together before it is renamed to {@code <name>/} (a migrated volume's copied
     * data): a name no volume can have, so the sweep removes what an interrupted action left there.
     */
    public Path stagingDir(String name) {
        return home.resolve(STAGING + name);
    }

    /** True for a directory name under {@code volumes/} that {@link #stagingDir} made. */
    public static boolean isStaging(String directoryName) {
        return directoryName.startsWith(STAGING);
    }

    private static final String STAGING = ".incoming-";

    public static void checkName(String name) throws InvalidArgumentException {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidArgumentException("invalid volume name \"" + name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }

    public Optional<Volume> get(Tx tx, String name) throws IOException {
        return rows.get(tx, name);
    }

    public Volume require(Tx tx, String name) throws IOException, NotFoundException {
        return get(tx, name).orElseThrow(() -> new NotFoundException("no such volume: " + name));
    }

    public List<Volume> list(Tx tx) throws IOException {
        return rows.list(tx);
    }

    /** Makes the directory (if needed) and the row, or returns the volume that exists with that name. */
    public Volume create(Tx tx, String name, Map<String, String> labels, boolean anonymous) throws IOException, InvalidArgumentException {
        checkName(name);
        Optional<Volume> existing = get(tx, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path data = dataDir(name);
        boolean made = !Files.exists(data);
        Files.createDirectories(data);
        if (made) {
            tx.onRollback(() -> Trees.deleteRecursively(home.resolve(name)));
        }
        Volume v = new Volume(name, Instant.ofEpochMilli(System.currentTimeMillis()), Map.copyOf(labels), anonymous);
        rows.insert(tx, v);
        return v;
    }

    /** IDs of the containers that mount the volume. */
    public List<String> users(Tx tx, String name) throws IOException {
        return rows.users(tx, name);
    }

    /** Volumes a container mounts. */
    public List<Volume> of(Tx tx, String containerId) throws IOException {
        return rows.of(tx, containerId);
    }

    public void attach(Tx tx, String containerId, String name) throws IOException {
        rows.attach(tx, containerId, name);
    }

    public void detachAll(Tx tx, String containerId) throws IOException {
        rows.detachAll(tx, containerId);
    }

    /** Removes a volume that no container uses; its directory goes after commit. */
    public void remove(Tx tx, String name) throws IOException, NotFoundException, ConflictException {
        require(tx, name);
        List<String> users = users(tx, name);
        if (!users.isEmpty()) {
            throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }
        rows.delete(tx, name);
        tx.afterCommit(() -> Trees.deleteRecursively(home.resolve(name)));
    }

    /** Volume directories that rows reach, for the sweep. */
    public Set<String> names(Tx tx) throws IOException {
        return rows.names(tx);
    }

    /** Directories on disk under volumes/. */
    public Set<String> directories() throws IOException {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        }
        return out;
    }

    /** True when the volume's data directory is missing or holds nothing. */
    public boolean isEmpty(String name) throws IOException {
        Path data = dataDir(name);
        if (!Files.isDirectory(data)) {
            return true;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(data)) {
            return !ds.iterator().hasNext();
        }
    }

    public void deleteDirectory(String name) throws IOException {
        Trees.deleteRecursively(home.resolve(name));
    }
}
