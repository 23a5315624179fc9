package dev.strata.cli;

import static dev.strata.testing.StoreAssertions.entries;
import static dev.strata.testing.StoreAssertions.layerDirs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.container.Container;
import dev.strata.digest.Digest;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerStore;
import dev.strata.metadata.Tx;
import dev.strata.testing.TarFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strata killed with SIGKILL at random moments during create, commit and rm: whatever happened, the next command
 * finds a consistent store (every row's files exist, every file is reached by a row) and can carry on.
 */
class KilledProcessesTest {
    private static final String DRIVER = "overlay2";

    @TempDir
    Path work;

    @Test
    void killedCreatesCommitsAndRemovesLeaveAConsistentStore() throws Exception {
        Path root = work.resolve("root");
        Path base = TarFixtures.rootfs(work, "base");
        assertThat(StrataProcess.run(root, "--storage-driver", DRIVER, "import", base.toString(), "base:1").status()).isZero();
        // A container with 30 MB of changes, so that a commit takes long enough to be killed in the middle.
        StrataProcess.Result made = StrataProcess.run(root, "create", "--name", "big", "base:1", "sh");
        assertThat(made.status()).as(made.output()).isZero();
        Path view = Path.of(StrataProcess.run(root, "mount", "big").output().strip());
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        for (int i = 0; i < 30; i++) {
            Files.write(view.resolve("tmp/blob" + i), chunk);
        }
        StrataProcess.run(root, "umount", "big");

        // Kill times are fractions of a whole commit measured here, so that they fall inside it on a fast machine too.
        long t0 = System.nanoTime();
        StrataProcess.Result whole = StrataProcess.run(root, "commit", "big", "committed:whole");
        assertThat(whole.status()).as(whole.output()).isZero();
        int commitMillis = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        Random random = new Random(42);
        int killedCommits = 0;
        for (int round = 0; round < 5; round++) {
            killAfter(random.nextInt(400), root, "create", "base:1", "sh");
            int at = (int) (commitMillis * (0.15 + 0.7 * random.nextDouble()));
            killedCommits += killAfter(at, root, "commit", "big", "committed:" + round) ? 1 : 0;
            killAfter(random.nextInt(400), root, "rm", "big-" + round);
            assertConsistent(root);
            // Something for the next round's rm to remove.
            StrataProcess.run(root, "create", "--name", "big-" + (round + 1), "base:1", "sh");
        }
        assertThat(killedCommits).as("some commits were killed in the middle").isPositive();
        // The store still does everything: a commit completes and its image is complete.
        StrataProcess.Result commit = StrataProcess.run(root, "commit", "big", "committed:final");
        assertThat(commit.status()).as(commit.output()).isZero();
        StrataProcess.Result history = StrataProcess.run(root, "history", "committed:final");
        assertThat(history.output()).contains("31.5MB");
        assertConsistent(root);
    }

    /** Runs a command and SIGKILLs it after {@code millis} unless it finished; true when it was killed. */
    private static boolean killAfter(int millis, Path root, String... args) throws Exception {
        Process p = StrataProcess.builder(root, args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            return true;
        }
        return false;
    }

    /** Opens the store (which sweeps after interrupted actions) and checks that rows and files agree. */
    private static void assertConsistent(Path root) throws Exception {
        try (Strata strata = Strata.open(new StrataOptions(root, Optional.empty(), m -> { }))) {
            Set<String> reached = new HashSet<>();
            Set<Digest> blobs = new HashSet<>();
            try (Tx tx = strata.store().read()) {
                for (Layer l : strata.store().layers().all(tx)) {
                    reached.add(l.cacheId());
                    l.tarSplit().ifPresent(blobs::add);
                    assertThat(strata.store().driver().exists(l.cacheId())).as("layer %s has its directory", l.chainId()).isTrue();
                }
                for (Container c : strata.store().containers().list(tx)) {
                    Set<String> dirs = LayerStore.writableDirectories(c.id()); // its layer and its init layer
                    reached.addAll(dirs);
                    assertThat(dirs).as("container %s has its layer and init layer", c.name()).hasSize(2)
                            .allSatisfy(d -> assertThat(strata.store().driver().exists(d)).as("container %s has %s", c.name(), d).isTrue());
                }
                blobs.addAll(strata.store().images().blobs(tx));
                tx.commit();
            }
            assertThat(new HashSet<>(layerDirs(root, DRIVER))).as("every layer directory is reached by a row").isEqualTo(reached);
            for (Digest d : blobs) {
                assertThat(strata.store().content().exists(d)).as("blob %s exists", d).isTrue();
            }
            assertThat(strata.store().content().list()).as("every blob is reached by a row").isEqualTo(blobs);
            assertThat(entries(root.resolve("actions"))).isEmpty();
            List<String> links = new ArrayList<>(entries(root.resolve("overlay2/l")));
            assertThat(links).as("one short link per layer directory").hasSameSizeAs(reached);
        }
    }
}
