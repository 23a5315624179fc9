package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
import dev.strata.archive.TarWriter;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.image.ImageJson;
import dev.strata.reference.Reference;
import dev.strata.image.Descriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/** Makes images for tests and puts them into a registry through the client: layers with files of chosen sizes. */
final class TestImages {
    private TestImages() {
    }

    /** A layer: its tar, gzipped blob, DiffID and blob digest. */
    record TestLayer(byte[] tar, byte[] blob, Digest diffId, Digest digest) {
    }

    /** An image as pushed. */
    record Pushed(Manifest manifest, Digest configDigest, byte[] config, List<TestLayer> layers) {
    }

    /** A layer with one file {@code name} of {@code size} random (incompressible) bytes from {@code seed}. */
    static TestLayer layer(String name, int size, long seed) throws IOException {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(tar);
        w.writeHeader(new TarWriter.Header(name, (byte) '0', 0644, 0, 0, content.length, 1_700_000_000L, "", 0, 0, new TreeMap<>()));
        tar.write(content);
        w.pad(content.length);
        w.finish();
        byte[] t = tar.toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(t);
        }
        byte[] blob = gz.toByteArray();
        return new TestLayer(t, blob, Digester.of(t), Digester.of(blob));
    }

    static byte[] config(List<TestLayer> layers, String architecture) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("config", Map.of("Cmd", List.of("/bin/sh")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", layers.stream().map(l -> l.diffId().toString()).toList()));
        return ImageJson.write(config);
    }

    /** Pushes the layers, a config and a Docker v2.2 (or OCI) manifest under {@code tag}. */
    static Pushed push(RegistryClient client, String tag, List<TestLayer> layers, boolean oci, String architecture) throws Exception {
        for (TestLayer l : layers) {
            if (client.checkBlob(l.digest()).isEmpty()) {
                client.pushBlob(BlobSource.of(l.blob()), n -> { });
            }
        }
        byte[] config = config(layers, architecture);
        Digest configDigest = client.pushBlob(BlobSource.of(config), n -> { });
        List<Descriptor> ds = new ArrayList<>();
        for (TestLayer l : layers) {
            ds.add(Descriptor.of(oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP, l.blob().length, l.digest()));
        }
        String mt = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
        Manifest m = Manifest.of(ImageJson.write(new ManifestJson.ImageManifest(2, mt,
                Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, config.length, configDigest), ds, null)), mt);
        client.pushManifest(tag, m);
        return new Pushed(m, configDigest, config, layers);
    }

    static RegistryClient client(TestRegistry registry, String repository) throws Exception {
        return RegistryClient.forPush(Reference.parse(registry.ref(repository)), RegistryOptions.defaults()
                .withAuthFile(java.nio.file.Path.of("/nonexistent/strata-test/config.json")));
    }
}
