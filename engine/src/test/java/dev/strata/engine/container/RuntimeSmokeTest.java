package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.container.ContainerStatus;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeSmokeTest {
    @TempDir
    Path work;

    @Test
    void runsAContainerToItsExitCode() throws Exception {
        try (BusyboxStore s = BusyboxStore.open(work, "overlay2")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Containers.RunResult r = s.strata.containers().run(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "echo hello; echo oops >&2; exit 3"),
                    Optional.of(AttachStreams.output(out, err)));
            assertThat(r.outcome()).contains(new AttachOutcome.Exited(3));
            assertThat(out.toString()).isEqualTo("hello\n");
            assertThat(err.toString()).isEqualTo("oops\n");
            assertThat(s.strata.containers().views().state(r.id()).status()).isEqualTo(ContainerStatus.EXITED);
        }
    }
}
