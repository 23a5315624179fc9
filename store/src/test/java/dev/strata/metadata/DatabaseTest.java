package dev.strata.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void migratesANewDatabaseToTheLatestSchemaInWalMode() throws Exception {
        try (Database db = Database.open(dir.resolve("strata.db")); Tx tx = db.read()) {
            assertThat(tx.count("PRAGMA user_version")).isEqualTo(Schema.MIGRATIONS.size());
            assertThat(tx.queryOne("PRAGMA journal_mode", rs -> rs.getString(1))).contains("wal");
            assertThat(tx.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", rs -> rs.getString(1)))
                    .contains("images", "layers", "tags", "repo_digests", "manifests");
            tx.commit();
        }
    }

    @Test
    void refusesASchemaFromTheFuture() throws Exception {
        try (Database db = Database.open(dir.resolve("strata.db")); Tx tx = db.write()) {
            tx.execute("PRAGMA user_version = 999");
            tx.commit();
        }
        assertThatThrownBy(() -> Database.open(dir.resolve("strata.db")))
                .hasMessageContaining("schema version 999")
                .hasMessageContaining("use a newer Strata");
    }

    @Test
    void rollbackUndoesRowsAndRunsOnlyRollbackActions() throws Exception {
        try (Database db = Database.open(dir.resolve("strata.db"))) {
            StringBuilder log = new StringBuilder();
            try (Tx tx = db.write()) {
                tx.update("INSERT INTO store_settings (key, value) VALUES ('a', 'b')");
                tx.afterCommit(() -> log.append("commit"));
                tx.onRollback(() -> log.append("rollback"));
            }
            assertThat(log).hasToString("rollback");
            try (Tx tx = db.read()) {
                assertThat(tx.count("SELECT COUNT(*) FROM store_settings WHERE key = 'a'")).isZero();
                tx.commit();
            }
        }
    }

    @Test
    void twoConnectionsTakeTurnsWriting() throws Exception {
        Path file = dir.resolve("strata.db");
        try (Database a = Database.open(file); Database b = Database.open(file)) {
            CountDownLatch bWaiting = new CountDownLatch(1);
            Thread other;
            try (Tx tx = a.write()) {
                tx.update("INSERT INTO store_settings (key, value) VALUES ('k', 'a')");
                other = Thread.ofPlatform().start(() -> {
                    bWaiting.countDown();
                    try (Tx t = b.write()) {
                        // b sees a's committed row once a is done, then overwrites it
                        assertThat(t.queryOne("SELECT value FROM store_settings WHERE key = 'k'", rs -> rs.getString(1))).contains("a");
                        t.update("UPDATE store_settings SET value = 'b' WHERE key = 'k'");
                        t.commit();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                assertThat(bWaiting.await(5, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200); // b is now blocked in BEGIN IMMEDIATE
                tx.commit();
            }
            other.join(10_000);
            try (Tx tx = a.read()) {
                assertThat(tx.queryOne("SELECT value FROM store_settings WHERE key = 'k'", rs -> rs.getString(1))).contains("b");
                tx.commit();
            }
        }
    }
}
