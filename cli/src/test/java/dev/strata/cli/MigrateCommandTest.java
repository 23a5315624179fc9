package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.migrate.LegacyDriver;
import dev.strata.engine.migrate.LegacyFixture;
import dev.strata.engine.migrate.Migrator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata migrate}: progress and summary, exit status 1 with the skipped IDs, --precompute, migrate-on-open. */
class MigrateCommandTest {
    @TempDir
    Path work;

    private static InProcess strata(String... args) {
        return InProcess.run(args);
    }

    @Test
    void migratesWithProgressAndFailsNamingWhatWasSkipped() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(work.resolve("docker"), LegacyDriver.AUFS, LegacyFixture.Scale.SMALL);
        InProcess pre = strata("migrate", "--from", fx.root().toString(), "--precompute", "--threads", "1");
        assertThat(pre.status()).as(pre.err()).isZero();
        assertThat(Migrator.precomputeFile(fx.root())).exists();
        assertThat(pre.out()).contains("precomputed: ");

        Path store = work.resolve("store");
        InProcess ok = strata("--root", store.toString(), "-s", "overlay2", "migrate", "--from", fx.root().toString(), "--storage-driver", "aufs");
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("layer " + LegacyFixture.id("base").substring(0, 12)).contains("(checksum known)")
                .contains("container " + fx.containerId().substring(0, 12)).contains("migrated: 23 layers");
        InProcess images = strata("--root", store.toString(), "images");
        assertThat(images.out()).contains("example.com/web").contains("legacy/base");

        Files.writeString(fx.root().resolve("graph").resolve(LegacyFixture.id("tools-3")).resolve("json"), "not json");
        InProcess bad = strata("--root", work.resolve("store2").toString(), "migrate", "--from", fx.root().toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("layer " + LegacyFixture.id("tools-3")).contains("tag example.com/tools:latest");
    }

    @Test
    void pointingStrataAtALegacyRootMigratesItFirst() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(work.resolve("docker"), LegacyDriver.OVERLAY, LegacyFixture.Scale.SMALL);
        InProcess first = strata("--root", fx.root().toString(), "-s", "overlay2", "ps", "-a");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.err()).contains("migrating it into " + fx.root().resolve("strata")).contains("migrated: ");
        assertThat(first.out()).contains("legacy_web");
        InProcess second = strata("--root", fx.root().toString(), "images");
        assertThat(second.err()).doesNotContain("migrat");
        assertThat(second.out()).contains("example.com/app");
    }
}
