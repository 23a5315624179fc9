package dev.strata.volume;

import dev.strata.driver.Trees;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.image.ImageJson;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;

/**
 * Volumes under {@code <root>/volumes/<name>/_data}, with their rows and the record of which containers mount
 * them. A volume's directory exists before its row, and goes after its row is gone.
 */
public final class VolumeStore {
    /** Docker's rule for volume names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final Path home;

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
        return tx.queryOne("SELECT name, created, labels, anonymous FROM volumes WHERE name = ?", VolumeStore::row, name);
    }

    public Volume require(Tx tx, String name) throws IOException, NotFoundException {
        return get(tx, name).orElseThrow(() -> new NotFoundException("no such volume: " + name));
    }

    public List<Volume> list(Tx tx) throws IOException {
        return tx.query("SELECT name, created, labels, anonymous FROM volumes ORDER BY name", VolumeStore::row);
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
        tx.update("INSERT INTO volumes (name, created, labels, anonymous) VALUES (?, ?, ?, ?)", name, v.created().toEpochMilli(),
                ImageJson.MAPPER.writeValueAsString(labels), anonymous ? 1 : 0);
        return v;
    }

    /** IDs of the containers that mount the volume. */
    public List<String> users(Tx tx, String name) throws IOException {
        return tx.query("SELECT container_id FROM container_volumes WHERE volume = ? ORDER BY container_id", rs -> rs.getString(1), name);
    }

    /** Volumes a container mounts. */
    public List<Volume> of(Tx tx, String containerId) throws IOException {
        return tx.query("SELECT v.name, v.created, v.labels, v.anonymous FROM volumes v JOIN container_volumes c ON c.volume = v.name "
                + "WHERE c.container_id = ? ORDER BY v.name", VolumeStore::row, containerId);
    }

    public void attach(Tx tx, String containerId, String name) throws IOException {
        tx.update("INSERT OR IGNORE INTO container_volumes (container_id, volume) VALUES (?, ?)", containerId, name);
    }

    public void detachAll(Tx tx, String containerId) throws IOException {
        tx.update("DELETE FROM container_volumes WHERE container_id = ?", containerId);
    }

    /** Removes a volume that no container uses; its directory goes after commit. */
    public void remove(Tx tx, String name) throws IOException, NotFoundException, ConflictException {
        require(tx, name);
        List<String> users = users(tx, name);
        if (!users.isEmpty()) {
            throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }
        tx.update("DELETE FROM volumes WHERE name = ?", name);
        tx.afterCommit(() -> Trees.deleteRecursively(home.resolve(name)));
    }

    /** Volume directories that rows reach, for the sweep. */
    public Set<String> names(Tx tx) throws IOException {
        return new HashSet<>(tx.query("SELECT name FROM volumes", rs -> rs.getString(1)));
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

    private static Volume row(ResultSet rs) throws SQLException {
        Map<String, String> labels = ImageJson.MAPPER.readValue(rs.getString("labels"), new TypeReference<Map<String, String>>() { });
        return new Volume(rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created")), labels, rs.getInt("anonymous") == 1);
    }
}
