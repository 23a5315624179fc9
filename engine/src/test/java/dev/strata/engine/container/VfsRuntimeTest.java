package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.container.ContainerStatus;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers run on vfs too: the root file system is the layer's own directory, nothing to mount. */
class VfsRuntimeTest {
    @TempDir
    Path work;

    @Test
    void runsExecsAndStopsOnVfs() throws Exception {
        try (BusyboxStore s = BusyboxStore.open(work, "vfs")) {
            Containers c = s.strata.containers();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Containers.RunResult r = c.run(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "echo on vfs > /f; cat /f; exit 6"),
                    Optional.of(AttachStreams.output(out, OutputStream.nullOutputStream())));
            assertThat(r.outcome()).contains(new AttachOutcome.Exited(6));
            assertThat(out.toString()).isEqualTo("on vfs\n");
            assertThat(s.strata.store().driver().diffDir(r.id()).resolve("f")).hasContent("on vfs");
            String id = c.run(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "30"), Optional.empty()).id();
            ByteArrayOutputStream id0 = new ByteArrayOutputStream();
            c.io().exec(id, ExecOptions.of("id", "-u"), new ExecIo.Streams(Optional.empty(), id0, OutputStream.nullOutputStream()));
            assertThat(id0.toString()).isEqualTo("0\n");
            c.processes().kill(id, "KILL");
            assertThat(c.views().state(id).status()).isEqualTo(ContainerStatus.EXITED);
        }
    }
}
