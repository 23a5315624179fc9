package dev.strata.engine.image;

import static dev.strata.testing.StoreAssertions.assertEmptyStore;
import static dev.strata.testing.StoreAssertions.layerDirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digester;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.error.BadContentException;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.metadata.Tx;
import dev.strata.testing.TarFixtures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass
@ValueSource(strings = {"overlay2", "vfs"})
class ImagesTest {
    @Parameter
    String driver;
    @TempDir
    Path work;
    Path root;
    Strata strata;

    @BeforeEach
    void open() throws Exception {
        root = work.resolve("root");
        strata = Strata.open(new StrataOptions(root, Optional.of(driver), m -> { }));
    }

    @AfterEach
    void close() throws Exception {
        strata.close();
    }

    private ImageSummary importFile(Path tar, String tag, String... changes) throws Exception {
        try (InputStream in = Files.newInputStream(tar)) {
            return strata.images().importImage(in, new ImportOptions(Optional.ofNullable(tag), List.of(changes), Optional.empty(), "-"));
        }
    }

    private long rows(String table) throws Exception {
        try (Tx tx = strata.store().read()) {
            long n = tx.count("SELECT COUNT(*) FROM " + table);
            tx.commit();
            return n;
        }
    }

    @Test
    void importMakesAOneLayerImageWhoseDiffIdIsTheTarballsDigest() throws Exception {
        Path tar = TarFixtures.rootfs(work, "a");
        ImageSummary image = importFile(tar, "fixture/a", "CMD [\"/bin/sh\"]", "ENV A=1");

        assertThat(image.tags()).extracting(Object::toString).containsExactly("docker.io/fixture/a:latest");
        ImageDetails details = strata.images().inspect("fixture/a");
        assertThat(details.rootFs().layers()).containsExactly(Digester.of(Files.readAllBytes(tar)).toString());
        assertThat(details.id()).isEqualTo(Digester.of(strata.store().content().read(image.id())).toString());
        assertThat(details.config().get("Cmd").toString()).isEqualTo("[\"/bin/sh\"]");
        assertThat(details.config().get("Env").toString()).isEqualTo("[\"A=1\"]");
        assertThat(details.repoTags()).containsExactly("fixture/a:latest");
        assertThat(details.comment()).isEqualTo("Imported from -");

        List<HistoryEntry> history = strata.images().history("fixture/a:latest");
        assertThat(history).hasSize(1);
        assertThat(history.getFirst().imageId()).contains(image.id());
        assertThat(history.getFirst().comment()).isEqualTo("Imported from -");
        assertThat(history.getFirst().size()).isEqualTo(image.size());
        // size = regular-file bytes, as Docker counts a layer
        assertThat(image.size()).isEqualTo(("NAME=fixture-a\n".length()) + "fixture\n".length() + ("seed a" + "\n".repeat(100)).length());
        assertThat(strata.store().driver().diffDir(cacheIdOfOnlyLayer()).resolve("etc/os-release")).hasContent("NAME=fixture-a");
    }

    private String cacheIdOfOnlyLayer() throws Exception {
        try (Tx tx = strata.store().read()) {
            String id = tx.queryOne("SELECT cache_id FROM layers", rs -> rs.getString(1)).orElseThrow();
            tx.commit();
            return id;
        }
    }

    @Test
    void theSameLayerIsStoredOnceWhateverItsCompression() throws Exception {
        Path tar = TarFixtures.rootfs(work, "a");
        Path gz = work.resolve("a.tar.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(tar));
        }
        ImageSummary one = importFile(tar, "one");
        ImageSummary two = importFile(gz, "two");
        assertThat(one.id()).isNotEqualTo(two.id()); // different creation times
        assertThat(rows("layers")).isEqualTo(1);
        assertThat(layerDirs(root, driver)).hasSize(1);
        assertThat(strata.images().list(false)).hasSize(2);
    }

    @Test
    void namesResolveByTagIdPrefixAndFullId() throws Exception {
        ImageSummary image = importFile(TarFixtures.rootfs(work, "a"), "fixture:1");
        for (String name : List.of("fixture:1", "docker.io/library/fixture:1", image.id().shortHex(), image.id().hex().substring(0, 5),
                image.id().toString(), image.id().hex(), "sha256:" + image.id().hex().substring(0, 8))) {
            assertThat(strata.images().inspect(name).id()).as(name).isEqualTo(image.id().toString());
        }
        assertThatThrownBy(() -> strata.images().inspect("fixture")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: fixture");
        assertThatThrownBy(() -> strata.images().inspect("Bad:Ref")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("\"Bad:Ref\"");
    }

    @Test
    void tagAndRmiFollowDockersRules() throws Exception {
        ImageSummary image = importFile(TarFixtures.rootfs(work, "a"), "fixture:1");
        strata.images().tag("fixture:1", "fixture:2");
        strata.images().tag("fixture:1", "other/name");

        // Removing one of several names only untags.
        assertThat(strata.images().remove("fixture:2", false, true)).containsExactly(RemovedItem.untagged("fixture:2"));
        // By ID, with references in two repositories, it must be forced.
        assertThatThrownBy(() -> strata.images().remove(image.id().shortHex(), false, true))
                .isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + image.id().shortHex() + " (must be forced) - image is referenced in multiple repositories");
        List<RemovedItem> removed = strata.images().remove(image.id().shortHex(), true, true);
        assertThat(removed).contains(RemovedItem.untagged("fixture:1"), RemovedItem.untagged("other/name:latest"),
                RemovedItem.deleted(image.id().toString()));
        assertThat(rows("images")).isZero();
        assertThat(rows("layers")).isZero();
        assertThat(layerDirs(root, driver)).isEmpty();
    }

    @Test
    void rmiKeepsLayersThatAnotherImageUses() throws Exception {
        Path tar = TarFixtures.rootfs(work, "a");
        importFile(tar, "one");
        importFile(tar, "two");
        List<RemovedItem> removed = strata.images().remove("one", false, true);
        assertThat(removed).extracting(RemovedItem::kind).containsExactly(RemovedItem.Kind.UNTAGGED, RemovedItem.Kind.DELETED);
        assertThat(rows("layers")).isEqualTo(1);
        removed = strata.images().remove("two", false, true);
        assertThat(removed).hasSize(3); // untagged, the image, and now its layer
        assertThat(rows("layers")).isZero();
    }

    @Test
    void aBrokenTarballLeavesTheStoreAsItWas() throws Exception {
        byte[] good = Files.readAllBytes(TarFixtures.rootfs(work, "a"));
        byte[] truncated = Arrays.copyOf(good, 1500);
        assertThatThrownBy(() -> strata.images().importImage(new ByteArrayInputStream(truncated), ImportOptions.tagged("broken")))
                .isInstanceOf(BadContentException.class);
        assertThat(rows("images")).isZero();
        assertThat(rows("layers")).isZero();
        assertThat(rows("tags")).isZero();
        assertEmptyStore(root, driver);
    }

    @Test
    void badArgumentsFailBeforeAnyWork() throws Exception {
        Path tar = TarFixtures.rootfs(work, "a");
        assertThatThrownBy(() -> importFile(tar, "Upper:case")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("\"Upper:case\"");
        assertThatThrownBy(() -> importFile(tar, "ok", "FROB x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("\"FROB\" is not supported");
        assertThatThrownBy(() -> importFile(tar, "name@sha256:" + "a".repeat(64))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("cannot contain a digest");
        assertEmptyStore(root, driver);
        assertThat(rows("images")).isZero();
    }

    @Test
    void aReopenedStoreHasEverything() throws Exception {
        ImageSummary image = importFile(TarFixtures.rootfs(work, "a"), "keep");
        strata.close();
        strata = Strata.open(StrataOptions.at(root));
        assertThat(strata.store().driver().name()).isEqualTo(driver);
        assertThat(strata.images().list(false)).extracting(ImageSummary::id).containsExactly(image.id());
    }

    @Test
    void theStoreRemembersItsDriver() throws Exception {
        strata.close();
        String other = driver.equals("vfs") ? "overlay2" : "vfs";
        assertThatThrownBy(() -> Strata.open(new StrataOptions(root, Optional.of(other), m -> { })))
                .hasMessageContaining("created with the " + driver + " storage driver");
        assertThatThrownBy(() -> Strata.open(new StrataOptions(work.resolve("other"), Optional.of("zfs-nope"), m -> { })))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown storage driver \"zfs-nope\"");
        strata = Strata.open(StrataOptions.at(root));
    }

    @Test
    void pruneRemovesDanglingImages() throws Exception {
        Path tar = TarFixtures.rootfs(work, "a");
        ImageSummary first = importFile(tar, "name");
        importFile(TarFixtures.rootfs(work, "b"), "name"); // moves the tag: the first image is now dangling
        assertThat(strata.images().list(false)).filteredOn(ImageSummary::dangling).extracting(ImageSummary::id).containsExactly(first.id());
        PruneReport report = strata.images().prune(false);
        assertThat(report.removed()).contains(RemovedItem.deleted(first.id().toString()));
        assertThat(report.reclaimedBytes()).isEqualTo(first.size());
        assertThat(strata.images().list(true)).hasSize(1);
    }
}
