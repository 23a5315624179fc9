package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.image.HistoryEntry;
import dev.strata.engine.image.ImageDetails;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata build} on real overlayfs and runc: the classic example, the cache, and each instruction. */
class BuilderTest {
    @TempDir
    static Path work;
    static BuildStore store;

    @BeforeAll
    static void open() throws Exception {
        store = BuildStore.open(work);
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
    }

    @Test
    void classicExample() throws Exception {
        Path dir = store.context("classic", "Dockerfile", "FROM busybox\nRUN echo \"Hello world\" > /tmp/newfile\n");
        long before = store.strata.system().diskUsage().layersSize();
        BuildStore.Outcome first = store.build(dir, BuildOptions.defaults().withTags("changed-ubuntu"));
        String id = first.result().id().shortHex();
        assertThat(first.output()).contains("Step 1/2 : FROM busybox\n ---> ")
                .contains("Step 2/2 : RUN echo \"Hello world\" > /tmp/newfile\n ---> Running in ")
                .containsPattern("Removing intermediate container [0-9a-f]{12}\n ---> " + id + "\n")
                .endsWith("Successfully built " + id + "\nSuccessfully tagged changed-ubuntu:latest\n");
        List<HistoryEntry> history = store.strata.images().history("changed-ubuntu");
        assertThat(history.getFirst().createdBy()).isEqualTo("/bin/sh -c echo \"Hello world\" > /tmp/newfile");
        assertThat(history.getFirst().size()).isEqualTo(12);
        assertThat(history.getFirst().imageId()).contains(first.result().id());
        ImageDetails base = store.strata.images().inspect("busybox");
        ImageDetails built = store.strata.images().inspect("changed-ubuntu");
        assertThat(built.rootFs().layers()).hasSize(base.rootFs().layers().size() + 1).startsWith(base.rootFs().layers().toArray(String[]::new));
        assertThat(store.strata.system().diskUsage().layersSize()).isEqualTo(before + 12);
        assertThat(store.strata.containers().list(true, false)).isEmpty();

        BuildStore.Outcome again = store.build(dir, BuildOptions.defaults().withTags("changed-ubuntu"));
        assertThat(again.result().id()).isEqualTo(first.result().id());
        assertThat(again.output()).contains(" ---> Using cache\n ---> " + id + "\n").doesNotContain("Running in");

        BuildStore.Outcome fresh = store.build(dir, BuildOptions.defaults().withNoCache(true));
        assertThat(fresh.result().id()).isNotEqualTo(first.result().id());
        assertThat(fresh.output()).contains("Running in").doesNotContain("Using cache");
    }
}
