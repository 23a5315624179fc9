package dev.strata.cli;

import static dev.strata.testing.StoreAssertions.entries;
import static dev.strata.testing.StoreAssertions.layerDirs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.metadata.Tx;
import dev.strata.testing.TarFixtures;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several strata processes on one root, and processes killed mid-action. */
class ConcurrentProcessesTest {
    @TempDir
    Path work;

    @Test
    void parallelImportsOfImagesThatShareLayersLeaveOneCopyOfEachLayer() throws Exception {
        Path root = work.resolve("root");
        Path shared = TarFixtures.rootfs(work, "shared");
        Path other = TarFixtures.rootfs(work, "other");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path tar = i % 3 == 2 ? other : shared;
            processes.add(StrataProcess.builder(root, "import", tar.toString(), "parallel:" + i)
                    .redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out.strip()).startsWith("sha256:");
        }
        try (Strata strata = Strata.open(StrataOptions.at(root))) {
            assertThat(strata.images().list(false)).hasSize(6).allSatisfy(i -> assertThat(i.tags()).hasSize(1));
            try (Tx tx = strata.store().read()) {
                assertThat(tx.count("SELECT COUNT(*) FROM layers")).isEqualTo(2);
                tx.commit();
            }
        }
        // The losers of each race dropped their copies: exactly one directory per layer, nothing in flight.
        assertThat(layerDirs(root, "overlay2")).hasSize(2);
        assertThat(entries(root.resolve("ingest"))).isEmpty();
        assertThat(entries(root.resolve("actions"))).isEmpty();
        StrataProcess.Result images = StrataProcess.run(root, "images", "-q");
        assertThat(images.output().lines().count()).isEqualTo(6);
    }

    @Test
    void anImportKilledMidwayLeavesNothingOnceTheStoreIsOpenedAgain() throws Exception {
        Path root = work.resolve("root");
        Path dir = Files.createDirectories(work.resolve("big"));
        byte[] chunk = new byte[1 << 20];
        new Random(42).nextBytes(chunk);
        for (int i = 0; i < 40; i++) {
            Files.write(dir.resolve("blob" + i), chunk);
        }
        Path tar = TarFixtures.tar(dir, work.resolve("big.tar"));
        byte[] bytes = Files.readAllBytes(tar);

        Process p = StrataProcess.builder(root, "import", "-", "killed:1").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(bytes, 0, bytes.length / 2);
            in.flush();
            // Wait until the import has its layer directory and action marker, then kill it hard.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((layerDirs(root, "overlay2").isEmpty() || entries(root.resolve("actions")).isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(layerDirs(root, "overlay2")).as("the import got going").hasSize(1);
            p.destroyForcibly().waitFor();
        } catch (java.io.IOException brokenPipe) {
            // the process is gone already
        }

        List<String> log = new ArrayList<>();
        try (Strata strata = Strata.open(new StrataOptions(root, java.util.Optional.empty(), log::add))) {
            assertThat(strata.images().list(true)).isEmpty();
            try (Tx tx = strata.store().read()) {
                assertThat(tx.count("SELECT COUNT(*) FROM layers")).isZero();
                tx.commit();
            }
        }
        assertThat(log).singleElement().asString().contains("removed leftovers of interrupted actions: 1 layer directory");
        assertThat(layerDirs(root, "overlay2")).isEmpty();
        assertThat(entries(root.resolve("blobs/sha256"))).isEmpty();
        assertThat(entries(root.resolve("ingest"))).isEmpty();
        assertThat(entries(root.resolve("actions"))).isEmpty();

        // And the store works: the same import now completes.
        StrataProcess.Result done = StrataProcess.run(root, "import", tar.toString(), "killed:1");
        assertThat(done.status()).as(done.output()).isZero();
        assertThat(StrataProcess.run(root, "images").output()).contains("killed").contains("1");
    }

    @Test
    void cliErrorsAreClearAndExitNonZero() throws Exception {
        Path root = work.resolve("root");
        StrataProcess.Result r = StrataProcess.run(root, "history", "nope:1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).isEqualTo("Error: No such image: nope:1\n");
        r = StrataProcess.run(root, "import", work.resolve("missing.tar").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).contains("missing.tar").contains("does not exist");
        r = StrataProcess.run(root, "images", "--bogus");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.output()).contains("Unknown option: '--bogus'");
    }
}
