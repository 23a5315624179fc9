package dev.strata.metadata;

import java.io.IOException;
import java.util.List;

/**
 * The versioned schema. {@code PRAGMA user_version} holds how many migrations ran; new versions only append to
 * {@link #MIGRATIONS}, never edit an old one, so any older store moves forward in order.
 */
final class Schema {
    static final List<String> MIGRATIONS = List.of(
            // 1: layers, images and names
            """
            CREATE TABLE layers (
                chain_id TEXT PRIMARY KEY,
                diff_id TEXT NOT NULL,
                parent TEXT REFERENCES layers(chain_id),
                size INTEGER NOT NULL,
                cache_id TEXT NOT NULL UNIQUE,
                compressed_digest TEXT,
                compressed_size INTEGER,
                compressed_media_type TEXT,
                tar_split TEXT,
                created INTEGER NOT NULL
            );
            CREATE INDEX layers_parent ON layers(parent);
            CREATE TABLE images (
                id TEXT PRIMARY KEY,
                top_layer TEXT REFERENCES layers(chain_id),
                parent TEXT,
                created INTEGER NOT NULL,
                size INTEGER NOT NULL,
                added INTEGER NOT NULL
            );
            CREATE INDEX images_top_layer ON images(top_layer);
            CREATE TABLE tags (
                name TEXT PRIMARY KEY,
                image_id TEXT NOT NULL REFERENCES images(id)
            );
            CREATE INDEX tags_image ON tags(image_id);
            CREATE TABLE repo_digests (
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                image_id TEXT NOT NULL REFERENCES images(id),
                PRIMARY KEY (name, digest)
            );
            CREATE INDEX repo_digests_image ON repo_digests(image_id);
            CREATE TABLE manifests (
                digest TEXT NOT NULL,
                image_id TEXT NOT NULL REFERENCES images(id),
                media_type TEXT NOT NULL,
                PRIMARY KEY (digest, image_id)
            );
            CREATE INDEX manifests_image ON manifests(image_id);
            CREATE VIEW layer_users AS
                SELECT top_layer AS chain_id FROM images WHERE top_layer IS NOT NULL
                UNION ALL SELECT parent FROM layers WHERE parent IS NOT NULL;
            CREATE TABLE store_settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """,
            // 2: the uncompressed tar size of each layer, so save can write tar headers without a counting pass
            // (NULL for layers registered before this migration)
            """
            ALTER TABLE layers ADD COLUMN tar_size INTEGER;
            """,
            // 3: containers; their image's top layer stays while they exist
            """
            CREATE TABLE containers (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                image_id TEXT NOT NULL,
                image_name TEXT NOT NULL,
                parent_layer TEXT REFERENCES layers(chain_id),
                created INTEGER NOT NULL,
                config TEXT NOT NULL
            );
            CREATE INDEX containers_image ON containers(image_id);
            DROP VIEW layer_users;
            CREATE VIEW layer_users AS
                SELECT top_layer AS chain_id FROM images WHERE top_layer IS NOT NULL
                UNION ALL SELECT parent FROM layers WHERE parent IS NOT NULL
                UNION ALL SELECT parent_layer FROM containers WHERE parent_layer IS NOT NULL;
            """,
            // 4: data volumes, and which containers mount them
            """
            CREATE TABLE volumes (
                name TEXT PRIMARY KEY,
                created INTEGER NOT NULL,
                labels TEXT NOT NULL,
                anonymous INTEGER NOT NULL
            );
            CREATE TABLE container_volumes (
                container_id TEXT NOT NULL REFERENCES containers(id),
                volume TEXT NOT NULL REFERENCES volumes(name),
                PRIMARY KEY (container_id, volume)
            );
            CREATE INDEX container_volumes_volume ON container_volumes(volume);
            """,
            // 5: where compressed forms of layers are known to exist (a registry repository pulled from or pushed to),
            // so that push can skip or mount a layer without compressing it again; rows name no local file
            """
            CREATE TABLE layer_blobs (
                diff_id TEXT NOT NULL,
                digest TEXT NOT NULL,
                size INTEGER NOT NULL,
                media_type TEXT NOT NULL,
                repository TEXT NOT NULL,
                PRIMARY KEY (diff_id, repository, digest)
            );
            """,
            // 6: what the OCI runtime is doing with each container that has been started (no row: never started).
            // PIDs come with their start time (/proc/<pid>/stat) so that a reused PID is not taken for ours, and
            // the boot they belong to; times are nanoseconds since the epoch.
            """
            CREATE TABLE container_states (
                id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                pid INTEGER NOT NULL DEFAULT 0,
                pid_start INTEGER NOT NULL DEFAULT 0,
                monitor_pid INTEGER NOT NULL DEFAULT 0,
                monitor_start INTEGER NOT NULL DEFAULT 0,
                boot_id TEXT NOT NULL DEFAULT '',
                exit_code INTEGER NOT NULL DEFAULT 0,
                started INTEGER,
                finished INTEGER,
                oom_killed INTEGER NOT NULL DEFAULT 0,
                error TEXT NOT NULL DEFAULT ''
            );
            """,
            // 7: the build cache: the image a build step made, by its parent image ("" for scratch) and a digest of
            // the step's instruction text and inputs; a row goes with its image
            """
            CREATE TABLE build_cache (
                parent TEXT NOT NULL,
                step_key TEXT NOT NULL,
                image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                created INTEGER NOT NULL,
                PRIMARY KEY (parent, step_key)
            );
            CREATE INDEX build_cache_image ON build_cache(image_id);
            """);

    private Schema() {
    }

    static void migrate(Database db) throws IOException {
        try (Tx tx = db.read()) {
            // The common case, an up-to-date store, takes no write lock.
            if (tx.count("PRAGMA user_version") == MIGRATIONS.size()) {
                tx.commit();
                return;
            }
        }
        try (Tx tx = db.write()) {
            int version = (int) tx.count("PRAGMA user_version");
            if (version > MIGRATIONS.size()) {
                throw new IOException(db.file() + " has schema version " + version + ", newer than this Strata knows ("
                        + MIGRATIONS.size() + "); use a newer Strata");
            }
            if (version == MIGRATIONS.size()) {
                tx.commit();
                return;
            }
            for (int v = version; v < MIGRATIONS.size(); v++) {
                for (String statement : MIGRATIONS.get(v).split(";\\s*\\n")) {
                    if (!statement.isBlank()) {
                        tx.execute(statement);
                    }
                }
            }
            tx.execute("PRAGMA user_version = " + MIGRATIONS.size());
            tx.commit();
        }
    }
}
