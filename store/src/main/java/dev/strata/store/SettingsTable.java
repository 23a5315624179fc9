package dev.strata.store;

import dev.strata.metadata.Tx;
import java.io.IOException;
import java.util.Optional;

/** The owner of {@code store_settings}: facts about the store itself, such as the storage driver it was made with. */
final class SettingsTable {
    Optional<String> get(Tx tx, String key) throws IOException {
        return tx.queryOne("SELECT value FROM store_settings WHERE key = ?", rs -> rs.getString(1), key);
    }

    void put(Tx tx, String key, String value) throws IOException {
        tx.update("INSERT INTO store_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
    }
}
