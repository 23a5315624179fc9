package dev.strata.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.container.Container;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.container.ContainerMounts;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.container.CreateOptions;
import dev.strata.engine.container.HostSpec;
import dev.strata.engine.container.MountSpec;
import dev.strata.engine.image.ImportOptions;
import dev.strata.engine.runtime.RuntimeMount;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.testing.TarFixtures;
import java.io.InputStream;
import java.nio.file.Files;
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
class VolumesTest {
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
        Path tree = TarFixtures.tree(work.resolve("base"), Map.of(
                "bin/sh", "#!fake\n",
                "var/lib/app/seed.txt", "from the image\n",
                "var/lib/app/sub/more.txt", "more\n"));
        try (InputStream in = Files.newInputStream(TarFixtures.tar(tree, work.resolve("base.tar")))) {
            strata.images().importImage(in, new ImportOptions(Optional.of("app:1"),
                    List.of("CMD [\"/bin/sh\"]", "VOLUME /var/lib/app"), Optional.empty(), "-"));
        }
    }

    @AfterEach
    void close() throws Exception {
        strata.close();
    }

    private ContainerSummary create(MountSpec... mounts) throws Exception {
        return strata.containers().create(CreateOptions.of("app:1").withHost(HostSpec.defaults().withMounts(List.of(mounts))));
    }

    @Test
    void namedVolumesLiveUnderTheRootAndCannotBeRemovedWhileUsed() throws Exception {
        VolumeInfo v = strata.volumes().create(Optional.of("data"), Map.of("team", "x"));
        assertThat(v.mountpoint()).isEqualTo(root.resolve("volumes/data/_data")).isDirectory();
        assertThat(strata.volumes().create(Optional.of("data"), Map.of()).created()).isEqualTo(v.created());
        ContainerSummary c = create(new MountSpec(MountSpec.VOLUME, "data", "/data", false, null));
        assertThat(strata.volumes().inspect("data").usedBy()).containsExactly(c.id());
        assertThatThrownBy(() -> strata.volumes().remove("data")).isInstanceOf(ConflictException.class)
                .hasMessage("remove data: volume is in use - [" + c.id() + "]");
        // The data outlives the container.
        Files.writeString(v.mountpoint().resolve("kept.txt"), "kept");
        strata.containers().remove(c.id(), false, true);
        assertThat(v.mountpoint().resolve("kept.txt")).hasContent("kept");
        strata.volumes().remove("data");
        assertThat(root.resolve("volumes/data")).doesNotExist();
        assertThatThrownBy(() -> strata.volumes().inspect("data")).isInstanceOf(NotFoundException.class)
                .hasMessage("no such volume: data");
    }

    @Test
    void anImagesVolumeGetsAnAnonymousVolumeFilledFromTheImage() throws Exception {
        ContainerSummary a = create();
        ContainerSummary b = create();
        List<VolumeInfo> all = strata.volumes().list();
        assertThat(all).hasSize(2).allSatisfy(v -> {
            assertThat(v.anonymous()).isTrue();
            assertThat(v.name()).matches("[0-9a-f]{64}");
            assertThat(v.mountpoint().resolve("seed.txt")).hasContent("from the image");
            assertThat(v.mountpoint().resolve("sub/more.txt")).hasContent("more");
        });
        VolumeInfo ofA = all.stream().filter(v -> v.usedBy().contains(a.id())).findFirst().orElseThrow();
        Container ca = strata.containers().find(a.id());
        assertThat(new ContainerMounts(strata.volumes()).forRuntime(strata.containers().definition(ca)))
                .containsExactly(new RuntimeMount("bind", ofA.mountpoint(), "/var/lib/app", List.of("rbind")));
        // Writes to a volume bypass the storage driver: no copy-up, nothing in the container's diff.
        Files.writeString(ofA.mountpoint().resolve("seed.txt"), "changed in the volume");
        assertThat(strata.containers().diff(a.id())).isEmpty();
        // rm -v takes the anonymous volume; plain rm leaves it dangling, and prune takes it.
        strata.containers().remove(a.id(), false, true);
        strata.containers().remove(b.id(), false, false);
        assertThat(strata.volumes().list()).hasSize(1).allSatisfy(v -> assertThat(v.usedBy()).isEmpty());
        Volumes.PruneResult pruned = strata.volumes().prune(false);
        assertThat(pruned.removed()).hasSize(1);
        assertThat(pruned.reclaimedBytes()).isEqualTo("from the image\n".length() + "more\n".length());
        assertThat(strata.volumes().list()).isEmpty();
        assertThat(root.resolve("volumes")).isEmptyDirectory();
    }

    @Test
    void twoContainersShareOneVolumeAndAnExistingVolumeIsNotRefilled() throws Exception {
        VolumeInfo v = strata.volumes().create(Optional.of("shared"), Map.of());
        Files.writeString(v.mountpoint().resolve("mine.txt"), "user data");
        ContainerSummary a = create(new MountSpec(MountSpec.VOLUME, "shared", "/var/lib/app", false, null));
        ContainerSummary b = create(new MountSpec(MountSpec.VOLUME, "shared", "/var/lib/app", true, null));
        assertThat(v.mountpoint()).isDirectoryNotContaining(p -> p.getFileName().toString().equals("seed.txt"));
        assertThat(strata.volumes().inspect("shared").usedBy()).containsExactlyInAnyOrder(a.id(), b.id());
        Container cb = strata.containers().find(b.id());
        assertThat(new ContainerMounts(strata.volumes()).forRuntime(strata.containers().definition(cb)))
                .containsExactly(new RuntimeMount("bind", v.mountpoint(), "/var/lib/app", List.of("rbind", "ro")));
        assertThat(strata.volumes().list()).extracting(VolumeInfo::name).containsExactly("shared"); // the image's VOLUME is covered
    }

    @Test
    void adoptCopiesExistingDataOnceAndNeverOverwritesAVolume() throws Exception {
        Path legacy = Files.createDirectories(work.resolve("legacy-data/sub"));
        Files.writeString(legacy.resolveSibling("x"), "legacy\n");
        Files.writeString(legacy.resolve("y"), "nested\n");
        Optional<Path> made = strata.volumes().adopt("old", legacy.getParent());
        assertThat(made).contains(root.resolve("volumes/old"));
        Path data = root.resolve("volumes/old/_data");
        assertThat(data.resolve("sub/y")).hasContent("nested");
        // A copy, not a link: writing the volume leaves the source alone.
        Files.writeString(data.resolve("x"), "changed in the volume\n");
        assertThat(legacy.resolveSibling("x")).hasContent("legacy");
        // Existing volumes (by row, or a directory put in place whose row never came) are left as they are.
        assertThat(strata.volumes().adopt("old", legacy.getParent())).isEmpty();
        assertThat(data.resolve("x")).hasContent("changed in the volume");
        strata.volumes().create(Optional.of("named"), Map.of());
        assertThat(strata.volumes().adopt("named", legacy.getParent())).isEmpty();
        assertThat(root.resolve("volumes/named/_data")).isEmptyDirectory();
        // The row comes with the container that mounts it.
        ContainerSummary c = create(new MountSpec(MountSpec.VOLUME, "old", "/var/lib/app", false, null));
        assertThat(strata.volumes().inspect("old").usedBy()).containsExactly(c.id());
        assertThat(data.resolve("seed.txt")).as("not filled from the image: it had data").doesNotExist();
    }

    @Test
    void anInterruptedAdoptionsStagingDirectoryIsSwept() throws Exception {
        Path staging = strata.store().volumes().stagingDir("half");
        Files.createDirectories(staging.resolve("_data"));
        Files.writeString(staging.resolve("_data/partial"), "half a copy");
        Files.createDirectories(root.resolve("volumes/kept/_data"));
        Files.writeString(root.resolve("volumes/kept/_data/data"), "a whole volume, its row never written");
        strata.store().sweep();
        assertThat(staging).doesNotExist();
        assertThat(root.resolve("volumes/kept/_data/data")).as("users' data is not swept").exists();
    }

    @Test
    void badVolumeSpecsAreClearErrorsAndLeaveNothing() throws Exception {
        assertThatThrownBy(() -> create(new MountSpec(MountSpec.VOLUME, "bad/name", "/x", false, null)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid volume name \"bad/name\"");
        assertThatThrownBy(() -> create(new MountSpec(MountSpec.VOLUME, "ab", "/x", false, null),
                new MountSpec(MountSpec.TMPFS, null, "/x", false, null)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Duplicate mount point: /x");
        assertThat(strata.containers().views().list(true, false)).isEmpty();
        assertThat(strata.volumes().list()).isEmpty();
        assertThat(root.resolve("volumes")).isEmptyDirectory();
    }
}
