package dev.strata.engine.image;

import static dev.strata.engine.image.Tools.run;
import static dev.strata.engine.image.Tools.skopeo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.image.ImageJson;
import dev.strata.reference.Reference;
import dev.strata.testing.TarFixtures;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives written by Docker 20.10 (the ≤ 24 shape), podman and skopeo load into Strata with the same image IDs; archives
 * Strata writes in each format are read by them and give the same image IDs (config digests).
 */
class ArchiveInteropTest {
    @RegisterExtension
    static final Tools TOOLS = new Tools();

    @TempDir
    Path work;
    Strata strata;

    @BeforeEach
    void open() throws Exception {
        strata = Strata.open(StrataOptions.at(work.resolve("root")));
    }

    @AfterEach
    void close() throws Exception {
        strata.close();
    }

    private List<LoadedImage> load(Path archive) throws Exception {
        try (InputStream in = Files.newInputStream(archive)) {
            return strata.archives().load(in, archive.toString());
        }
    }

    private Path save(SaveFormat format, String... names) throws Exception {
        Path out = work.resolve("strata-" + format.cliName() + "-" + String.join("-", names).replaceAll("[^a-z0-9]", "_") + ".tar");
        try (OutputStream o = Files.newOutputStream(out)) {
            strata.archives().save(List.of(names), o, format);
        }
        return out;
    }

    /** The config digest skopeo sees in an archive (a transport-qualified name). */
    private static Digest configDigest(String image) throws Exception {
        ArchiveJson.Manifest m = ImageJson.read(run(skopeo("inspect", "--raw", image)).getBytes(), ArchiveJson.Manifest.class, image);
        return m.config().digest();
    }

    private static Digest dockerId(String output) {
        return Digest.parse(output.strip());
    }

    // ---- (a) their archives into Strata ----

    @Test
    void archivesFromDockerPodmanAndSkopeoLoadWithTheirImageIds() throws Exception {
        Path rootfs = TarFixtures.rootfs(work, "interop");
        run(TOOLS.docker("import", rootfs.toString(), "interop/one:1"));
        run(TOOLS.docker("tag", "interop/one:1", "interop/one:2"));
        Digest id = dockerId(run(TOOLS.docker("image", "inspect", "--format", "{{.Id}}", "interop/one:1")));

        // docker save (Docker 20.10: <v1 id>/layer.tar, <id>.json, manifest.json, repositories)
        Path dockerTar = work.resolve("docker.tar");
        run(TOOLS.docker("save", "-o", dockerTar.toString(), "interop/one:1", "interop/one:2"));
        assertThat(load(dockerTar)).containsExactly(new LoadedImage(id, List.of(Reference.parse("interop/one:1"),
                Reference.parse("interop/one:2"))));
        assertThat(strata.images().inspect("interop/one:2").rootFs().layers()).containsExactly(Digester.of(Files.readAllBytes(rootfs)).toString());

        // podman save, both formats
        run(TOOLS.podman("load", "-i", dockerTar.toString()));
        Path podmanDocker = work.resolve("podman-docker.tar");
        Path podmanOci = work.resolve("podman-oci.tar");
        // podman names what it loads from a docker-archive localhost/...
        run(TOOLS.podman("save", "--format", "docker-archive", "-o", podmanDocker.toString(), "localhost/interop/one:1"));
        run(TOOLS.podman("save", "--format", "oci-archive", "-o", podmanOci.toString(), "localhost/interop/one:1"));
        assertThat(load(podmanDocker)).containsExactly(new LoadedImage(id, List.of(Reference.parse("localhost/interop/one:1"))));
        // podman converts the config to OCI's form for an oci-archive: the image there is the one with that config
        Digest ociId = configDigest("oci-archive:" + podmanOci);
        assertThat(load(podmanOci)).containsExactly(new LoadedImage(ociId, List.of(Reference.parse("localhost/interop/one:1"))));

        // skopeo copy into both archive kinds
        Path skopeoDocker = work.resolve("skopeo-docker.tar");
        Path skopeoOci = work.resolve("skopeo-oci.tar");
        run(skopeo("copy", "-q", "docker-archive:" + dockerTar + ":interop/one:1", "docker-archive:" + skopeoDocker + ":interop/sk:1"));
        run(skopeo("copy", "-q", "docker-archive:" + dockerTar + ":interop/one:1", "oci-archive:" + skopeoOci + ":interop/sk:oci"));
        assertThat(load(skopeoDocker)).containsExactly(new LoadedImage(id, List.of(Reference.parse("interop/sk:1"))));
        assertThat(load(skopeoOci)).containsExactly(new LoadedImage(configDigest("oci-archive:" + skopeoOci),
                List.of(Reference.parse("interop/sk:oci"))));
    }

    // ---- (b) Strata's archives into them ----

    /** A one-layer imported image and a two-layer image on the same base, in Strata. */
    private record Images(Digest one, Digest two, List<String> twoDiffIds) {
    }

    private Images strataImages() throws Exception {
        Path base = TarFixtures.rootfs(work, "s");
        ImageSummary one;
        try (InputStream in = Files.newInputStream(base)) {
            one = strata.images().importImage(in, new ImportOptions(Optional.of("strata/one:1"), List.of(), Optional.empty(), "-"));
        }
        Path upperDir = TarFixtures.tree(work.resolve("upper"), Map.of("etc/extra", "extra\n"));
        byte[] upper = Files.readAllBytes(TarFixtures.tar(upperDir, work.resolve("upper.tar")));
        byte[] baseBytes = Files.readAllBytes(base);
        List<Digest> diffIds = List.of(Digester.of(baseBytes), Digester.of(upper));
        Digest two = strata.archives().load(new java.io.ByteArrayInputStream(
                ImageArchivesTest.legacyArchive("strata/two:1", diffIds, baseBytes, upper).bytes()), "test").getFirst().id();
        return new Images(one.id(), two, diffIds.stream().map(Digest::toString).toList());
    }

    @Test
    void dockerLoadsStrataArchivesWithTheSameImageIds() throws Exception {
        Images images = strataImages();
        // Docker 20.10 reads manifest.json, so the two docker shapes; a plain OCI layout needs Docker 25+.
        for (SaveFormat format : List.of(SaveFormat.DOCKER, SaveFormat.DOCKER_LEGACY)) {
            Path archive = save(format, "strata/one:1", "strata/two:1");
            String out = run(TOOLS.docker("load", "-i", archive.toString()));
            assertThat(out).as(format.cliName()).contains("Loaded image: strata/one:1", "Loaded image: strata/two:1");
            assertThat(dockerId(run(TOOLS.docker("image", "inspect", "--format", "{{.Id}}", "strata/one:1")))).isEqualTo(images.one());
            assertThat(dockerId(run(TOOLS.docker("image", "inspect", "--format", "{{.Id}}", "strata/two:1")))).isEqualTo(images.two());
            assertThat(run(TOOLS.docker("image", "inspect", "--format", "{{join .RootFS.Layers \",\"}}", "strata/two:1")).strip())
                    .isEqualTo(String.join(",", images.twoDiffIds()));

            // and back: Docker's own save of the two-layer image loads into a fresh Strata store with the same ID
            Path back = work.resolve("back-" + format.cliName() + ".tar");
            run(TOOLS.docker("save", "-o", back.toString(), "strata/two:1"));
            try (Strata other = Strata.open(StrataOptions.at(work.resolve("other-" + format.cliName())));
                    InputStream in = Files.newInputStream(back)) {
                assertThat(other.archives().load(in, back.toString()))
                        .containsExactly(new LoadedImage(images.two(), List.of(Reference.parse("strata/two:1"))));
            }
            run(TOOLS.docker("rmi", "strata/one:1", "strata/two:1"));
        }
    }

    @Test
    void podmanLoadsStrataArchivesInEachFormatWithTheSameImageIds() throws Exception {
        Images images = strataImages();
        for (SaveFormat format : SaveFormat.values()) {
            // podman 4.3 loads only single-image oci-archives ("more than one image in oci, choose an image")
            List<Path> archives = format == SaveFormat.OCI ? List.of(save(format, "strata/one:1"), save(format, "strata/two:1"))
                    : List.of(save(format, "strata/one:1", "strata/two:1"));
            for (Path archive : archives) {
                run(TOOLS.podman("load", "-i", archive.toString()));
            }
            for (Digest id : List.of(images.one(), images.two())) {
                assertThat(run(TOOLS.podman("image", "inspect", "--format", "{{.Id}}", id.hex())).strip()).as(format.cliName())
                        .isEqualTo(id.hex());
            }
            assertThat(run(TOOLS.podman("image", "inspect", "--format", "{{.RootFS.Layers}}", images.two().hex())).strip())
                    .isEqualTo("[" + String.join(" ", images.twoDiffIds()) + "]");
            run(TOOLS.podman("rmi", "-f", images.one().hex(), images.two().hex()));
        }
    }

    @Test
    void skopeoReadsStrataArchivesInEachFormat() throws Exception {
        Images images = strataImages();
        for (SaveFormat format : SaveFormat.values()) {
            // skopeo wants one image per archive (or a name to pick one)
            Path archive = save(format, "strata/two:1");
            List<String> transports = switch (format) {
                case DOCKER -> List.of("docker-archive:", "oci-archive:");
                case DOCKER_LEGACY -> List.of("docker-archive:");
                case OCI -> List.of("oci-archive:");
            };
            for (String transport : transports) {
                String image = transport + archive;
                assertThat(configDigest(image)).as(image).isEqualTo(images.two());
                // a full copy reads and checks every blob
                Path dir = work.resolve("copy-" + format.cliName() + "-" + transport.replace(":", ""));
                run(skopeo("copy", "-q", image, "dir:" + dir));
                assertThat(Digester.of(Files.readAllBytes(dir.resolve(images.two().hex())))).isEqualTo(images.two());
            }
        }
    }
}
