package dev.strata.container;

import dev.strata.digest.Digest;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The owner of the {@code containers} table and of {@code container_states}, what the OCI runtime does with each. */
public final class ContainersTable {
    private static final String COLUMNS = "id, name, image_id, image_name, parent_layer, created, config";
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{1,64}");

    public Optional<Container> get(Tx tx, String id) throws IOException {
        return tx.queryOne("SELECT " + COLUMNS + " FROM containers WHERE id = ?", ContainersTable::row, id);
    }

    public Optional<Container> byName(Tx tx, String name) throws IOException {
        return tx.queryOne("SELECT " + COLUMNS + " FROM containers WHERE name = ?", ContainersTable::row, name);
    }

    /** Newest first, as {@code ps} lists them. */
    public List<Container> list(Tx tx) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM containers ORDER BY created DESC, id", ContainersTable::row);
    }

    /** Containers made from an image. */
    public List<Container> usingImage(Tx tx, Digest imageId) throws IOException {
        return tx.query("SELECT " + COLUMNS + " FROM containers WHERE image_id = ? ORDER BY created DESC", ContainersTable::row, imageId);
    }

    /** Finds a container the way Docker does: full ID, name (with or without a leading slash), unique ID prefix. */
    public Container resolve(Tx tx, String nameOrId) throws IOException, NotFoundException, InvalidArgumentException {
        Optional<Container> exact = get(tx, nameOrId);
        if (exact.isPresent()) {
            return exact.get();
        }
        String name = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        Optional<Container> named = byName(tx, name);
        if (named.isPresent()) {
            return named.get();
        }
        if (HEX_PREFIX.matcher(nameOrId).matches()) {
            List<Container> matches = tx.query("SELECT " + COLUMNS + " FROM containers WHERE id LIKE ? LIMIT 2", ContainersTable::row,
                    nameOrId + "%");
            if (matches.size() == 1) {
                return matches.getFirst();
            }
            if (matches.size() > 1) {
                throw new InvalidArgumentException("container ID prefix \"" + nameOrId + "\" is ambiguous: it matches "
                        + matches.get(0).shortId() + " and " + matches.get(1).shortId() + "; give more digits");
            }
        }
        throw new NotFoundException("No such container: " + nameOrId);
    }

    public void insert(Tx tx, Container c) throws IOException {
        tx.update("INSERT INTO containers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", c.id(), c.name(), c.imageId(),
                c.imageName(), c.parentLayer(), c.created().toEpochMilli(), c.config());
    }

    public void updateConfig(Tx tx, String id, String config) throws IOException {
        tx.update("UPDATE containers SET config = ? WHERE id = ?", config, id);
    }

    public void delete(Tx tx, String id) throws IOException {
        tx.update("DELETE FROM containers WHERE id = ?", id);
    }

    public List<String> ids(Tx tx) throws IOException {
        return tx.query("SELECT id FROM containers", rs -> rs.getString(1));
    }


    private static final String STATE_COLUMNS = "status, pid, pid_start, monitor_pid, monitor_start, boot_id, exit_code, started, "
            + "finished, oom_killed, error";

    /** The runtime state; {@link RunState#CREATED} for a container that was never started. */
    public RunState runState(Tx tx, String id) throws IOException {
        return tx.queryOne("SELECT " + STATE_COLUMNS + " FROM container_states WHERE id = ?", ContainersTable::stateRow, id)
                .orElse(RunState.CREATED);
    }

    /** The runtime states of all containers that were ever started, by ID. */
    public Map<String, RunState> runStates(Tx tx) throws IOException {
        Map<String, RunState> out = new HashMap<>();
        for (Map.Entry<String, RunState> e : tx.query("SELECT id, " + STATE_COLUMNS + " FROM container_states",
                rs -> Map.entry(rs.getString("id"), stateRow(rs)))) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    public void putRunState(Tx tx, String id, RunState s) throws IOException {
        tx.update("INSERT OR REPLACE INTO container_states (id, " + STATE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, s.status().label(), s.pid(), s.pidStart(), s.monitorPid(), s.monitorStart(), s.bootId(), s.exitCode(),
                s.started().map(ContainersTable::nanos), s.finished().map(ContainersTable::nanos), s.oomKilled() ? 1 : 0, s.error());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(0, v));
    }

    private static RunState stateRow(ResultSet rs) throws SQLException {
        return new RunState(ContainerStatus.of(rs.getString("status")), rs.getLong("pid"), rs.getLong("pid_start"),
                rs.getLong("monitor_pid"), rs.getLong("monitor_start"), rs.getString("boot_id"), rs.getInt("exit_code"),
                instant(rs, "started"), instant(rs, "finished"), rs.getInt("oom_killed") != 0, rs.getString("error"));
    }

    private static Container row(ResultSet rs) throws SQLException {
        return new Container(
                rs.getString("id"),
                rs.getString("name"),
                Digest.parse(rs.getString("image_id")),
                rs.getString("image_name"),
                Optional.ofNullable(rs.getString("parent_layer")).map(Digest::parse),
                Instant.ofEpochMilli(rs.getLong("created")),
                rs.getString("config"));
    }
}
