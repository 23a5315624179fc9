package dev.strata.engine.image;

import dev.strata.image.MediaTypes;
import static dev.strata.testing.StoreAssertions.entries;
import static dev.strata.testing.StoreAssertions.layerDirs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.error.BadContentException;
import dev.strata.error.NotFoundException;
import dev.strata.image.ImageJson;
import dev.strata.metadata.Tx;
import dev.strata.reference.Reference;
import dev.strata.testing.TarFixtures;
import dev.strata.image.Descriptor;
import dev.strata.image.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@ValueSource(strings = {"overlay2", "vfs"})
class ImageArchivesTest {
    @Parameter
    String driver;
    @TempDir
    Path work;
    Path root;
    Strata strata;

    @BeforeEach
    void open() throws Exception {
        root = work.resolve("root");
        strata = Strata.open(new StrataOptions(root, java.util.Optional.of(driver), m -> { }));
    }

    @AfterEach
    void close() throws Exception {
        strata.close();
    }

    // ---- fixtures ----

    private ImageSummary importFile(Path tar, String tag) throws Exception {
        try (InputStream in = Files.newInputStream(tar)) {
            return strata.images().importImage(in, new ImportOptions(Optional.ofNullable(tag), List.of(), Optional.empty(), "-"));
        }
    }

    /** A layer that adds a file and deletes etc/hostname (a whiteout), to sit on a {@link TarFixtures#rootfs}. */
    private byte[] upperLayer(String seed) throws Exception {
        Path dir = TarFixtures.tree(work.resolve("upper-" + seed), Map.of("etc/extra-" + seed, "added by " + seed + "\n",
                "etc/.wh.hostname", ""));
        return Files.readAllBytes(TarFixtures.tar(dir, work.resolve("upper-" + seed + ".tar")));
    }

    static byte[] config(List<Digest> diffIds, String created) {
        StringBuilder ids = new StringBuilder();
        for (Digest d : diffIds) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(d).append('"');
        }
        return ("{\"architecture\":\"" + Platform.host().architecture() + "\",\"os\":\"linux\",\"created\":\"" + created
                + "\",\"config\":{\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids
                + "]},\"history\":[{\"created\":\"" + created + "\",\"comment\":\"test\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** A Docker ≤ 24 style archive of one image with the given (uncompressed or compressed) layer blobs. */
    static TestArchive legacyArchive(String tag, List<Digest> diffIds, byte[]... layerBlobs) {
        TestArchive a = new TestArchive();
        byte[] config = config(diffIds, "2024-01-02T03:04:05Z");
        Digest id = Digester.of(config);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < layerBlobs.length; i++) {
            String p = "l" + i + "/layer.tar";
            a.file(p, layerBlobs[i]);
            paths.add("\"" + p + "\"");
        }
        a.file(id.hex() + ".json", config);
        a.file("manifest.json", "[{\"Config\":\"" + id.hex() + ".json\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":["
                + String.join(",", paths) + "]}]");
        return a;
    }

    private List<LoadedImage> load(byte[] archive) throws Exception {
        return strata.archives().load(new ByteArrayInputStream(archive), "test");
    }

    private byte[] save(SaveFormat format, String... names) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        strata.archives().save(List.of(names), out, format);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Everything a failed load must not change. */
    record State(long images, long layers, long tags, List<String> blobs, List<String> layerDirs, List<String> ingest) {
    }

    private State state() throws Exception {
        try (Tx tx = strata.store().read()) {
            State s = new State(tx.count("SELECT COUNT(*) FROM images"), tx.count("SELECT COUNT(*) FROM layers"),
                    tx.count("SELECT COUNT(*) FROM tags"), entries(root.resolve("blobs/sha256")), layerDirs(root, driver),
                    entries(root.resolve("ingest")));
            tx.commit();
            return s;
        }
    }

    private void assertLoadFails(byte[] archive, String... messageParts) throws Exception {
        State before = state();
        assertThatThrownBy(() -> load(archive)).isInstanceOf(BadContentException.class).hasMessageContainingAll(messageParts);
        assertThat(state()).isEqualTo(before);
    }

    /** A store with a one-layer imported image (two tags) and a two-layer image on top of the same base layer. */
    private record Fixture(Digest single, Digest twoLayer, List<Digest> twoLayerDiffIds) {
    }

    private Fixture fixture() throws Exception {
        Path base = TarFixtures.rootfs(work, "base");
        ImageSummary single = importFile(base, "fixture/single:1");
        strata.images().tag("fixture/single:1", "fixture/single:2");
        byte[] upper = upperLayer("u");
        List<Digest> diffIds = List.of(Digester.of(Files.readAllBytes(base)), Digester.of(upper));
        List<LoadedImage> loaded = load(legacyArchive("fixture/two:layers", diffIds, Files.readAllBytes(base), upper).bytes());
        return new Fixture(single.id(), loaded.getFirst().id(), diffIds);
    }

    private List<String> tarNames(byte[] archive) throws Exception {
        Path f = work.resolve("listing.tar");
        Files.write(f, archive);
        Process p = new ProcessBuilder("tar", "-tf", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    // ---- round trips ----

    @ParameterizedTest
    @EnumSource(SaveFormat.class)
    void saveThenLoadGivesBackTheSameImagesTagsAndLayers(SaveFormat format) throws Exception {
        Fixture f = fixture();
        byte[] archive = save(format, "fixture/single:1", "fixture/two:layers");

        strata.images().remove("fixture/single:1", false, true);
        strata.images().remove("fixture/single:2", false, true);
        strata.images().remove("fixture/two:layers", false, true);
        assertThat(state().images()).isZero();
        assertThat(state().layers()).isZero();

        List<LoadedImage> loaded = load(archive);
        assertThat(loaded).containsExactlyInAnyOrder(
                new LoadedImage(f.single(), List.of(Reference.parse("fixture/single:1"))),
                new LoadedImage(f.twoLayer(), List.of(Reference.parse("fixture/two:layers"))));
        ImageDetails two = strata.images().inspect("fixture/two:layers");
        assertThat(two.id()).isEqualTo(f.twoLayer().toString());
        assertThat(two.rootFs().layers()).containsExactlyElementsOf(f.twoLayerDiffIds().stream().map(Digest::toString).toList());
        assertThat(strata.images().inspect("fixture/single:1").id()).isEqualTo(f.single().toString());
        // fixture/single:2 was not named, so it is not in the archive
        assertThatThrownBy(() -> strata.images().inspect("fixture/single:2")).isInstanceOf(NotFoundException.class);
        assertThat(state().layers()).isEqualTo(2); // the base layer is shared
        // The stack is right: the upper layer's whiteout hides the base layer's file (vfs: gone from the full
        // copy; overlay2: a whiteout in the diff).
        Path top = strata.store().driver().diffDir(cacheIdOf(two));
        assertThat(top.resolve("etc/extra-u")).hasContent("added by u");
        if (driver.equals("vfs")) {
            assertThat(top.resolve("etc/hostname")).doesNotExist();
            assertThat(top.resolve("etc/os-release")).exists();
        } else {
            assertThat(strata.store().driver().whiteoutFormat().isWhiteout(top.resolve("etc/hostname"))).isTrue();
        }
    }

    private String cacheIdOf(ImageDetails image) throws Exception {
        Digest top = dev.strata.digest.ChainId.chain(image.rootFs().layers().stream().map(Digest::parse).toList()).getLast();
        try (Tx tx = strata.store().read()) {
            String id = strata.store().layers().require(tx, top).cacheId();
            tx.commit();
            return id;
        }
    }

    @ParameterizedTest
    @EnumSource(SaveFormat.class)
    void saveIsDeterministicAndWritesEachLayerOnce(SaveFormat format) throws Exception {
        Fixture f = fixture();
        byte[] one = save(format, "fixture/single:1", "fixture/two:layers");
        byte[] two = save(format, "fixture/two:layers", "fixture/single:1");
        assertThat(two).isEqualTo(one);

        List<String> names = tarNames(one);
        assertThat(names).isSorted();
        String base = f.twoLayerDiffIds().getFirst().hex();
        if (format == SaveFormat.DOCKER_LEGACY) {
            // one layer.tar per v1 layer; the base tar sits under two v1 IDs (top of one image, bottom of the other)
            assertThat(names).filteredOn(n -> n.endsWith("/layer.tar")).hasSize(3);
            assertThat(names).contains(f.single().hex() + ".json", f.twoLayer().hex() + ".json", "manifest.json", "repositories");
        } else {
            assertThat(names).filteredOn(n -> n.equals("blobs/sha256/" + base)).hasSize(1);
            assertThat(names).contains("oci-layout", "index.json", "blobs/sha256/" + f.single().hex());
            assertThat(names.contains("manifest.json")).isEqualTo(format == SaveFormat.DOCKER);
        }
    }

    @Test
    void layersFromBeforeTarSizesWereRecordedAreCountedOnce() throws Exception {
        fixture();
        byte[] expected = save(SaveFormat.DOCKER, "fixture/two:layers");
        try (Tx tx = strata.store().write()) {
            tx.update("UPDATE layers SET tar_size = NULL"); // as rows written before schema migration 2 are
            tx.commit();
        }
        assertThat(save(SaveFormat.DOCKER, "fixture/two:layers")).isEqualTo(expected);
    }

    @Test
    void dockerFormatLooksLikeDocker25() throws Exception {
        Fixture f = fixture();
        byte[] archive = save(SaveFormat.DOCKER, "fixture/two:layers");
        Path dir = Files.createDirectories(work.resolve("x"));
        Files.write(work.resolve("x.tar"), archive);
        TarFixtures.run(List.of("tar", "-C", dir.toString(), "-xf", work.resolve("x.tar").toString()));

        assertThat(dir.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\": \"1.0.0\"}");
        assertThat(Files.readString(dir.resolve("manifest.json"))).isEqualTo("[{\"Config\":\"blobs/sha256/" + f.twoLayer().hex()
                + "\",\"RepoTags\":[\"fixture/two:layers\"],\"Layers\":[\"blobs/sha256/" + f.twoLayerDiffIds().get(0).hex()
                + "\",\"blobs/sha256/" + f.twoLayerDiffIds().get(1).hex() + "\"]}]\n");
        ArchiveJson.Index index = ImageJson.read(Files.readAllBytes(dir.resolve("index.json")), ArchiveJson.Index.class, "index");
        assertThat(index.manifests()).hasSize(1);
        Descriptor d = index.manifests().getFirst();
        assertThat(d.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(d.annotations()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "io.containerd.image.name", "docker.io/fixture/two:layers", "org.opencontainers.image.ref.name", "layers")));
        byte[] manifestBytes = Files.readAllBytes(dir.resolve("blobs/sha256/" + d.digest().hex()));
        ArchiveJson.Manifest m = ImageJson.read(manifestBytes, ArchiveJson.Manifest.class, "manifest");
        assertThat(m.config().digest()).isEqualTo(f.twoLayer());
        assertThat(m.layers()).extracting(Descriptor::mediaType).containsOnly("application/vnd.oci.image.layer.v1.tar");
        assertThat(m.layers()).extracting(Descriptor::digest).containsExactlyElementsOf(f.twoLayerDiffIds());
        // config byte for byte, layer blobs are the exact layer tars
        assertThat(Digester.of(Files.readAllBytes(dir.resolve("blobs/sha256/" + f.twoLayer().hex())))).isEqualTo(f.twoLayer());
        for (Digest diffId : f.twoLayerDiffIds()) {
            assertThat(Digester.of(Files.readAllBytes(dir.resolve("blobs/sha256/" + diffId.hex())))).isEqualTo(diffId);
        }
    }

    @Test
    void imagesSavedByIdHaveNoTagsAndABareRepositoryNameSavesAllItsTags() throws Exception {
        Fixture f = fixture();
        byte[] byId = save(SaveFormat.DOCKER, f.single().hex().substring(0, 12));
        byte[] byRepo = save(SaveFormat.DOCKER, "fixture/single");
        strata.images().remove(f.single().toString(), true, true);

        assertThat(load(byId)).containsExactly(new LoadedImage(f.single(), List.of()));
        assertThat(load(byRepo)).containsExactly(new LoadedImage(f.single(),
                List.of(Reference.parse("fixture/single:1"), Reference.parse("fixture/single:2"))));
    }

    @Test
    void unknownNamesFailBeforeAnythingIsWritten() throws Exception {
        fixture();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> strata.archives().save(List.of("fixture/single:1", "no/such:image"), out, SaveFormat.DOCKER))
                .isInstanceOf(NotFoundException.class).hasMessage("No such image: no/such:image");
        assertThat(out.size()).isZero();
    }

    @Test
    void loadSkipsLayersTheStoreHasAndAcceptsACompressedArchive() throws Exception {
        Fixture f = fixture();
        byte[] archive = save(SaveFormat.DOCKER, "fixture/two:layers");
        // The two-layer image goes, with its upper layer; the base layer stays (the imported image uses it).
        strata.images().remove("fixture/two:layers", false, true);
        State before = state();
        assertThat(before.layers()).isEqualTo(1);
        assertThat(load(gzip(archive))).containsExactly(new LoadedImage(f.twoLayer(), List.of(Reference.parse("fixture/two:layers"))));
        State after = state();
        assertThat(after.layers()).isEqualTo(2);
        assertThat(after.layerDirs()).hasSize(2).containsAll(before.layerDirs()); // only the upper layer was applied
        assertThat(after.ingest()).isEmpty();
    }

    @Test
    void bigLayersAreSpooledToDiskAndTheSpoolIsRemovedAfterwards() throws Exception {
        byte[] noise = new byte[3 << 20];
        new java.util.Random(42).nextBytes(noise);
        Path dir = TarFixtures.tree(work.resolve("big"), Map.of("etc/marker", "big\n"));
        Files.write(dir.resolve("noise.bin"), noise);
        byte[] big = Files.readAllBytes(TarFixtures.tar(dir, work.resolve("big.tar")));
        byte[] upper = upperLayer("big");
        List<Digest> diffIds = List.of(Digester.of(big), Digester.of(upper));

        State before = state();
        TestArchive broken = legacyArchive("big:1", diffIds, big, gzip(upper)).remove("l1/layer.tar");
        assertThatThrownBy(() -> load(broken.bytes())).isInstanceOf(BadContentException.class).hasMessageContaining("l1/layer.tar");
        assertThat(state()).isEqualTo(before);

        load(legacyArchive("big:1", diffIds, big, gzip(upper)).bytes());
        assertThat(state().ingest()).isEmpty();
        assertThat(strata.images().inspect("big:1").rootFs().layers()).containsExactlyElementsOf(diffIds.stream().map(Digest::toString).toList());
    }

    @Test
    void gzipLayersAndLinksInsideTheArchiveLoad() throws Exception {
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "g"));
        byte[] upper = upperLayer("g");
        List<Digest> diffIds = List.of(Digester.of(base), Digester.of(upper));
        // podman and skopeo write each tar once at the top and point the v1 directories at it with symlinks
        TestArchive a = legacyArchive("gz:1", diffIds, gzip(base), upper);
        a.file("shared.tar", upper).remove("l1/layer.tar").symlink("l1/layer.tar", "../shared.tar");
        List<LoadedImage> loaded = load(a.bytes());
        assertThat(strata.images().inspect("gz:1").rootFs().layers())
                .containsExactlyElementsOf(diffIds.stream().map(Digest::toString).toList());
        assertThat(loaded.getFirst().id()).isEqualTo(Digester.of(config(diffIds, "2024-01-02T03:04:05Z")));
    }

    @Test
    void anOciLayoutWithANestedIndexLoadsTheHostPlatform() throws Exception {
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "o"));
        Digest diffId = Digester.of(base);
        TestArchive a = new TestArchive();
        byte[] gz = gzip(base);
        Digest layer = a.blob(gz);
        byte[] config = config(List.of(diffId), "2024-01-02T03:04:05Z");
        Digest id = a.blob(config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + id + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":" + gz.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        Digest m = a.blob(manifest);
        String other = Platform.host().architecture().equals("arm64") ? "amd64" : "arm64";
        byte[] nested = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":1,"
                + "\"platform\":{\"architecture\":\"" + other + "\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + m + "\",\"size\":" + manifest.length + ","
                + "\"platform\":{\"architecture\":\"" + Platform.host().architecture() + "\",\"os\":\"linux\"}}]}").getBytes(StandardCharsets.UTF_8);
        Digest n = a.blob(nested);
        a.file("index.json", "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"digest\":\""
                + n + "\",\"size\":" + nested.length + ",\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/multi:1\","
                + "\"org.opencontainers.image.ref.name\":\"1\"}}]}");
        a.file("oci-layout", ArchiveJson.OCI_LAYOUT);
        assertThat(load(a.bytes())).containsExactly(new LoadedImage(id, List.of(Reference.parse("multi:1"))));
    }

    // ---- load errors: each names what is wrong and leaves the store as it was ----

    @Test
    void anArchiveWithoutManifestOrIndexIsRefused() throws Exception {
        fixture();
        assertLoadFails(new TestArchive().file("hello.txt", "hi").bytes(), "neither manifest.json nor index.json");
        assertLoadFails(new TestArchive().file("index.json", "{\"schemaVersion\":2,\"manifests\":[]}").bytes(), "no container images");
        assertLoadFails(new TestArchive().file("manifest.json", "{\"not\":\"a list\"}").bytes(), "manifest.json is not valid JSON");
    }

    @Test
    void aMissingLayerFileIsRefused() throws Exception {
        fixture();
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "m"));
        byte[] upper = upperLayer("m");
        TestArchive a = legacyArchive("m:1", List.of(Digester.of(base), Digester.of(upper)), base, upper).remove("l1/layer.tar");
        assertLoadFails(a.bytes(), "no file \"l1/layer.tar\"", "layer 2");
    }

    @Test
    void aTruncatedArchiveIsRefused() throws Exception {
        fixture();
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "t"));
        byte[] whole = legacyArchive("t:1", List.of(Digester.of(base)), base).bytes();
        assertLoadFails(Arrays.copyOf(whole, 3000), "not a valid tar", "truncated");
    }

    @Test
    void aConfigThatIsNotJsonIsRefused() throws Exception {
        fixture();
        byte[] config = "this is not json".getBytes(StandardCharsets.UTF_8);
        Digest id = Digester.of(config);
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "c"));
        TestArchive a = new TestArchive().file("l/layer.tar", base).file(id.hex() + ".json", config)
                .file("manifest.json", "[{\"Config\":\"" + id.hex() + ".json\",\"RepoTags\":[\"c:1\"],\"Layers\":[\"l/layer.tar\"]}]");
        assertLoadFails(a.bytes(), "image config \"" + id.hex() + ".json\" is not valid JSON");
    }

    @Test
    void aConfigWhoseDigestIsNotItsNameIsRefused() throws Exception {
        fixture();
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "n"));
        byte[] config = config(List.of(Digester.of(base)), "2024-01-01T00:00:00Z");
        String wrong = "ab".repeat(32);
        TestArchive a = new TestArchive().file("l/layer.tar", base).file(wrong + ".json", config)
                .file("manifest.json", "[{\"Config\":\"" + wrong + ".json\",\"Layers\":[\"l/layer.tar\"]}]");
        assertLoadFails(a.bytes(), wrong + ".json", "digest " + Digester.of(config), "expected sha256:" + wrong);
    }

    @Test
    void anOciBlobThatDoesNotMatchItsDescriptorIsRefused() throws Exception {
        fixture();
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "b"));
        Digest diffId = Digester.of(base);
        TestArchive a = new TestArchive();
        byte[] config = config(List.of(diffId), "2024-01-01T00:00:00Z");
        Digest id = a.blob(config);
        // the layer sits under its own name but the bytes are another file's
        byte[] other = Files.readAllBytes(TarFixtures.rootfs(work, "other"));
        a.file("blobs/sha256/" + diffId.hex(), other);
        byte[] manifest = ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + id
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER + "\",\"digest\":\""
                + diffId + "\",\"size\":" + base.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest m = a.blob(manifest);
        a.file("index.json", "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                + m + "\",\"size\":" + manifest.length + "}]}");
        assertLoadFails(a.bytes(), "\"blobs/sha256/" + diffId.hex() + "\"", "digest " + Digester.of(other), "expected " + diffId);
    }

    @Test
    void aLayerWhoseDiffIdIsNotTheConfigsIsRefused() throws Exception {
        fixture();
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "d"));
        byte[] upper = upperLayer("d");
        Digest claimed = Digester.of("something else");
        // gzip: the DiffID is only known once the layer is applied, so this fails after the first layer was prepared
        TestArchive a = legacyArchive("d:1", List.of(Digester.of(base), claimed), base, gzip(upper));
        assertLoadFails(a.bytes(), "\"l1/layer.tar\"", "DiffID " + Digester.of(upper), "the config says " + claimed);
        // uncompressed: caught before anything is applied
        TestArchive b = legacyArchive("d:1", List.of(claimed), base);
        assertLoadFails(b.bytes(), "\"l0/layer.tar\"", "DiffID " + Digester.of(base), "the config says " + claimed);
    }

    @Test
    void aHostileLayerIsRefused() throws Exception {
        fixture();
        byte[] base = Files.readAllBytes(TarFixtures.rootfs(work, "h"));
        byte[] evil = new TestArchive().file("../../escaped", "boom").bytes();
        TestArchive a = legacyArchive("h:1", List.of(Digester.of(base), Digester.of(evil)), base, evil);
        assertLoadFails(a.bytes(), "\"l1/layer.tar\"", "escaped");
        assertThat(work.resolve("escaped")).doesNotExist();
        assertThat(root.resolve("escaped")).doesNotExist();
    }
}
