package dev.strata.metadata;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite transaction. Rows change inside it; file-system clean-up that must wait until the change is
 * committed (deleting a layer directory after the row that reached it is gone) is queued with
 * {@link #afterCommit}, and clean-up of work that a rollback orphans with {@link #onRollback}.
 */
public final class Tx implements AutoCloseable {
    private final Database db;
    private final Connection connection;
    private final ReentrantLock turn;
    private final List<Action> afterCommit = new ArrayList<>();
    private final List<Action> onRollback = new ArrayList<>();
    private boolean finished;

    /** File-system work queued for after the transaction ends. */
    @FunctionalInterface
    public interface Action {
        void run() throws IOException;
    }

    /** Maps one result row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Tx(Database db, Connection connection, ReentrantLock turn) {
        this.db = db;
        this.connection = connection;
        this.turn = turn;
    }

    static Tx begin(Database db, Connection connection, ReentrantLock turn, String sql) throws IOException {
        if (turn.isHeldByCurrentThread()) {
            throw new IllegalStateException("a transaction is already open on this thread");
        }
        turn.lock();
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            turn.unlock();
            throw new IOException("cannot start a transaction on " + db.file() + ": " + e.getMessage(), e);
        }
        return new Tx(db, connection, turn);
    }

    public int update(String sql, Object... args) throws IOException {
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) throws IOException {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) throws IOException {
        List<T> rows = query(sql, mapper, args);
        if (rows.size() > 1) {
            throw new IOException("expected at most one row from " + sql + ", got " + rows.size());
        }
        return rows.stream().findFirst();
    }

    public long count(String sql, Object... args) throws IOException {
        return queryOne(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    public void execute(String sql) throws IOException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    public void afterCommit(Action action) {
        afterCommit.add(action);
    }

    public void onRollback(Action action) {
        onRollback.add(action);
    }

    public void commit() throws IOException {
        try (Statement s = connection.createStatement()) {
            s.execute("COMMIT");
        } catch (SQLException e) {
            throw new IOException("commit failed on " + db.file() + ": " + e.getMessage(), e);
        }
        finished = true;
        turn.unlock();
        runAll(afterCommit);
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // the connection is gone with the transaction; nothing more to undo in SQLite
        } finally {
            turn.unlock();
        }
        runAll(onRollback);
    }

    private static void runAll(List<Action> actions) throws IOException {
        IOException first = null;
        for (Action a : actions) {
            try {
                a.run();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Optional<?> o) {
                a = o.orElse(null);
            }
            if (a != null && !(a instanceof Number) && !(a instanceof String) && !(a instanceof byte[])) {
                a = a.toString(); // digests and other value types are stored in their text form
            }
            ps.setObject(i + 1, a);
        }
        return ps;
    }

    private IOException failure(String sql, SQLException e) {
        return new IOException("metadata query failed (" + sql.strip().lines().findFirst().orElse(sql) + "): " + e.getMessage(), e);
    }
}
