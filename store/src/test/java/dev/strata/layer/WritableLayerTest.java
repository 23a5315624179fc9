package dev.strata.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.archive.Change;
import dev.strata.driver.StorageDriver;
import dev.strata.store.Store;
import dev.strata.testing.TarFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's writable layer as one resource, and mounts as counted handles, on real overlayfs: handles of one
 * process share a mount and the last close unmounts it; a mount found in place or handed over with keep() stays.
 */
class WritableLayerTest {
    @TempDir
    Path root;
    Store store;
    StorageDriver driver;
    Optional<Layer> image;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(root, Optional.of("overlay2"), line -> { });
        driver = store.driver();
        try (PreparedLayer p = store.layers().prepare(tar("base", Map.of("etc/os-release", "NAME=base\n")),
                Optional.empty()); var tx = store.write()) {
            image = Optional.of(store.layers().commit(tx, p));
            tx.commit();
        }
    }

    @TempDir
    Path work;

    private InputStream tar(String name, Map<String, String> files) throws IOException {
        return Files.newInputStream(TarFixtures.tar(TarFixtures.tree(work.resolve(name), files), work.resolve(name + ".tar")));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void aWritableLayerIsItsInitLayerAndItsOwnDirectoryCreatedAndRemovedTogether() throws Exception {
        WritableLayer rw = store.layers().createWritable("c1", image, view -> Files.writeString(view.resolve("etc/hostname"), "c1\n"));
        assertThat(LayerStore.writableDirectories("c1")).allSatisfy(d -> assertThat(driver.exists(d)).isTrue());
        try (Mount m = rw.mount()) {
            assertThat(m.path().resolve("etc/hostname")).hasContent("c1");
            assertThat(m.path().resolve("etc/os-release")).hasContent("NAME=base");
            Files.writeString(m.path().resolve("new"), "x");
        }
        // What the init layer wrote is under the writable layer, not in what it changed.
        assertThat(rw.changes()).extracting(Change::path).containsExactly("/new");
        rw.remove();
        assertThat(driver.ids()).containsExactly(image.get().cacheId());
    }

    @Test
    void aFailedCreateLeavesNothing() throws Exception {
        assertThatThrownBy(() -> store.layers().createWritable("c2", image, view -> {
            throw new IOException("init failed");
        })).hasMessage("init failed");
        assertThat(driver.ids()).containsExactly(image.get().cacheId());
    }

    @Test
    void handlesShareOneMountAndTheLastCloseUnmounts() throws Exception {
        WritableLayer rw = store.layers().createWritable("c3", image, view -> { });
        Mount a = rw.mount();
        Mount b = rw.mount();
        assertThat(b.path()).isEqualTo(a.path());
        a.close();
        assertThat(driver.isMounted("c3")).as("b still holds it").isTrue();
        a.close(); // a second close of one handle changes nothing
        assertThat(driver.isMounted("c3")).isTrue();
        b.close();
        assertThat(driver.isMounted("c3")).as("the last holder unmounted it").isFalse();
    }

    @Test
    void aKeptMountOutlivesItsHandleUntilUnmountAndAMountInPlaceIsLeftAlone() throws Exception {
        WritableLayer rw = store.layers().createWritable("c4", image, view -> { });
        try (Mount m = rw.mount()) {
            m.keep();
        }
        assertThat(driver.isMounted("c4")).as("kept").isTrue();
        try (Mount m = rw.mount()) {
            assertThat(m.path().resolve("etc/os-release")).exists();
        }
        assertThat(driver.isMounted("c4")).as("mounted before this handle: left mounted").isTrue();
        Mount held = rw.mount();
        rw.unmount();
        assertThat(driver.isMounted("c4")).as("a handle still holds it: the last close unmounts").isTrue();
        held.close();
        assertThat(driver.isMounted("c4")).isFalse();
        rw.unmount(); // not mounted: fine
    }

    @Test
    void manyThreadsMountingOneLayerShareItAndLeaveItUnmounted() throws Exception {
        WritableLayer rw = store.layers().createWritable("c5", image, view -> { });
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Path>> seen = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                seen.add(pool.submit(() -> {
                    go.await();
                    Path last = null;
                    for (int round = 0; round < 20; round++) {
                        try (Mount m = rw.mount()) {
                            assertThat(m.path().resolve("etc/os-release")).as("mounted while held").exists();
                            last = m.path();
                        }
                    }
                    return last;
                }));
            }
            go.countDown();
            for (Future<Path> f : seen) {
                assertThat(f.get()).isEqualTo(driver.home().resolve("c5").resolve("merged"));
            }
        }
        assertThat(driver.isMounted("c5")).isFalse();
    }

    @Test
    void aScratchLayerIsRemovedWhenClosed() throws Exception {
        String dir;
        try (ScratchLayer scratch = store.layers().createScratch(image)) {
            try (Mount m = scratch.layer().mount()) {
                Files.writeString(m.path().resolve("etc/os-release"), "NAME=changed\n");
            }
            assertThat(scratch.layer().changes()).extracting(Change::path).containsExactly("/etc", "/etc/os-release");
            dir = scratch.layer().directory();
        }
        assertThat(driver.exists(dir)).isFalse();
    }

    @Test
    void aPreparedLayerThatNoTransactionCommittedIsDroppedWhenClosed() throws Exception {
        String dir;
        try (PreparedLayer p = store.layers().prepare(tar("a", Map.of("a", "1")), image)) {
            dir = p.cacheId();
            assertThat(driver.exists(dir)).isTrue();
        }
        assertThat(driver.exists(dir)).isFalse();
        try (PreparedLayer p = store.layers().prepare(tar("b", Map.of("b", "2")), image);
                var tx = store.write()) {
            dir = p.cacheId();
            store.layers().commit(tx, p);
            tx.commit();
        }
        assertThat(driver.exists(dir)).as("committed: the store's now").isTrue();
    }
}
