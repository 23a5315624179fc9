package dev.strata.bench.jmh;

import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.digest.ChainId;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.layer.Layer;
import dev.strata.layer.PreparedLayer;
import dev.strata.metadata.Tx;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups on a store (vfs, on a tmpfs) holding 1,000 tagged images over a 10-layer stack, each in its own read
 * transaction as a command does it: resolving a tag, resolving a 12-hex ID prefix, walking the layer stack; and the
 * ChainID of one layer and of a 10-layer stack.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetadataBench {
    static final int IMAGES = 1000;
    static final int LAYERS = 10;

    private Path dir;
    private Store store;
    private Digest top;
    private String prefix;
    private List<Digest> diffIds;
    private int i;

    @Setup
    public void setup() throws Exception {
        dir = Fixture.tempDir("strata-jmh-store-");
        store = Store.open(dir.resolve("root"), Optional.of("vfs"), line -> { });
        Optional<Layer> parent = Optional.empty();
        diffIds = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            Path src = Files.createDirectories(dir.resolve("src" + l));
            Files.writeString(src.resolve("file" + l), "layer " + l + "\n");
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            LayerWriter.write(src, WhiteoutFormat.deleting(), tar);
            PreparedLayer prepared = store.layers().prepare(new ByteArrayInputStream(tar.toByteArray()), parent);
            try (Tx tx = store.write()) {
                parent = Optional.of(store.layers().commit(tx, prepared));
                tx.commit();
            }
            diffIds.add(prepared.diffId());
        }
        top = parent.orElseThrow().chainId();
        StringBuilder ids = new StringBuilder();
        for (Digest d : diffIds) {
            ids.append(ids.isEmpty() ? "" : ",").append('"').append(d).append('"');
        }
        try (Tx tx = store.write()) {
            for (int n = 0; n < IMAGES; n++) {
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
                        + "\"config\":{\"Labels\":{\"n\":\"" + n + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                        + ids + "]}}").getBytes(StandardCharsets.UTF_8);
                Digest id = store.content().write(config);
                store.images().add(tx, id, ImageJson.read(config, ImageConfig.class, "config"), Optional.of(top),
                        Optional.empty(), 1000);
                store.images().tag(tx, Reference.parse("bench/img-" + n + ":latest"), id);
                if (n == IMAGES / 2) {
                    prefix = id.hex().substring(0, 12);
                }
            }
            tx.commit();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        store.close();
        Fixture.delete(dir);
    }

    @Benchmark
    public Image resolveByTag() throws Exception {
        try (Tx tx = store.read()) {
            Image image = store.images().resolve(tx, "bench/img-" + (i++ % IMAGES) + ":latest");
            tx.commit();
            return image;
        }
    }

    @Benchmark
    public Image resolveByIdPrefix() throws Exception {
        try (Tx tx = store.read()) {
            Image image = store.images().resolve(tx, prefix);
            tx.commit();
            return image;
        }
    }

    @Benchmark
    public List<Layer> layerStack10() throws Exception {
        try (Tx tx = store.read()) {
            List<Layer> stack = store.layers().stack(tx, top);
            tx.commit();
            return stack;
        }
    }

    @Benchmark
    public Digest chainIdOne() {
        return ChainId.of(Optional.of(diffIds.get(0)), diffIds.get(1));
    }

    @Benchmark
    public List<Digest> chainIdStack10() {
        return ChainId.chain(diffIds);
    }

    /** For comparison with the lookups: hashing the few bytes of one ChainID step without the Digest value. */
    @Benchmark
    public Digest sha256Of140Bytes() {
        return Digester.of(diffIds.get(0) + " " + diffIds.get(1));
    }
}
