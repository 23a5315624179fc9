package dev.strata.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeLogTest {
    @TempDir
    Path dir;

    private static String text(List<KubeLog.Entry> entries) {
        StringBuilder b = new StringBuilder();
        for (KubeLog.Entry e : entries) {
            b.append(e.stderr() ? "E:" : "O:").append(new String(e.bytes(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void joinsPiecesPerStreamAndReadsWhatIsAppendedLater() throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, """
                2026-11-27T20:58:11.000000001+00:00 stdout P hel
                2026-11-27T20:58:11.000000002+00:00 stderr F oops
                2026-11-27T20:58:11.000000003+00:00 stdout F lo
                2026-11-27T20:58:12.5+01:00 stdout P no newline
                """);
        try (KubeLog reader = new KubeLog(log)) {
            List<KubeLog.Entry> first = reader.poll();
            assertThat(text(first)).isEqualTo("E:oops\nO:hello\n");
            assertThat(first.get(1).time()).isEqualTo(Instant.parse("2026-11-27T20:58:11.000000001Z"));
            Files.writeString(log, "2026-11-27T20:58:13.000000000+00:00 stdout F  and more\n", StandardOpenOption.APPEND);
            assertThat(text(reader.poll())).isEqualTo("O:no newline and more\n");
            Files.writeString(log, "2026-11-27T20:58:14.000000000+00:00 stdout P tail", StandardOpenOption.APPEND);
            assertThat(reader.poll()).as("half a line of the file waits for its end").isEmpty();
            Files.writeString(log, "\n", StandardOpenOption.APPEND);
            assertThat(reader.poll()).isEmpty();
            assertThat(text(reader.flush())).isEqualTo("O:tail");
        }
    }

    @Test
    void liveReadingStartsAtTheEndAndPassesPiecesOnAtOnce() throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, "2026-11-27T20:58:11.000000000+00:00 stdout F an earlier run\n");
        try (KubeLog live = KubeLog.live(log)) {
            assertThat(live.poll()).isEmpty();
            Files.writeString(log, "2026-11-27T20:58:12.000000000+00:00 stdout P prompt$ \n", StandardOpenOption.APPEND);
            assertThat(text(live.poll())).isEqualTo("O:prompt$ ");
        }
    }
}
