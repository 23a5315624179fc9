package dev.strata.metadata;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metadata database, {@code <root>/strata.db}: SQLite in WAL mode, shared by every Strata process that opens
 * the root. Writers use {@code BEGIN IMMEDIATE} so two processes never deadlock upgrading a read lock; one
 * {@link Tx} per user action.
 */
public final class Database implements AutoCloseable {
    /** How long a writer waits for another process's transaction before giving up. */
    private static final int BUSY_TIMEOUT_MS = 60_000;

    private final Path file;
    private final Connection connection;
    /** One connection per process: threads of one process take turns, one transaction at a time. */
    private final ReentrantLock turn = new ReentrantLock();

    private static final String EXTRACTION_PREFIX = "strata-sqlite-";

    /*
     * sqlite-jdbc copies its native library into java.io.tmpdir at every start and deletes the copies it takes for
     * stale; two processes starting at once race on that and one logs "SEVERE: Failed to delete old native lib" on
     * stderr, in the middle of a command's output. Unless the launcher named a library (org.sqlite.lib.path) or a
     * directory, each process extracts into a directory of its own, named by its PID and removed at exit; those of
     * processes that were killed are removed by the next process that starts.
     */
    static {
        if (System.getProperty("org.sqlite.lib.path") == null && System.getProperty("org.sqlite.tmpdir") == null) {
            try {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                removeExtractionsOfDeadProcesses(tmp);
                Path dir = Files.createTempDirectory(tmp, EXTRACTION_PREFIX + ProcessHandle.current().pid() + "-");
                dir.toFile().deleteOnExit(); // registered first, so deleted after the library in it
                System.setProperty("org.sqlite.tmpdir", dir.toString());
            } catch (IOException | RuntimeException e) {
                // sqlite-jdbc's default place then
            }
        }
    }

    private static void removeExtractionsOfDeadProcesses(Path tmp) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, EXTRACTION_PREFIX + "*")) {
            for (Path dir : dirs) {
                String rest = dir.getFileName().toString().substring(EXTRACTION_PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    if (dash > 0 && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty()) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                            for (Path f : files) {
                                Files.deleteIfExists(f);
                            }
                        }
                        Files.deleteIfExists(dir);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not ours, or another process removes it at the same time
                }
            }
        }
    }

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    public static Database open(Path file) throws IOException {
        Properties props = new Properties();
        props.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
                s.execute("PRAGMA journal_mode = WAL");
                // FULL: a committed action survives power loss, as durable as Docker's boltdb commits.
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA foreign_keys = ON");
            }
            Database db = new Database(file, c);
            Schema.migrate(db);
            return db;
        } catch (SQLException e) {
            throw new IOException("cannot open metadata database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Starts the one writer transaction of a user action. */
    public Tx write() throws IOException {
        return Tx.begin(this, connection, turn, "BEGIN IMMEDIATE");
    }

    /** A read-only transaction: a consistent snapshot for a command that only reads. */
    public Tx read() throws IOException {
        return Tx.begin(this, connection, turn, "BEGIN DEFERRED");
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("closing " + file + ": " + e.getMessage(), e);
        }
    }
}
