package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.error.BadContentException;
import dev.strata.image.ImageJson;
import dev.strata.metadata.Tx;
import dev.strata.image.Descriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a real registry does not make on demand, from {@link FakeRegistry}: wrong bytes for a digest, bodies cut
 * short, error statuses. Each ends in a clear error or a retry that succeeds; a failed pull leaves nothing visible.
 */
class RegistryFaultTest {
    @TempDir
    Path work;
    Strata strata;
    FakeRegistry fake;
    TestImages.TestLayer layer;
    byte[] config;
    Manifest manifest;

    @BeforeEach
    void open() throws Exception {
        strata = Strata.open(StrataOptions.at(work.resolve("root")));
        fake = new FakeRegistry();
        layer = TestImages.layer("data.bin", 300_000, 7);
        config = TestImages.config(List.of(layer), "amd64");
        Digest configDigest = Digester.of(config);
        manifest = Manifest.of(ImageJson.write(new ManifestJson.ImageManifest(2, MediaTypes.DOCKER_MANIFEST,
                Descriptor.of(MediaTypes.DOCKER_CONFIG, config.length, configDigest),
                List.of(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, layer.blob().length, layer.digest())), null)),
                MediaTypes.DOCKER_MANIFEST);
        fake.manifest("x/y", "1", manifest);
        fake.blobs.put(configDigest, config);
        fake.blobs.put(layer.digest(), layer.blob());
    }

    @AfterEach
    void close() throws Exception {
        fake.close();
        strata.close();
    }

    private String name() {
        return fake.host() + "/x/y:1";
    }

    private String blobPath() {
        return "/v2/x/y/blobs/" + layer.digest();
    }

    private PullResult pull() throws Exception {
        return strata.registry().pull(name(), RegistryTest.pullOptions(), Progress.Listener.NONE);
    }

    private void assertNothingVisible() throws Exception {
        assertThat(strata.images().list(true)).isEmpty();
        try (Tx tx = strata.store().read()) {
            assertThat(strata.store().layers().all(tx)).isEmpty();
            tx.commit();
        }
        assertThat(strata.store().driver().ids()).as("layer directories").isEmpty();
        assertThat(strata.store().content().list()).as("blobs").isEmpty();
    }

    @Test
    void theFakeServesAGoodImage() throws Exception {
        PullResult r = pull();
        assertThat(r.id()).isEqualTo(Digester.of(config));
        assertThat(r.digest()).isEqualTo(manifest.digest());
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestIsDiscarded() throws Exception {
        byte[] wrong = TestImages.layer("data.bin", 300_000, 8).blob();
        fake.blobs.put(layer.digest(), java.util.Arrays.copyOf(wrong, layer.blob().length));
        assertThatThrownBy(this::pull).isInstanceOf(BadContentException.class)
                .hasMessageContaining("digest mismatch")
                .hasMessageContaining("expected " + layer.digest());
        assertNothingVisible();
        assertThat(Files.list(work.resolve("root/ingest")).toList()).as("the bad download is not kept").isEmpty();
    }

    @Test
    void aManifestWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
        byte[] other = manifest.bytes().clone();
        other[other.length - 2] = ' ';
        fake.manifests.put("x/y/" + manifest.digest(), other);
        assertThatThrownBy(() -> strata.registry().pull(fake.host() + "/x/y@" + manifest.digest(), RegistryTest.pullOptions(),
                Progress.Listener.NONE))
                .isInstanceOf(BadContentException.class).hasMessageContaining("digest mismatch")
                .hasMessageContaining("expected " + manifest.digest());
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Body(manifest.bytes(), Map.of("Content-Type", MediaTypes.DOCKER_MANIFEST,
                "Docker-Content-Digest", Digester.of(other).toString())));
        assertThatThrownBy(this::pull).isInstanceOf(BadContentException.class).hasMessageContaining("digest mismatch");
        assertNothingVisible();
    }

    @Test
    void aTruncatedBodyIsResumedWithARange() throws Exception {
        fake.fault(blobPath(), new FakeRegistry.Truncate(100_000));
        PullResult r = pull();
        assertThat(r.id()).isEqualTo(Digester.of(config));
        assertThat(fake.requests).contains("GET " + blobPath() + " bytes=100000-");
    }

    @Test
    void aStalledDownloadIsBrokenOffAndResumed() throws Exception {
        fake.fault(blobPath(), new FakeRegistry.Stall(50_000, 20_000));
        PullOptions options = PullOptions.of(RegistryTest.options().withStallTimeout(java.time.Duration.ofMillis(300)));
        long start = System.nanoTime();
        PullResult r = strata.registry().pull(name(), options, Progress.Listener.NONE);
        assertThat(r.id()).isEqualTo(Digester.of(config));
        assertThat(fake.requests).contains("GET " + blobPath() + " bytes=50000-");
        // broken off after 300 ms of silence, not waited out (20 s); the bound leaves room for a loaded machine
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(15));
    }

    @Test
    void aDownloadThatKeepsFailingStopsAndTheNextPullResumesIt() throws Exception {
        fake.fault(blobPath(), new FakeRegistry.Truncate(120_000), new FakeRegistry.Status(503, Map.of()),
                new FakeRegistry.Status(503, Map.of()), new FakeRegistry.Status(503, Map.of()),
                new FakeRegistry.Status(503, Map.of()), new FakeRegistry.Status(503, Map.of()),
                new FakeRegistry.Status(503, Map.of()), new FakeRegistry.Status(503, Map.of()),
                new FakeRegistry.Status(503, Map.of()), new FakeRegistry.Status(503, Map.of()));
        assertThatThrownBy(this::pull).isInstanceOf(RegistryException.class).hasMessageContaining("HTTP 503");
        assertNothingVisible();
        fake.faults.clear();
        PullResult r = pull();
        assertThat(r.bytesDownloaded()).isLessThan(layer.blob().length);
        assertThat(fake.requests).contains("GET " + blobPath() + " bytes=120000-");
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetried() throws Exception {
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Status(429, Map.of("Retry-After", "0")), new FakeRegistry.Status(502, Map.of()));
        fake.fault(blobPath(), new FakeRegistry.Status(500, Map.of()));
        PullResult r = pull();
        assertThat(r.id()).isEqualTo(Digester.of(config));
        assertThat(fake.count("/manifests/1")).isEqualTo(3);
    }

    @Test
    void aServerErrorThatPersistsEndsWithTheRegistrysMessage() throws Exception {
        for (int i = 0; i < 10; i++) {
            fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Status(500, Map.of()));
        }
        assertThatThrownBy(this::pull).isInstanceOf(RegistryException.class).hasMessageContaining("fake 500").hasMessageContaining("HTTP 500");
        assertThat(fake.count("/manifests/1")).isEqualTo(RegistryTest.FAST_RETRY.attempts());
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Status(403, Map.of()));
        assertThatThrownBy(this::pull).isInstanceOf(RegistryException.class).hasMessageContaining("denied").hasMessageContaining("HTTP 403");
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Status(404, Map.of()));
        assertThatThrownBy(this::pull).isInstanceOf(RegistryException.class).hasMessageContaining("not found").hasMessageContaining("HTTP 404");
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Status(401, Map.of()));
        assertThatThrownBy(this::pull).isInstanceOf(RegistryException.class).hasMessageContaining("HTTP 401");
        assertThat(fake.count("/manifests/1")).isEqualTo(3);
        assertNothingVisible();
    }

    @Test
    void aRegistryThatWantsCredentialsWeDoNotHaveSaysSo() throws Exception {
        fake.challenge = "Basic realm=\"fake\"";
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Status(401, Map.of("WWW-Authenticate", "Basic realm=\"fake\"")));
        assertThatThrownBy(this::pull).isInstanceOf(RegistryException.class)
                .hasMessageContaining("unauthorized")
                .hasMessageContaining("strata login");
    }

    @Test
    void aSchema1ManifestIsRefusedWithAReason() throws Exception {
        fake.fault("/v2/x/y/manifests/1", new FakeRegistry.Body("{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes(),
                Map.of("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED)));
        assertThatThrownBy(this::pull).isInstanceOf(BadContentException.class).hasMessageContaining("schema 1");
    }
}
