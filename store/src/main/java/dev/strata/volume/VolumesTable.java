package dev.strata.volume;

import dev.strata.image.ImageJson;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.type.TypeReference;

/** The owner of the {@code volumes} table and of {@code container_volumes}, which containers mount each volume. */
public final class VolumesTable {
    private static final String COLUMNS = "name, created, labels, anonymous";

    public Optional<Volume> get(Tx tx, String name) throws IOException {
        return tx.queryOne("SELECT " + COLUMNS + " FROM volumes WHERE name = ?", VolumesTable::row, name);
    }

    /** By name. */
    public List<Volume> list(Tx tx) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM volumes ORDER BY name", VolumesTable::row);
    }

    public void insert(Tx tx, Volume v) throws IOException {
        tx.update("INSERT INTO volumes (" + COLUMNS + ") VALUES (?, ?, ?, ?)", v.name(), v.created().toEpochMilli(),
                ImageJson.MAPPER.writeValueAsString(v.labels()), v.anonymous() ? 1 : 0);
    }

    public void delete(Tx tx, String name) throws IOException {
        tx.update("DELETE FROM volumes WHERE name = ?", name);
    }

    /** Every volume's name. */
    public Set<String> names(Tx tx) throws IOException {
        return new HashSet<>(tx.query("SELECT name FROM volumes", rs -> rs.getString(1)));
    }

    /** IDs of the containers that mount the volume, sorted. */
    public List<String> users(Tx tx, String name) throws IOException {
        return tx.query("SELECT container_id FROM container_volumes WHERE volume = ? ORDER BY container_id", rs -> rs.getString(1), name);
    }

    /** Volumes a container mounts, by name. */
    public List<Volume> of(Tx tx, String containerId) throws IOException {
        return tx.query("SELECT v.name, v.created, v.labels, v.anonymous FROM volumes v JOIN container_volumes c ON c.volume = v.name "
                + "WHERE c.container_id = ? ORDER BY v.name", VolumesTable::row, containerId);
    }

    public void attach(Tx tx, String containerId, String name) throws IOException {
        tx.update("INSERT OR IGNORE INTO container_volumes (container_id, volume) VALUES (?, ?)", containerId, name);
    }

    public void detachAll(Tx tx, String containerId) throws IOException {
        tx.update("DELETE FROM container_volumes WHERE container_id = ?", containerId);
    }

    private static Volume row(ResultSet rs) throws SQLException {
        Map<String, String> labels = ImageJson.MAPPER.readValue(rs.getString("labels"), new TypeReference<Map<String, String>>() { });
        return new Volume(rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created")), labels, rs.getInt("anonymous") == 1);
    }
}
