package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digest;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.image.ImportOptions;
import dev.strata.engine.image.SaveFormat;
import dev.strata.image.ImageJson;
import dev.strata.layer.Layer;
import dev.strata.metadata.Tx;
import dev.strata.reference.Reference;
import dev.strata.testing.TarFixtures;
import dev.strata.image.Platform;
import dev.strata.image.Descriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull and push against Debian's docker-registry (distribution 2.8), without auth, and interop with skopeo in both
 * directions: what Strata pushes skopeo reads with the same digest, what skopeo pushes Strata pulls with the same image
 * ID.
 */
class RegistryTest {
    static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200));

    @TempDir
    static Path shared;
    static TestRegistry registry;

    @TempDir
    Path work;
    Strata strata;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.open(shared.resolve("registry"));
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void open() throws Exception {
        strata = Strata.open(StrataOptions.at(work.resolve("root")));
    }

    @AfterEach
    void close() throws Exception {
        strata.close();
    }

    static RegistryOptions options() {
        return RegistryOptions.defaults().withAuthFile(Path.of("/nonexistent/strata-test/config.json")).withRetry(FAST_RETRY);
    }

    static PullOptions pullOptions() {
        return PullOptions.of(options());
    }

    static PushOptions pushOptions() {
        return PushOptions.of(options());
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    private Digest importFixture(String seed, String tag) throws Exception {
        Path rootfs = TarFixtures.rootfs(work, seed);
        try (InputStream in = Files.newInputStream(rootfs)) {
            return strata.images().importImage(in, ImportOptions.tagged(tag)).id();
        }
    }

    /** Records progress lines (without the byte-count updates). */
    static final class Lines implements Progress.Listener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void on(Progress p) {
            if (!p.isUpdate()) {
                lines.add(p.id().map(id -> id + ": ").orElse("") + p.status());
            }
        }
    }

    @Test
    void anImportedImagePushesAndPullsBackWithItsIdAndSkopeoReadsTheSameDigest() throws Exception {
        String name = registry.ref("strata/one:1");
        Digest id = importFixture("one", name);
        Lines first = new Lines();
        PushResult pushed = strata.registry().push(name, pushOptions(), first);
        assertThat(pushed.uploaded()).isEqualTo(1);
        assertThat(first.lines).contains("The push refers to repository [" + registry.host() + "/strata/one]")
                .contains("1: digest: " + pushed.digest() + " size: " + pushed.size());

        // skopeo sees the same manifest digest and the image ID as its config digest, and can copy it out
        Map<?, ?> inspect = ImageJson.MAPPER.readValue(run(registry.skopeo("inspect", "--tls-verify=false", "docker://" + name)), Map.class);
        assertThat(inspect.get("Digest")).isEqualTo(pushed.digest().toString());
        Map<?, ?> raw = ImageJson.MAPPER.readValue(run(registry.skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + name)), Map.class);
        assertThat(raw.get("mediaType")).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(((Map<?, ?>) raw.get("config")).get("digest")).isEqualTo(id.toString());
        run(registry.skopeo("copy", "--src-tls-verify=false", "docker://" + name, "docker-archive:" + work.resolve("copied.tar") + ":x/y:1"));

        // the second push sends nothing but the manifest, and the same bytes of it
        Lines second = new Lines();
        PushResult again = strata.registry().push(name, pushOptions(), second);
        assertThat(again.digest()).isEqualTo(pushed.digest());
        assertThat(again.uploaded()).isZero();
        assertThat(again.existing()).isEqualTo(1);
        assertThat(again.bytesUploaded()).isZero();
        assertThat(second.lines).anyMatch(l -> l.endsWith(": Layer already exists"));

        // into another store: same image ID, name@digest recorded, then up to date
        try (Strata other = Strata.open(StrataOptions.at(work.resolve("other")))) {
            Lines pull = new Lines();
            PullResult result = other.registry().pull(name, pullOptions(), pull);
            assertThat(result.id()).isEqualTo(id);
            assertThat(result.digest()).isEqualTo(pushed.digest());
            assertThat(result.upToDate()).isFalse();
            assertThat(pull.lines).contains("Digest: " + pushed.digest(), "Status: Downloaded newer image for " + name)
                    .anyMatch(l -> l.endsWith(": Pull complete"));
            assertThat(other.images().inspect(name).repoDigests()).contains(registry.ref("strata/one@" + pushed.digest()));
            PullResult twice = other.registry().pull(name, pullOptions(), Progress.Listener.NONE);
            assertThat(twice.upToDate()).isTrue();
            assertThat(twice.unpacked()).isEmpty();
            // the layer keeps the blob it came in; pushing it elsewhere in the registry mounts it
            try (Tx tx = other.store().read()) {
                Layer layer = other.store().layers().require(tx, result.skipped().isEmpty() ? result.unpacked().getLast() : result.skipped().getLast());
                assertThat(layer.compressed()).isPresent();
                assertThat(layer.tarSplit()).isEmpty();
                tx.commit();
            }
            other.images().tag(name, registry.ref("strata/mounted:1"));
            Lines mount = new Lines();
            PushResult mounted = other.registry().push(registry.ref("strata/mounted:1"), pushOptions(), mount);
            assertThat(mounted.mounted()).isEqualTo(1);
            assertThat(mounted.digest()).isEqualTo(pushed.digest());
            assertThat(mount.lines).anyMatch(l -> l.endsWith(": Mounted from strata/one"));
        }
    }

    @Test
    void anImagePushedBySkopeoPullsWithItsImageIdAndPushesBackByteForByte() throws Exception {
        Digest id = importFixture("skopeo", "fixture/skopeo:1");
        Path archive = work.resolve("saved.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            strata.archives().save(List.of("fixture/skopeo:1"), out, SaveFormat.DOCKER_LEGACY);
        }
        String name = registry.ref("skopeo/pushed:1");
        run(registry.skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + archive, "docker://" + name));
        Map<?, ?> raw = ImageJson.MAPPER.readValue(run(registry.skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + name)), Map.class);
        Digest config = Digest.parse((String) ((Map<?, ?>) raw.get("config")).get("digest"));
        String skopeoDigest = (String) ImageJson.MAPPER.readValue(run(registry.skopeo("inspect", "--tls-verify=false", "docker://" + name)),
                Map.class).get("Digest");

        try (Strata other = Strata.open(StrataOptions.at(work.resolve("other")))) {
            PullResult pulled = other.registry().pull(name, pullOptions(), Progress.Listener.NONE);
            assertThat(pulled.id()).isEqualTo(config).isEqualTo(id);
            assertThat(pulled.digest().toString()).isEqualTo(skopeoDigest);
            // pushed to another repository: the kept manifest, byte for byte, with the kept blobs
            other.images().tag(name, registry.ref("skopeo/again:2"));
            PushResult again = other.registry().push(registry.ref("skopeo/again:2"), pushOptions(), Progress.Listener.NONE);
            assertThat(again.digest().toString()).isEqualTo(skopeoDigest);
        }
    }

    @Test
    void layersTheStoreHasAreNotDownloadedAgain() throws Exception {
        RegistryClient client = TestImages.client(registry, "shared/base");
        TestImages.TestLayer l1 = TestImages.layer("a.bin", 200_000, 1);
        TestImages.TestLayer l2 = TestImages.layer("b.bin", 150_000, 2);
        TestImages.TestLayer l3 = TestImages.layer("c.bin", 100_000, 3);
        TestImages.push(client, "small", List.of(l1, l2), false, "amd64");
        TestImages.push(client, "big", List.of(l1, l2, l3), true, "amd64");

        PullResult small = strata.registry().pull(registry.ref("shared/base:small"), pullOptions(), Progress.Listener.NONE);
        assertThat(small.unpacked()).hasSize(2);
        Lines lines = new Lines();
        PullResult big = strata.registry().pull(registry.ref("shared/base:big"), pullOptions(), lines);
        assertThat(big.skipped()).isEqualTo(small.unpacked());
        assertThat(big.unpacked()).hasSize(1);
        assertThat(lines.lines).contains(l1.digest().shortHex() + ": Already exists", l2.digest().shortHex() + ": Already exists",
                l3.digest().shortHex() + ": Pulling fs layer", l3.digest().shortHex() + ": Pull complete");
        assertThat(big.bytesDownloaded()).isLessThan(l1.blob().length + l2.blob().length);
        assertThat(strata.images().list(false)).hasSize(2);
    }

    @Test
    void anIndexGivesTheManifestOfTheWantedPlatform() throws Exception {
        RegistryClient client = TestImages.client(registry, "multi/arch");
        TestImages.Pushed amd = TestImages.push(client, "amd64-only", List.of(TestImages.layer("amd", 10_000, 10)), true, "amd64");
        TestImages.Pushed arm = TestImages.push(client, "arm64-only", List.of(TestImages.layer("arm", 10_000, 11)), true, "arm64");
        List<Descriptor> entries = List.of(
                new Descriptor(MediaTypes.OCI_MANIFEST, (long) amd.manifest().bytes().length, amd.manifest().digest(),
                        null, null, new Platform("amd64", "linux", null, null)),
                new Descriptor(MediaTypes.OCI_MANIFEST, (long) arm.manifest().bytes().length, arm.manifest().digest(),
                        null, null, new Platform("arm64", "linux", null, "v8")));
        Manifest index = Manifest.of(ImageJson.write(new ManifestJson.ImageIndex(2, MediaTypes.OCI_INDEX, entries)), MediaTypes.OCI_INDEX);
        client.pushManifest("multi", index);
        String name = registry.ref("multi/arch:multi");

        PullResult arm64 = strata.registry().pull(name, pullOptions().withPlatform(Platform.parse("linux/arm64")), Progress.Listener.NONE);
        assertThat(arm64.id()).isEqualTo(arm.configDigest());
        assertThat(arm64.digest()).isEqualTo(index.digest());
        PullResult amd64 = strata.registry().pull(name, pullOptions().withPlatform(Platform.parse("linux/amd64")), Progress.Listener.NONE);
        assertThat(amd64.id()).isEqualTo(amd.configDigest());
        try (Tx tx = strata.store().read()) {
            assertThat(strata.store().images().manifests(tx, amd64.id())).containsKeys(index.digest(), amd.manifest().digest());
            tx.commit();
        }
        assertThatThrownBy(() -> strata.registry().pull(name, pullOptions().withPlatform(Platform.parse("linux/s390x")),
                Progress.Listener.NONE))
                .isInstanceOf(dev.strata.error.BadContentException.class)
                .hasMessageContaining("no matching manifest for linux/s390x")
                .hasMessageContaining("linux/amd64, linux/arm64/v8");
        // by digest as well
        PullResult byDigest = strata.registry().pull(registry.ref("multi/arch@" + arm.manifest().digest()), pullOptions(),
                Progress.Listener.NONE);
        assertThat(byDigest.id()).isEqualTo(arm.configDigest());
    }

    @Test
    void chunkedUploadsAndOciManifestsRoundTrip() throws Exception {
        Path dir = TarFixtures.tree(work.resolve("random"), Map.of("etc/x", "x\n"));
        byte[] noise = new byte[700_000];
        new java.util.Random(5).nextBytes(noise);
        Files.write(dir.resolve("noise.bin"), noise);
        Path tar = TarFixtures.tar(dir, work.resolve("random.tar"));
        String name = registry.ref("chunked/oci:1");
        Digest id;
        try (InputStream in = Files.newInputStream(tar)) {
            id = strata.images().importImage(in, ImportOptions.tagged(name)).id();
        }
        PushOptions chunked = new PushOptions(PushOptions.ManifestFormat.OCI, options().withUploadChunkSize(64 * 1024), 6);
        PushResult pushed = strata.registry().push(name, chunked, Progress.Listener.NONE);
        Map<?, ?> raw = ImageJson.MAPPER.readValue(run(registry.skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + name)), Map.class);
        assertThat(raw.get("mediaType")).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(pushed.bytesUploaded()).isGreaterThan(700_000);
        try (Strata other = Strata.open(StrataOptions.at(work.resolve("other")))) {
            assertThat(other.registry().pull(name, pullOptions(), Progress.Listener.NONE).id()).isEqualTo(id);
        }
    }

    @Test
    void twoStoresPullingImagesThatShareLayersAtOnceUnpackEachLayerOnce() throws Exception {
        RegistryClient client = TestImages.client(registry, "concurrent/img");
        TestImages.TestLayer base1 = TestImages.layer("base1", 3_000_000, 21);
        TestImages.TestLayer base2 = TestImages.layer("base2", 2_000_000, 22);
        TestImages.push(client, "a", List.of(base1, base2, TestImages.layer("a", 500_000, 23)), false, "amd64");
        TestImages.push(client, "b", List.of(base1, base2, TestImages.layer("b", 500_000, 24)), false, "amd64");
        strata.close();
        for (int round = 0; round < 3; round++) {
            Path root = work.resolve("round-" + round);
            List<PullResult> results = Collections.synchronizedList(new ArrayList<>());
            try (Strata one = Strata.open(StrataOptions.at(root)); Strata two = Strata.open(StrataOptions.at(root));
                    ExecutorService pool = Executors.newFixedThreadPool(2)) {
                Future<PullResult> a = pool.submit(() -> one.registry().pull(registry.ref("concurrent/img:a"), pullOptions(), Progress.Listener.NONE));
                Future<PullResult> b = pool.submit(() -> two.registry().pull(registry.ref("concurrent/img:b"), pullOptions(), Progress.Listener.NONE));
                results.add(a.get());
                results.add(b.get());
                Set<Digest> unpacked = new HashSet<>();
                for (PullResult r : results) {
                    for (Digest d : r.unpacked()) {
                        assertThat(unpacked.add(d)).as("layer " + d + " unpacked twice").isTrue();
                    }
                }
                assertThat(unpacked).hasSize(4);
                try (Tx tx = one.store().read()) {
                    assertThat(one.store().layers().all(tx)).hasSize(4);
                    tx.commit();
                }
                assertThat(one.store().driver().ids()).hasSize(4);
            }
        }
        strata = Strata.open(StrataOptions.at(work.resolve("root")));
    }

    @Test
    void aRegistryThatGoesAwayMidDownloadLeavesNothingVisibleAndThePullResumes() throws Exception {
        Path dir = shared.resolve("killable");
        try (TestRegistry killable = TestRegistry.open(dir)) {
            RegistryClient client = TestImages.client(killable, "big/layer");
            TestImages.TestLayer big = TestImages.layer("big.bin", 24 << 20, 31);
            TestImages.Pushed image = TestImages.push(client, "1", List.of(big), false, "amd64");
            String name = killable.ref("big/layer:1");
            boolean[] killed = {false};
            Progress.Listener killer = p -> {
                if (!killed[0] && p.status().equals(Progress.DOWNLOADING) && p.current().orElse(0) > 0) {
                    killed[0] = true;
                    try {
                        killable.kill();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            assertThatThrownBy(() -> strata.registry().pull(name, pullOptions(), killer))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("gave up after");
            assertThat(killed[0]).isTrue();
            // nothing visible, no layer directory, no blob; the partial download waits in ingest/
            assertThat(strata.images().list(true)).isEmpty();
            assertThat(strata.store().driver().ids()).isEmpty();
            assertThat(strata.store().content().list()).isEmpty();
            Path partial = work.resolve("root/ingest/" + LayerDownload.ingestRef(big.digest()));
            assertThat(partial).exists();
            long kept = Files.size(partial);
            assertThat(kept).isGreaterThan(0).isLessThan(big.blob().length);

            killable.start();
            PullResult resumed = strata.registry().pull(name, pullOptions(), Progress.Listener.NONE);
            assertThat(resumed.id()).isEqualTo(image.configDigest());
            assertThat(resumed.bytesDownloaded()).isLessThan(big.blob().length).isLessThanOrEqualTo(big.blob().length - kept + 100_000);
            assertThat(partial).doesNotExist();
            assertThat(strata.store().content().exists(big.digest())).isTrue();
        }
    }

    @Test
    void unknownNamesAndTagsAreClearErrors() throws Exception {
        assertThatThrownBy(() -> strata.registry().pull(registry.ref("no/such:thing"), pullOptions(), Progress.Listener.NONE))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> strata.registry().push(registry.ref("not/local:1"), pushOptions(), Progress.Listener.NONE))
                .isInstanceOf(dev.strata.error.NotFoundException.class);
        assertThatThrownBy(() -> strata.registry().pull("Bad:Name", pullOptions(), Progress.Listener.NONE))
                .isInstanceOf(dev.strata.error.InvalidArgumentException.class);
        assertThat(Reference.parse(registry.ref("x")).domain()).isEqualTo(registry.host());
        assertThat(Optional.empty()).isEmpty();
    }
}
