package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every prune asks before it deletes: only a "y" typed at a terminal, or {@code -f}, removes anything. Separate
 * {@code strata} processes; stdin is the test's pipe (not a terminal) unless script(1) gives them one.
 */
class PruneCommandsTest {
    @TempDir
    Path work;
    Path root;

    @BeforeEach
    void storeWithUnusedImageVolumeAndContainer() throws Exception {
        root = StrataProcess.storeWithBusybox(work);
        assertThat(strata("volume", "create", "data").status()).isZero();
        assertThat(strata("create", "--name", "c1", "busybox", "true").status()).isZero();
        assertThat(strata("commit", "c1", "extra:1").status()).isZero();
    }

    private StrataProcess.Result strata(String... args) throws Exception {
        return StrataProcess.run(root, args);
    }

    private List<String> lines(String... args) throws Exception {
        StrataProcess.Result r = strata(args);
        assertThat(r.status()).as(r.output()).isZero();
        return r.output().lines().toList();
    }

    private void everythingIsStillThere() throws Exception {
        assertThat(lines("images", "-q")).hasSize(2);
        assertThat(lines("ps", "-aq")).hasSize(1);
        assertThat(lines("volume", "ls", "-q")).containsExactly("data");
    }

    @Test
    void withoutATerminalOrForceNothingIsRemoved() throws Exception {
        for (List<String> prune : List.of(List.of("image", "prune", "-a"), List.of("image", "prune"), List.of("container", "prune"),
                List.of("volume", "prune", "-a"), List.of("system", "prune", "-a"))) {
            StrataProcess.Result r = strata(prune.toArray(String[]::new));
            assertThat(r.status()).as(prune + ": " + r.output()).isEqualTo(1);
            assertThat(r.output()).as(prune.toString()).startsWith("WARNING! This will remove")
                    .contains("Error: nothing was removed: standard input is not a terminal", "use -f/--force")
                    .doesNotContain("Deleted", "reclaimed");
            everythingIsStillThere();
        }
        StrataProcess.Result image = strata("image", "prune", "-a");
        assertThat(image.output()).startsWith("WARNING! This will remove all images without at least one container associated to them.\n");
    }

    @Test
    void atATerminalOnlyYesRemoves() throws Exception {
        for (String no : List.of("n\r", "\r", "maybe\r")) {
            StrataProcess.Result r = StrataProcess.inTerminal(root, "[y/N] ", no, "image", "prune", "-a");
            assertThat(r.status()).as(r.output()).isZero();
            assertThat(r.output()).contains("WARNING! This will remove all images without at least one container associated to them.",
                    "Are you sure you want to continue? [y/N]").doesNotContain("Deleted");
            everythingIsStillThere();
        }
        // Nothing is dangling: a plain prune removes nothing; -a removes the image no container uses.
        StrataProcess.Result dangling = StrataProcess.inTerminal(root, "[y/N] ", "y\r", "image", "prune");
        assertThat(dangling.output()).contains("WARNING! This will remove all dangling images.").doesNotContain("Deleted Images:");
        everythingIsStillThere();
        StrataProcess.Result all = StrataProcess.inTerminal(root, "[y/N] ", "Y\r", "image", "prune", "-a");
        assertThat(all.status()).as(all.output()).isZero();
        assertThat(all.output()).contains("Deleted Images:", "untagged: extra:1");
        assertThat(lines("images")).hasSize(2).last().asString().startsWith("busybox ");

        StrataProcess.Result containers = StrataProcess.inTerminal(root, "[y/N] ", "yes\r", "container", "prune");
        assertThat(containers.output()).contains("WARNING! This will remove all stopped containers.", "Deleted Containers:");
        assertThat(lines("ps", "-aq")).isEmpty();

        StrataProcess.Result volumes = StrataProcess.inTerminal(root, "[y/N] ", "y\r", "volume", "prune", "-a");
        assertThat(volumes.status()).as(volumes.output()).isZero();
        assertThat(volumes.output()).contains("WARNING! This will remove all local volumes not used by at least one container.",
                "Deleted Volumes:", "data");
        assertThat(lines("volume", "ls", "-q")).isEmpty();
    }

    @Test
    void forceRemovesWithoutAsking() throws Exception {
        StrataProcess.Result r = strata("system", "prune", "-a", "-f");
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("WARNING", "[y/N]").contains("Deleted Containers:", "Deleted Images:");
        assertThat(lines("images", "-q")).isEmpty();
        assertThat(lines("ps", "-aq")).isEmpty();
        StrataProcess.Result v = strata("volume", "prune", "-af");
        assertThat(v.output()).contains("Deleted Volumes:", "data");
        assertThat(lines("volume", "ls", "-q")).isEmpty();
    }
}
