package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file picks the driver and root; options override it; a bad file is a clear error. */
class ConfigFileTest {
    @TempDir
    Path work;

    @Test
    void theConfigFileChoosesTheDriverAndTheRoot() throws Exception {
        Path config = Files.writeString(work.resolve("strata.json"),
                "{\"storage-driver\": \"vfs\", \"data-root\": \"" + work.resolve("from-config") + "\"}");
        ProcessBuilder pb = StrataProcess.builder(work.resolve("ignored"), "info");
        pb.command().removeAll(java.util.List.of("--root", work.resolve("ignored").toString()));
        pb.environment().put("STRATA_CONFIG", config.toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("Storage Driver: vfs").contains("Strata Root Dir: " + work.resolve("from-config"));

        ProcessBuilder overridden = StrataProcess.builder(work.resolve("other"), "--storage-driver", "overlay2", "info");
        overridden.environment().put("STRATA_CONFIG", config.toString());
        Process q = overridden.redirectErrorStream(true).start();
        String out2 = new String(q.getInputStream().readAllBytes());
        assertThat(q.waitFor()).as(out2).isZero();
        assertThat(out2).contains("Storage Driver: overlay2").contains("Strata Root Dir: " + work.resolve("other"));
    }

    @Test
    void aBrokenConfigFileIsAClearError() throws Exception {
        Path config = Files.writeString(work.resolve("strata.json"), "{\"storage-drivr\": \"vfs\"}");
        ProcessBuilder pb = StrataProcess.builder(work.resolve("root"), "images");
        pb.environment().put("STRATA_CONFIG", config.toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out).isEqualTo("Error: unknown key \"storage-drivr\" in the config file " + config
                + "; known: storage-driver, data-root\n");
    }
}
