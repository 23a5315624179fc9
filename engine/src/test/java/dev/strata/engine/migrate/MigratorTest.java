package dev.strata.engine.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.container.Container;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.image.HistoryEntry;
import dev.strata.engine.image.ImageSummary;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.layer.Layer;
import dev.strata.metadata.Tx;
import dev.strata.sys.Linux;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigratorTest {
    @TempDir
    Path tmp;

    private Strata open(String name, String driver) throws Exception {
        return Strata.open(new StrataOptions(tmp.resolve(name), Optional.of(driver), m -> { }));
    }

    @ParameterizedTest
    @EnumSource(LegacyDriver.class)
    void migratesImagesTagsHistorySizesAndContainers(LegacyDriver legacyDriver) throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(tmp.resolve("docker"), legacyDriver, LegacyFixture.Scale.SMALL);
        String before = treeChecksum(fx.root());
        String hostBefore = treeChecksum(fx.host());
        List<String> lines = new ArrayList<>();
        try (Strata strata = open("strata", "overlay2")) {
            MigrationReport report = strata.migrator().migrate(MigrateOptions.from(fx.root()).withProgress(lines::add));
            assertThat(report.failures()).isEmpty();
            assertThat(report.layers()).isEqualTo(fx.layers().size());
            assertThat(report.images()).isEqualTo(fx.layers().size()); // every v1 image, as Docker 1.10 did
            assertThat(report.tags()).isEqualTo(fx.tags().size());
            assertThat(report.containers()).isEqualTo(2);
            assertThat(report.volumes()).isEqualTo(3); // webdata, the anonymous one, and the 1.6 volume both containers use
            assertThat(lines).anyMatch(l -> l.startsWith("layer ") && l.contains("MB/s")).anyMatch(l -> l.startsWith("migrated: "));

            // Tags and the digest reference point at the images made of the tagged v1 images.
            Map<String, Digest> byV1 = imagesByV1(strata, fx);
            for (Map.Entry<String, String> tag : fx.tags().entrySet()) {
                assertThat(String.valueOf(strata.images().inspect(tag.getKey()).id())).as(tag.getKey())
                        .isEqualTo(String.valueOf(byV1.get(tag.getValue())));
            }
            // DiffIDs of layers with tar-data are those of the original tars; sizes are the legacy layersize.
            try (Tx tx = strata.store().read()) {
                for (Map.Entry<String, Digest> e : byV1.entrySet()) {
                    Image image = strata.store().images().get(tx, e.getValue()).orElseThrow();
                    Layer top = strata.store().layers().require(tx, image.topLayer().orElseThrow());
                    LegacyFixture.Layer v1 = fx.layers().get(e.getKey());
                    if (fx.tarDataDiffIds().containsKey(e.getKey())) {
                        assertThat(top.diffId()).as("DiffID of %s", e.getKey()).isEqualTo(fx.tarDataDiffIds().get(e.getKey()));
                    }
                    assertThat(top.size()).as("size of %s", e.getKey()).isEqualTo(fx.sizes().get(e.getKey()));
                    long total = 0;
                    for (Optional<String> p = Optional.of(v1.id()); p.isPresent(); p = fx.layers().get(p.get()).parent()) {
                        total += fx.sizes().get(p.get());
                    }
                    assertThat(image.size()).as("image size of %s", e.getKey()).isEqualTo(total);
                    // The exact tar comes back from the kept files and tar-split, verified against the DiffID.
                    try (InputStream in = strata.store().layers().openTar(top)) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
                tx.commit();
            }
            // History: one row per v1 layer, Docker 1.10's created_by and author; parents as image IDs.
            List<HistoryEntry> history = strata.images().history("example.com/app:1.0");
            assertThat(history).hasSize(2 + 3 + 3);
            assertThat(history.getFirst().createdBy()).isEqualTo("/bin/sh -c #(nop) ENV APP=app");
            assertThat(history.get(1).createdBy()).isEqualTo("/bin/sh -c echo <app> & configure");
            assertThat(history.getLast().createdBy()).isEqualTo("/bin/sh -c #(nop) ADD file:0123abcd in /");
            assertThat(history).allMatch(h -> h.imageId().isPresent());
            ImageConfig config = strata.store().images().config(byV1.get(LegacyFixture.id("app-3")));
            assertThat(config.historyOrEmpty()).hasSize(8);
            assertThat(config.diffIds()).hasSize(8);
            byte[] raw = strata.store().images().configBytes(byV1.get(LegacyFixture.id("app-2")));
            assertThat(new String(raw, StandardCharsets.UTF_8)).contains("\\u003capp\\u003e \\u0026 configure")
                    .doesNotContain("\"id\":").doesNotContain("\"parent\":").doesNotContain("\"Size\":").startsWith("{\"architecture\":");
            // Intermediate images are hidden like Docker's: the 8 tagged images and the untagged twin-a are listed.
            assertThat(strata.images().list(false)).extracting(ImageSummary::id).hasSize(9);
            // twin-a and twin-b are one layer; twin-child's directory, made on twin-b's, now sits on the kept one.
            Digest twinA = byV1.get(LegacyFixture.id("twin-a"));
            Digest twinB = byV1.get(LegacyFixture.id("twin-b"));
            assertThat(twinA).isNotEqualTo(twinB);
            assertThat(strata.images().inspect(twinA.toString()).id()).isNotNull();
            var twin = strata.containers().create(dev.strata.engine.container.CreateOptions.of("example.com/twin:latest", "sh"));
            Path twinView = strata.containers().mount(twin.id());
            try {
                assertThat(twinView.resolve("twin.txt")).hasContent("twin");
                assertThat(twinView.resolve("bin/busybox")).exists();
            } finally {
                strata.containers().unmount(twin.id());
                strata.containers().remove(twin.id(), false, false);
            }

            // The container, stopped, with its writable layer's files.
            Container c = strata.containers().find("legacy_web");
            assertThat(c.id()).isEqualTo(fx.containerId());
            assertThat(c.imageId()).isEqualTo(byV1.get(LegacyFixture.id("web-3")));
            assertThat(strata.containers().spec(c).workingDir()).isEqualTo("/opt/web");
            Path view = strata.containers().mount("legacy_web");
            try {
                assertThat(view.resolve("opt/web/new.txt")).hasContent("written in the container");
                assertThat(view.resolve("opt/web/README")).hasContent("changed by the container");
                assertThat(view.resolve("etc/passwd")).doesNotExist();
                assertThat(view.resolve("etc/os-release")).hasContent("NAME=Legacy web");
                assertThat(view.resolve("var/cache/fresh")).exists();
                assertThat(view.resolve("var/cache/a")).doesNotExist();
                assertThat(view.resolve("var/cache/b")).doesNotExist(); // opaque directory
                assertThat(view.resolve(".dockerenv")).exists();
                assertThat(view.resolve("bin/sh")).exists();
                assertThat(Files.getAttribute(view.resolve("bin/sh"), "unix:ino")).isEqualTo(Files.getAttribute(view.resolve("bin/busybox"), "unix:ino"));
            } finally {
                strata.containers().unmount("legacy_web");
            }
            assertThat(strata.containers().diff("legacy_web")).extracting(Object::toString)
                    .contains("A /opt/web/new.txt", "C /opt/web/README", "D /etc/passwd");
            assertVolumesAndMounts(strata, fx);
            // It starts: its command (LegacyFixture.WEB_SCRIPT, in /opt/web) runs on the migrated layers under runc, sees
            // every volume's files and the bind's, cannot write to the read-only bind, and appends to its volume.
            assertThat(startAndLog(strata, "legacy_web")).isEqualTo("hi\nhello from a named volume\nnested\nanonymous\nfrom docker 1.6\n"
                    + "setting=1\nconf read-only\n");
            Path x = strata.volumes().inspect(LegacyFixture.Written.NAMED_VOLUME).mountpoint().resolve("x");
            assertThat(x).hasContent("hello from a named volume\nappended");
            assertThat(startAndLog(strata, "legacy_old")).isEqualTo("from docker 1.6\nserved\nsrv read-only\n");

            // Image-layer files are the legacy files, hard-linked: no copy.
            Layer base = baseLayer(strata);
            Path lib = strata.store().driver().diffDir(base.cacheId()).resolve("usr/lib/lib0.so");
            Path legacyLib = legacyDriver.imageLayerDir(fx.root(), LegacyFixture.id("base")).resolve("usr/lib/lib0.so");
            assertThat(Files.getAttribute(lib, "unix:ino")).isEqualTo(Files.getAttribute(legacyLib, "unix:ino"));

            // Again: nothing new.
            List<String> again = new ArrayList<>();
            MigrationReport second = strata.migrator().migrate(MigrateOptions.from(fx.root()).withProgress(again::add));
            assertThat(second.failures()).isEmpty();
            assertThat(second.images()).isZero();
            assertThat(second.tags()).isZero();
            assertThat(second.containers()).isZero();
            assertThat(second.volumes()).isZero();
            assertThat(x).as("a volume in the store is kept as it is").hasContent("hello from a named volume\nappended");
            assertThat(strata.volumes().list()).hasSize(3);
            assertThat(second.hashed()).isZero();
            assertThat(second.reused()).isEqualTo(fx.layers().size());
            try (Tx tx = strata.store().read()) {
                assertThat(tx.count("SELECT COUNT(*) FROM layers")).isEqualTo(fx.layers().size() - 1); // the twins share one
                tx.commit();
            }
            assertThat(imagesByV1(strata, fx)).isEqualTo(byV1);
            assertVolumesAndMounts(strata, fx);

            // rm -v takes a container's anonymous volumes with it once no other container uses them.
            strata.containers().remove("legacy_old", false, true);
            assertThat(strata.volumes().inspect(fx.oldVolume()).usedBy()).containsExactly(fx.containerId());
            strata.containers().remove("legacy_web", false, true);
            assertThat(strata.volumes().list()).extracting(dev.strata.engine.volume.VolumeInfo::name)
                    .containsExactly(LegacyFixture.Written.NAMED_VOLUME);
        }
        assertThat(treeChecksum(fx.root())).as("the legacy directory is unchanged").isEqualTo(before);
        assertThat(treeChecksum(fx.host())).as("the read-only binds' host directories are unchanged").isEqualTo(hostBefore);
    }

    /** legacy_web's and legacy_old's volumes are Strata volumes with their legacy data, and their mounts are in inspect. */
    private static void assertVolumesAndMounts(Strata strata, LegacyFixture.Written fx) throws Exception {
        var named = strata.volumes().inspect(LegacyFixture.Written.NAMED_VOLUME);
        assertThat(named.anonymous()).isFalse();
        assertThat(named.usedBy()).containsExactly(fx.containerId());
        assertThat(named.mountpoint().resolve("sub/y")).hasContent("nested");
        assertThat(Files.getAttribute(named.mountpoint().resolve("sub"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(named.mountpoint().resolve("x"), "unix:mode")).isEqualTo(0100640);
        var anonymous = strata.volumes().inspect(fx.anonymousVolume());
        assertThat(anonymous.anonymous()).isTrue();
        assertThat(anonymous.mountpoint().resolve("c")).hasContent("anonymous");
        var old = strata.volumes().inspect(fx.oldVolume());
        assertThat(old.anonymous()).isTrue();
        assertThat(old.usedBy()).as("one volume shared by both containers").containsExactlyInAnyOrder(fx.containerId(), fx.oldContainerId());
        assertThat(old.mountpoint().resolve("z")).hasContent("from docker 1.6");
        Map<String, String> web = new TreeMap<>();
        for (var m : strata.containers().views().inspect("legacy_web").mounts()) {
            web.put(m.destination(), m.type() + " " + (m.name() == null ? "" : m.name()) + " " + m.source() + " " + (m.rw() ? "rw" : "ro"));
        }
        assertThat(web).containsExactly(
                Map.entry("/cache", "volume " + fx.anonymousVolume() + " " + anonymous.mountpoint() + " rw"),
                Map.entry("/conf", "bind  " + fx.host().resolve("conf") + " ro"),
                Map.entry("/data", "volume webdata " + named.mountpoint() + " rw"),
                Map.entry("/old", "volume " + fx.oldVolume() + " " + old.mountpoint() + " ro"));
        Map<String, String> legacyOld = new TreeMap<>();
        for (var m : strata.containers().views().inspect("legacy_old").mounts()) {
            legacyOld.put(m.destination(), m.type() + " " + (m.rw() ? "rw" : "ro"));
        }
        assertThat(legacyOld).containsExactly(Map.entry("/data", "volume rw"), Map.entry("/srv", "bind ro"));
    }

    private static String startAndLog(Strata strata, String container) throws Exception {
        strata.containers().processes().start(container);
        assertThat(strata.containers().processes().waitFor(container)).isZero();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        strata.containers().io().logs(container, dev.strata.engine.container.LogOptions.all(), out, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aVolumeWithoutItsDataSkipsItsContainerUntilTheDataIsBack() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(tmp.resolve("docker"), LegacyDriver.OVERLAY, LegacyFixture.Scale.SMALL);
        Path data = fx.root().resolve("volumes/webdata/_data");
        Path aside = tmp.resolve("webdata-aside");
        Files.move(data, aside);
        try (Strata strata = open("strata", "overlay2")) {
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()));
            assertThat(r.failures()).hasSize(1);
            MigrationReport.Failure f = r.failures().getFirst();
            assertThat(f.kind()).isEqualTo("container");
            assertThat(f.id()).isEqualTo(fx.containerId());
            assertThat(f.reason()).contains("volume webdata").contains("/data").contains("volumes/webdata/_data is missing");
            assertThat(r.containers()).isEqualTo(1);
            assertThat(strata.containers().find("legacy_old").id()).isEqualTo(fx.oldContainerId());
            assertThatThrownBy(() -> strata.containers().find("legacy_web")).hasMessageContaining("legacy_web");
            // Nothing of the skipped container is left: not its other volumes either.
            assertThat(strata.volumes().list()).extracting(dev.strata.engine.volume.VolumeInfo::name).containsExactly(fx.oldVolume());
            assertThat(Files.list(strata.store().root().resolve("volumes")).map(p -> p.getFileName().toString()).toList())
                    .containsExactly(fx.oldVolume());

            Files.move(aside, data);
            MigrationReport again = strata.migrator().migrate(MigrateOptions.from(fx.root()));
            assertThat(again.failures()).isEmpty();
            assertThat(again.containers()).isEqualTo(1);
            assertThat(again.volumes()).isEqualTo(2);
            assertVolumesAndMounts(strata, fx);
        }
    }

    @Test
    void sameResultPrecomputedOrNotAndForAnyThreadCount() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(tmp.resolve("docker"), LegacyDriver.AUFS, LegacyFixture.Scale.SMALL);
        Map<String, Digest> plain;
        try (Strata strata = open("one", "overlay2")) {
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()).withThreads(1));
            assertThat(r.hashed()).isEqualTo(fx.layers().size());
            plain = imagesByV1(strata, fx);
        }
        String before = treeChecksum(fx.root());
        MigrationReport pre = Migrator.precompute(MigrateOptions.from(fx.root()).withThreads(2));
        assertThat(pre.failures()).isEmpty();
        assertThat(pre.hashed()).isEqualTo(fx.layers().size());
        assertThat(Migrator.precomputeFile(fx.root())).exists();
        assertThat(treeChecksum(fx.root())).as("precompute writes only strata-migration/").isEqualTo(before);
        assertThat(Migrator.precompute(MigrateOptions.from(fx.root())).hashed()).as("precomputed once").isZero();
        try (Strata strata = open("two", "overlay2")) {
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()).withThreads(2));
            assertThat(r.failures()).isEmpty();
            assertThat(r.hashed()).as("nothing hashed after --precompute").isZero();
            assertThat(imagesByV1(strata, fx)).isEqualTo(plain);
        }
        try (Strata strata = open("vfs", "vfs")) {
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()).withReuse(MigrateOptions.LayerReuse.COPY));
            assertThat(r.failures()).isEmpty();
            assertThat(imagesByV1(strata, fx)).isEqualTo(plain);
            Path view = strata.containers().mount("legacy_web");
            assertThat(view.resolve("opt/web/new.txt")).hasContent("written in the container");
            assertThat(view.resolve("etc/passwd")).doesNotExist();
        }
        // A layer whose files change after --precompute is hashed again, not trusted.
        Path f = LegacyDriver.AUFS.imageLayerDir(fx.root(), LegacyFixture.id("worker-1")).resolve("opt/worker/README");
        Files.writeString(f, "changed\n");
        try (Strata strata = open("three", "overlay2")) {
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()));
            assertThat(r.hashed()).isEqualTo(1);
        }
    }

    @Test
    void resumesAfterAnInterruptionWithTheSameResult() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(tmp.resolve("docker"), LegacyDriver.OVERLAY, LegacyFixture.Scale.SMALL);
        Map<String, Digest> reference;
        try (Strata strata = open("reference", "overlay2")) {
            strata.migrator().migrate(MigrateOptions.from(fx.root()));
            reference = imagesByV1(strata, fx);
        }
        AtomicInteger done = new AtomicInteger();
        try (Strata strata = open("resumed", "overlay2")) {
            assertThatThrownBy(() -> strata.migrator().migrate(MigrateOptions.from(fx.root()).withThreads(1).withProgress(l -> {
                if (l.startsWith("layer ") && done.incrementAndGet() == 8) {
                    throw new IllegalStateException("killed");
                }
            }))).hasMessageContaining("killed");
            try (Tx tx = strata.store().read()) {
                assertThat(tx.count("SELECT COUNT(*) FROM images")).isZero();
                tx.commit();
            }
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()));
            assertThat(r.failures()).isEmpty();
            assertThat(r.hashed()).isLessThanOrEqualTo(fx.layers().size() - 7);
            assertThat(imagesByV1(strata, fx)).isEqualTo(reference);
        }
    }

    @Test
    void corruptInputsAreReportedByIdAndSkipped() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(tmp.resolve("docker"), LegacyDriver.AUFS, LegacyFixture.Scale.SMALL);
        Path graph = fx.root().resolve("graph");
        Files.writeString(graph.resolve(LegacyFixture.id("tools-3")).resolve("json"), "{\"id\": \"broken");
        Path tarData = graph.resolve(LegacyFixture.id("cache-2")).resolve("tar-data.json.gz");
        byte[] whole = Files.readAllBytes(tarData);
        Files.write(tarData, java.util.Arrays.copyOf(whole, whole.length / 2));
        LegacyFixture.deleteTree(graph.resolve(LegacyFixture.id("worker-1")));
        LegacyFixture.deleteTree(LegacyDriver.AUFS.imageLayerDir(fx.root(), LegacyFixture.id("db-3")));
        // A file changed since tar-data.json.gz was recorded (same size, new mtime): its CRC-64 no longer matches.
        Path readme = LegacyDriver.AUFS.imageLayerDir(fx.root(), LegacyFixture.id("db-1")).resolve("opt/db/README");
        Files.writeString(readme, Files.readString(readme).toUpperCase());
        try (Strata strata = open("strata", "overlay2")) {
            MigrationReport r = strata.migrator().migrate(MigrateOptions.from(fx.root()));
            Map<String, String> failed = new TreeMap<>();
            r.failures().forEach(f -> failed.put(f.kind() + " " + f.id(), f.reason()));
            assertThat(failed).containsKeys("layer " + LegacyFixture.id("tools-3"), "layer " + LegacyFixture.id("cache-2"),
                    "layer " + LegacyFixture.id("cache-3"), "layer " + LegacyFixture.id("worker-2"), "layer " + LegacyFixture.id("worker-3"),
                    "layer " + LegacyFixture.id("db-3"), "tag example.com/tools:latest", "tag example.com/db:latest");
            assertThat(failed.get("layer " + LegacyFixture.id("tools-3"))).contains("not valid JSON");
            assertThat(failed.get("layer " + LegacyFixture.id("cache-2"))).contains("truncated");
            assertThat(failed.get("layer " + LegacyFixture.id("worker-2"))).contains("missing");
            assertThat(failed.get("layer " + LegacyFixture.id("db-3"))).contains("layer directory");
            assertThat(failed.get("layer " + LegacyFixture.id("db-1"))).contains("opt/db/README").contains("changed");
            assertThat(failed).containsKey("layer " + LegacyFixture.id("db-2"));
            assertThat(r.complete()).isFalse();
            // Everything else is there.
            assertThat(strata.images().inspect("example.com/app:latest")).isNotNull();
            assertThat(strata.images().inspect("legacy/base:1.0")).isNotNull();
            assertThat(strata.containers().find("legacy_web").id()).isEqualTo(fx.containerId());
            assertThat(r.images()).isEqualTo(fx.layers().size() - 9); // worker-1 is gone from graph/ altogether
        }
    }

    @Test
    void firstOpenOfALegacyRootMigratesIt() throws Exception {
        LegacyFixture.Written fx = LegacyFixture.write(tmp.resolve("docker"), LegacyDriver.VFS, LegacyFixture.Scale.SMALL);
        List<String> log = new ArrayList<>();
        try (Strata strata = Strata.open(new StrataOptions(fx.root(), Optional.of("overlay2"), log::add))) {
            assertThat(strata.store().root()).isEqualTo(fx.root().resolve(Migrator.STORE_DIR));
            assertThat(strata.images().inspect("example.com/web:latest")).isNotNull();
        }
        assertThat(log).anyMatch(l -> l.contains("migrating it")).anyMatch(l -> l.startsWith("layer ")).anyMatch(l -> l.startsWith("migrated: "));
        log.clear();
        try (Strata strata = Strata.open(new StrataOptions(fx.root(), Optional.of("overlay2"), log::add))) {
            assertThat(strata.containers().find("legacy_web")).isNotNull();
        }
        assertThat(log).noneMatch(l -> l.startsWith("layer "));
    }

    @Test
    void crc64MatchesTheDefinition() {
        byte[] data = new byte[10_000];
        new java.util.Random(7).nextBytes(data);
        for (int len : new int[] {0, 1, 7, 8, 9, 4096, 10_000}) {
            Crc64 c = new Crc64();
            c.update(data, 0, len / 2);
            c.update(data, len / 2, len - len / 2);
            assertThat(c.value()).isEqualTo(crcReference(java.util.Arrays.copyOf(data, len)));
        }
        // Go: crc64.Checksum([]byte("123456789"), crc64.MakeTable(crc64.ISO)) == 0xb90956c775a41001
        Crc64 c = new Crc64();
        c.update("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9);
        assertThat(c.value()).isEqualTo(0xb90956c775a41001L);
    }

    private static long crcReference(byte[] b) {
        long c = ~0L;
        for (byte x : b) {
            c ^= x & 0xff;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xD800000000000000L : c >>> 1;
            }
        }
        return ~c;
    }

    @Test
    void configFollowsGoEncoding() throws Exception {
        byte[] v1 = ("{\"id\":\"x\", \"parent\":\"y\",\"created\":\"2015-10-31T22:22:55.613815800Z\",\"docker_version\":\"1.9.1\","
                + "\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"a && b > c\"]},\"author\":\"A <a@b>\",\"Size\":12,"
                + "\"config\": {\"Env\" : [ \"X=<1>\" ], \"n\": 1.50}}").getBytes(StandardCharsets.UTF_8);
        V1Config.History h = V1Config.history(v1, "json");
        assertThat(h.created()).isEqualTo("2015-10-31T22:22:55.6138158Z");
        assertThat(h.createdBy()).isEqualTo("/bin/sh -c a && b > c");
        String out = new String(V1Config.convert(v1, List.of(new Digest("0".repeat(64))), List.of(h), "json"), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("{\"author\":\"A \\u003ca@b\\u003e\",\"config\":{\"Env\":[\"X=\\u003c1\\u003e\"],\"n\":1.50},"
                + "\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"a \\u0026\\u0026 b \\u003e c\"]},"
                + "\"created\":\"2015-10-31T22:22:55.613815800Z\",\"docker_version\":\"1.9.1\","
                + "\"history\":[{\"created\":\"2015-10-31T22:22:55.6138158Z\",\"author\":\"A \\u003ca@b\\u003e\","
                + "\"created_by\":\"/bin/sh -c a \\u0026\\u0026 b \\u003e c\"}],"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "0".repeat(64) + "\"]}}");
        assertThat(V1Config.exactId(v1)).isTrue();
        assertThat(V1Config.exactId("{\"docker_version\":\"1.8.2\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    // ---- helpers ----

    /** Strata image ID of each v1 image, found by config: history length and the v1 layer's created_by/created. */
    private static Map<String, Digest> imagesByV1(Strata strata, LegacyFixture.Written fx) throws Exception {
        Map<String, Digest> out = new TreeMap<>();
        try (Tx tx = strata.store().read()) {
            for (Image image : strata.store().images().list(tx)) {
                ImageConfig config = strata.store().images().config(image.id());
                List<ImageConfig.History> h = config.historyOrEmpty();
                for (LegacyFixture.Layer l : fx.layers().values()) {
                    int depth = 0;
                    for (Optional<String> p = Optional.of(l.id()); p.isPresent(); p = fx.layers().get(p.get()).parent()) {
                        depth++;
                    }
                    ImageConfig.History last = h.getLast();
                    if (h.size() == depth && last.createdBy().equals(l.createdBy())
                            && last.created().startsWith(java.time.Instant.ofEpochSecond(l.created()).toString().replace("Z", ""))
                            && parentsMatch(strata, tx, image, l, fx)) {
                        out.put(l.id(), image.id());
                    }
                }
            }
            tx.commit();
        }
        return out;
    }

    private static boolean parentsMatch(Strata strata, Tx tx, Image image, LegacyFixture.Layer l, LegacyFixture.Written fx) throws Exception {
        Optional<String> p = l.parent();
        Optional<Digest> ip = image.parent();
        while (p.isPresent()) {
            if (ip.isEmpty()) {
                return false;
            }
            Image parentImage = strata.store().images().get(tx, ip.get()).orElseThrow();
            String createdBy = strata.store().images().config(parentImage.id()).historyOrEmpty().getLast().createdBy();
            if (!createdBy.equals(fx.layers().get(p.get()).createdBy())) {
                return false;
            }
            p = fx.layers().get(p.get()).parent();
            ip = parentImage.parent();
        }
        return ip.isEmpty();
    }

    private static Layer baseLayer(Strata strata) throws Exception {
        try (Tx tx = strata.store().read()) {
            Layer l = strata.store().layers().all(tx).stream().filter(x -> x.parent().isEmpty()).findFirst().orElseThrow();
            tx.commit();
            return l;
        }
    }

    /**
     * Everything of a tree that a write would change: names, types, modes, owners, sizes, mtimes, contents, symlink
     * targets, device numbers, xattrs. Not link counts and ctimes (hard links into the Strata store change those
     * without writing anything), not atimes; {@code strata-migration/} and {@code strata/} are Strata's own.
     */
    static String treeChecksum(Path root) throws IOException {
        Digester d = new Digester();
        walk(root, root, d);
        return d.digest().hex();
    }

    private static void walk(Path root, Path dir, Digester d) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        children.sort(null);
        for (Path p : children) {
            String rel = root.relativize(p).toString();
            if (dir.equals(root) && (rel.equals(Migrator.PRECOMPUTE_DIR) || rel.equals(Migrator.STORE_DIR))) {
                continue;
            }
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,rdev", LinkOption.NOFOLLOW_LINKS);
            String line = rel + " " + a.get("mode") + " " + a.get("uid") + ":" + a.get("gid") + " " + a.get("size") + " "
                    + a.get("lastModifiedTime") + " " + a.get("rdev") + " " + Linux.listXattrs(p) + "\n";
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            d.update(b, 0, b.length);
            if (Files.isSymbolicLink(p)) {
                byte[] t = Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8);
                d.update(t, 0, t.length);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                byte[] c = Files.readAllBytes(p);
                d.update(c, 0, c.length);
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                walk(root, p, d);
            }
        }
    }
}
