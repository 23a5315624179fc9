package dev.strata.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stacks deeper than one page of mount options (and than Docker's 125 layers) mount through {@code lowerdir+},
 * up to the kernel's 500 lower layers, on real overlayfs.
 */
class Overlay2DriverTest {
    @TempDir
    Path root;
    Overlay2Driver driver;
    String mounted;

    @BeforeEach
    void open() throws IOException {
        assertThat(OverlaySupport.usable(root)).as("overlayfs as root (CI runs as root)").isTrue();
        driver = new Overlay2Driver(root);
    }

    @AfterEach
    void unmount() throws IOException {
        if (mounted != null) {
            driver.unmount(mounted);
        }
    }

    /** Layers l0..l(n-1), each adding the file f<i>; the 100th also deletes f50 (a whiteout). Returns the top's ID. */
    private String stack(int n) throws IOException {
        Optional<String> parent = Optional.empty();
        for (int i = 0; i < n; i++) {
            String id = "l" + i;
            driver.create(id, parent);
            Files.writeString(driver.diffDir(id).resolve("f" + i), Integer.toString(i));
            if (i == 100) {
                Linux.mknod(driver.diffDir(id).resolve("f50"), 0020000, 0); // overlayfs whiteout: a 0/0 character device
            }
            parent = Optional.of(id);
        }
        return parent.orElseThrow();
    }

    @Test
    void aStackOf500LayersMountsWithEveryLayerAndWhiteoutInPlace() throws IOException {
        String top = stack(500);
        driver.create("container", Optional.of(top));
        assertThat(driver.lowerDirs("container")).hasSize(500);
        assertThat(driver.support().lowerdirPlus()).as("lowerdir+ (Linux 6.8+)").isTrue();

        mounted = "container";
        Path merged = driver.mount("container");
        assertThat(merged.resolve("f0")).hasContent("0");
        assertThat(merged.resolve("f499")).hasContent("499");
        assertThat(merged.resolve("f50")).doesNotExist();
        try (var files = Files.list(merged)) {
            assertThat(files.count()).isEqualTo(499);
        }
        // a write lands in the container's own diff, not in any layer below
        Files.writeString(merged.resolve("f0"), "changed");
        assertThat(driver.diffDir("container").resolve("f0")).hasContent("changed");
        assertThat(driver.diffDir("l0").resolve("f0")).hasContent("0");
    }

    @Test
    void moreThan500LowerLayersIsAClearError() throws IOException {
        String top = stack(501);
        driver.create("container", Optional.of(top));
        assertThatThrownBy(() -> driver.mount("container")).isInstanceOf(IOException.class)
                .hasMessage("layer container has 501 layers below it: overlayfs stacks at most 500");
        assertThat(Files.exists(root.resolve("overlay2/container/merged")) && Mounts.isMountPoint(root.resolve("overlay2/container/merged")))
                .isFalse();
    }
}
