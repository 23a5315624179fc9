package dev.strata.engine.container;

import static dev.strata.testing.StoreAssertions.layerDirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.archive.Change;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.SystemService;
import dev.strata.engine.image.HistoryEntry;
import dev.strata.engine.image.ImageSummary;
import dev.strata.engine.image.ImportOptions;
import dev.strata.engine.image.RemovedItem;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import dev.strata.testing.TarFixtures;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass
@ValueSource(strings = {"overlay2", "vfs"})
class ContainersTest {
    @Parameter
    String driver;
    @TempDir
    Path work;
    Path root;
    Strata strata;
    ImageSummary base;

    @BeforeEach
    void open() throws Exception {
        root = work.resolve("root");
        strata = Strata.open(new StrataOptions(root, Optional.of(driver), m -> { }));
        Path tree = TarFixtures.tree(work.resolve("base"), Map.of(
                "bin/sh", "#!fake shell\n",
                "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n",
                "etc/hosts", "127.0.0.1 from-the-image\n",
                "usr/share/data/a.txt", "lower content\n",
                "usr/share/data/b.txt", "to be deleted\n",
                "tmp/", ""));
        try (InputStream in = Files.newInputStream(TarFixtures.tar(tree, work.resolve("base.tar")))) {
            base = strata.images().importImage(in, new ImportOptions(Optional.of("base:1"), List.of("CMD [\"/bin/sh\"]"),
                    Optional.empty(), "-"));
        }
    }

    @AfterEach
    void close() throws Exception {
        for (ContainerSummary c : strata.containers().views().list(true, false)) {
            strata.containers().unmount(c.id());
        }
        strata.close();
    }

    @Test
    void createMakesAnInitLayerAndAWritableLayerWithDockersNames() throws Exception {
        ContainerSummary c = strata.containers().create(CreateOptions.of("base:1"));
        assertThat(c.id()).matches("[0-9a-f]{64}");
        assertThat(c.name()).matches("[a-z]+_[a-z]+");
        assertThat(c.command()).containsExactly("/bin/sh");
        assertThat(c.state().status()).isEqualTo(dev.strata.container.ContainerStatus.CREATED);
        Path view = strata.containers().mount(c.id().substring(0, 12));
        assertThat(view.resolve("etc/passwd")).hasContent("root:x:0:0:root:/root:/bin/sh");
        assertThat(view.resolve(".dockerenv")).exists();
        assertThat(view.resolve("etc/hosts")).isEmptyFile(); // the runtime bind-mounts a generated one here
        assertThat(Files.readSymbolicLink(view.resolve("etc/mtab"))).isEqualTo(Path.of("/proc/mounts"));
        for (String dir : List.of("proc", "sys", "dev/pts", "dev/shm")) {
            assertThat(view.resolve(dir)).isDirectory();
        }
        // The init layer's files are not the container's changes.
        assertThat(strata.containers().diff(c.name())).isEmpty();
        assertThat(strata.containers().views().list(true, false)).extracting(ContainerSummary::name).containsExactly(c.name());
    }

    @Test
    void namesAreUniqueAndChecked() throws Exception {
        ContainerSummary first = strata.containers().create(CreateOptions.of("base:1").withName("web"));
        assertThatThrownBy(() -> strata.containers().create(CreateOptions.of("base:1").withName("web")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("The container name \"/web\" is already in use by container \"" + first.id() + "\"");
        assertThatThrownBy(() -> strata.containers().create(CreateOptions.of("base:1").withName("-bad")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Invalid container name (-bad)");
        assertThatThrownBy(() -> strata.containers().create(CreateOptions.of("nope:1")))
                .isInstanceOf(NotFoundException.class).hasMessage("No such image: nope:1");
        assertThat(layerDirs(root, driver)).hasSize(1 + 2); // the image's layer and web's two
    }

    @Test
    void theClassicScenarioCommitsATwelveByteLayer() throws Exception {
        ContainerSummary c = strata.containers().create(CreateOptions.of("base:1", "sh", "-c", "echo Hello world > /tmp/newfile"));
        Path view = strata.containers().mount(c.name());
        Files.writeString(view.resolve("tmp/newfile"), "Hello world\n");
        assertThat(strata.containers().diff(c.name())).extracting(Change::toString).containsExactly("C /tmp", "A /tmp/newfile");

        Containers.ImageSummaryRef committed = strata.containers().commit(c.name(), CommitOptions.tagged("changed:1"));
        assertThat(committed.layerSize()).isEqualTo(12);
        List<HistoryEntry> history = strata.images().history("changed:1");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).imageId()).contains(committed.id());
        assertThat(history.get(0).size()).isEqualTo(12);
        assertThat(history.get(0).createdBy()).isEqualTo("sh -c echo Hello world > /tmp/newfile");
        assertThat(history.get(1).imageId()).contains(base.id()); // the parent chain names the base image
        assertThat(history.get(1).size()).isEqualTo(base.size());
        // The new image shares every other layer: one more layer row, 12 more bytes.
        try (Tx tx = strata.store().read()) {
            assertThat(tx.count("SELECT COUNT(*) FROM layers")).isEqualTo(2);
            assertThat(tx.count("SELECT SUM(size) FROM layers")).isEqualTo(base.size() + 12);
            tx.commit();
        }
        assertThat(strata.images().inspect("changed:1").config().get("Cmd").toString())
                .isEqualTo("[\"sh\",\"-c\",\"echo Hello world > /tmp/newfile\"]");
        // A container of the new image sees the file.
        ContainerSummary next = strata.containers().create(CreateOptions.of("changed:1"));
        assertThat(strata.containers().mount(next.id()).resolve("tmp/newfile")).hasContent("Hello world");
    }

    @Test
    void copyOnWriteCopiesUpOnceAndNobodyElseSeesIt() throws Exception {
        ContainerSummary a = strata.containers().create(CreateOptions.of("base:1"));
        ContainerSummary b = strata.containers().create(CreateOptions.of("base:1"));
        Path viewA = strata.containers().mount(a.id());
        Path viewB = strata.containers().mount(b.id());
        Files.writeString(viewA.resolve("usr/share/data/a.txt"), "changed by a\n");
        Object firstCopy = Files.getAttribute(strata.store().driver().diffDir(a.id()).resolve("usr/share/data/a.txt"), "unix:ino");
        Files.writeString(viewA.resolve("usr/share/data/a.txt"), "changed again\n");
        Object secondCopy = Files.getAttribute(strata.store().driver().diffDir(a.id()).resolve("usr/share/data/a.txt"), "unix:ino");
        assertThat(secondCopy).as("a second write does not copy again").isEqualTo(firstCopy);
        assertThat(viewB.resolve("usr/share/data/a.txt")).hasContent("lower content");
        Path imageLayer = strata.store().driver().diffDir(onlyImageLayer());
        assertThat(imageLayer.resolve("usr/share/data/a.txt")).hasContent("lower content");

        Files.delete(viewA.resolve("usr/share/data/b.txt"));
        assertThat(viewB.resolve("usr/share/data/b.txt")).exists();
        TarFixtures.run(List.of("mv", viewA.resolve("usr/share/data").toString(), viewA.resolve("usr/share/moved").toString()));
        assertThat(viewA.resolve("usr/share/moved/a.txt")).hasContent("changed again");
        assertThat(viewA.resolve("usr/share/data")).doesNotExist();
        assertThat(viewB.resolve("usr/share/data/a.txt")).exists();
        assertThat(strata.containers().diff(a.id())).extracting(Change::toString)
                .containsExactly("C /usr", "C /usr/share", "D /usr/share/data", "A /usr/share/moved", "A /usr/share/moved/a.txt");
        if (driver.equals("overlay2")) {
            Path whiteout = strata.store().driver().diffDir(a.id()).resolve("usr/share/data");
            assertThat((int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(0020000);
            assertThat((long) Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isZero();
        }
    }

    @Test
    void containersShareTheImagesLayersOnDisk() throws Exception {
        for (int i = 0; i < 5; i++) {
            strata.containers().create(CreateOptions.of("base:1"));
        }
        assertThat(layerDirs(root, driver)).hasSize(1 + 5 * 2);
        if (driver.equals("overlay2")) {
            // Each container holds only its init files: no copy of the image's content.
            for (ContainerSummary c : strata.containers().views().list(true, false)) {
                assertThat(strata.store().driver().diffDir(c.id())).isEmptyDirectory();
                assertThat(strata.store().driver().diffDir(c.id()).getParent().resolve("lower")).content()
                        .matches("l/[A-Z0-9]{26}:l/[A-Z0-9]{26}");
            }
        }
    }

    @Test
    void removingAContainerRemovesEverythingWrittenToIt() throws Exception {
        ContainerSummary c = strata.containers().create(CreateOptions.of("base:1"));
        Files.writeString(strata.containers().mount(c.id()).resolve("tmp/x"), "x");
        assertThatThrownBy(() -> strata.images().remove("base:1", false, true)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("container " + c.id().substring(0, 12) + " is using its referenced image");
        strata.containers().remove(c.name(), false, false);
        assertThat(layerDirs(root, driver)).hasSize(1);
        assertThat(strata.containers().views().list(true, false)).isEmpty();
        assertThatThrownBy(() -> strata.containers().mount(c.name())).isInstanceOf(NotFoundException.class)
                .hasMessage("No such container: " + c.name());
    }

    @Test
    void aForcedRmiLeavesTheContainerWorking() throws Exception {
        ContainerSummary c = strata.containers().create(CreateOptions.of("base:1"));
        List<RemovedItem> removed = strata.images().remove(base.id().toString(), true, true);
        assertThat(removed).contains(RemovedItem.deleted(base.id().toString()));
        assertThat(strata.images().list(true)).isEmpty();
        assertThat(strata.containers().mount(c.id()).resolve("etc/passwd")).exists();
        strata.containers().remove(c.id(), false, false);
        assertThat(layerDirs(root, driver)).isEmpty(); // the last user of the layer is gone
    }

    @Test
    void systemDfReadsStoredSizesAndPruneRemovesWhatNothingUses() throws Exception {
        ContainerSummary c = strata.containers().create(CreateOptions.of("base:1"));
        Files.writeString(strata.containers().mount(c.id()).resolve("tmp/ten"), "0123456789");
        SystemService.DiskUsage du = strata.system().diskUsage();
        assertThat(du.layersSize()).isEqualTo(base.size());
        assertThat(du.activeImages()).isEqualTo(1);
        assertThat(du.containersSize()).isEqualTo(10);
        assertThat(strata.containers().views().list(true, true).getFirst().virtualSize()).hasValue(base.size() + 10);
        SystemService.PruneResult pruned = strata.system().prune(true);
        assertThat(pruned.containers()).containsExactly(c.id());
        assertThat(pruned.images().removed()).contains(RemovedItem.deleted(base.id().toString()));
        assertThat(layerDirs(root, driver)).isEmpty();
    }

    private String onlyImageLayer() throws Exception {
        try (Tx tx = strata.store().read()) {
            String id = tx.queryOne("SELECT cache_id FROM layers", rs -> rs.getString(1)).orElseThrow();
            tx.commit();
            return id;
        }
    }
}
