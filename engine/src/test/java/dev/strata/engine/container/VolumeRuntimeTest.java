package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.engine.volume.VolumeInfo;
import dev.strata.error.ConflictException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data volumes in real containers: shared between them, outside the storage driver, outliving them. */
class VolumeRuntimeTest {
    @TempDir
    static Path work;
    static BusyboxStore store;
    static Containers containers;

    @BeforeAll
    static void open() throws Exception {
        store = BusyboxStore.open(work, "overlay2");
        containers = store.strata.containers();
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
    }

    private static String run(List<MountSpec> mounts, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Containers.RunResult r = containers.run(CreateOptions.of(BusyboxStore.IMAGE, command)
                .withHost(HostSpec.defaults().withMounts(mounts)), Optional.of(AttachStreams.output(out, out)));
        assertThat(((AttachOutcome.Exited) r.outcome().orElseThrow()).exitCode()).as(out.toString()).isZero();
        return r.id();
    }

    @Test
    void twoContainersSeeEachOthersWritesAndTheDataOutlivesThem() throws Exception {
        MountSpec shared = new MountSpec(MountSpec.VOLUME, "shared", "/data", false, null);
        String writer = run(List.of(shared), "sh", "-c", "echo written by one > /data/note");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        containers.run(CreateOptions.of(BusyboxStore.IMAGE, "cat", "/data/note")
                .withHost(HostSpec.defaults().withMounts(List.of(new MountSpec(MountSpec.VOLUME, "shared", "/data", true, null)))),
                Optional.of(AttachStreams.output(out, out)));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("written by one\n");
        // The write bypassed the storage driver: nothing in the writer's layer, nothing in its diff.
        assertThat(store.strata.store().driver().diffDir(writer).resolve("data/note")).doesNotExist();
        assertThat(containers.diff(writer)).noneMatch(c -> c.path().startsWith("/data/"));
        assertThatThrownBy(() -> store.strata.volumes().remove("shared")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("volume is in use").hasMessageContaining(writer);
        for (ContainerSummary c : containers.views().list(true, false)) {
            containers.remove(c.id(), false, true);
        }
        VolumeInfo v = store.strata.volumes().inspect("shared");
        assertThat(v.mountpoint().resolve("note")).hasContent("written by one");
        store.strata.volumes().remove("shared");
    }

    @Test
    void anImagesVolumeStartsWithTheImagesFiles() throws Exception {
        // A busybox-based image whose /srv/app holds a file and is a VOLUME.
        String maker = run(List.of(), "sh", "-c", "mkdir -p /srv/app && echo seeded > /srv/app/seed");
        containers.commit(maker, new CommitOptions(Optional.of("withvol:1"), List.of("VOLUME /srv/app"), Optional.empty(),
                Optional.empty()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Containers.RunResult r = containers.run(CreateOptions.of("withvol:1", "sh", "-c", "cat /srv/app/seed; echo added > /srv/app/new"),
                Optional.of(AttachStreams.output(out, out)));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("seeded\n");
        VolumeInfo anonymous = store.strata.volumes().list().stream().filter(v -> v.usedBy().contains(r.id())).findFirst().orElseThrow();
        assertThat(anonymous.anonymous()).isTrue();
        assertThat(anonymous.mountpoint().resolve("seed")).hasContent("seeded");
        assertThat(anonymous.mountpoint().resolve("new")).hasContent("added");
        containers.remove(r.id(), false, true); // rm -v
        assertThat(store.strata.volumes().list()).noneMatch(v -> v.name().equals(anonymous.name()));
    }
}
