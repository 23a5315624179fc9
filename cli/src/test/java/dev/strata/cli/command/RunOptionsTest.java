package dev.strata.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
    @Test
    void detachKeysInDockersNotation() throws Exception {
        assertThat(Attached.parseKeys("ctrl-p,ctrl-q")).containsExactly(16, 17);
        assertThat(Attached.parseKeys("ctrl-@,ctrl-[,a")).containsExactly(0, 27, 'a');
        assertThatThrownBy(() -> Attached.parseKeys("ctrl-1")).hasMessageContaining("Unknown character");
        assertThatThrownBy(() -> Attached.parseKeys("shift-a")).hasMessageContaining("Unknown character");
    }

    @Test
    void logTimesInDockersForms() throws Exception {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(LogsCommand.time("since", "10m", now)).contains(Instant.parse("2026-11-27T11:50:00Z"));
        assertThat(LogsCommand.time("since", "1h30m", now)).contains(Instant.parse("2026-11-27T10:30:00Z"));
        assertThat(LogsCommand.time("since", "1.5s", now)).contains(Instant.parse("2026-11-27T11:59:58.500Z"));
        assertThat(LogsCommand.time("since", "1700000000", now)).contains(Instant.ofEpochSecond(1700000000));
        assertThat(LogsCommand.time("since", "1700000000.25", now)).contains(Instant.ofEpochSecond(1700000000, 250_000_000));
        assertThat(LogsCommand.time("since", "2026-11-27T10:00:00Z", now)).contains(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(LogsCommand.time("since", "2026-11-27T10:00:00+02:00", now)).contains(Instant.parse("2026-11-27T08:00:00Z"));
        assertThat(LogsCommand.time("since", "2026-11-27", now))
                .contains(java.time.LocalDate.parse("2026-11-27").atStartOfDay(ZoneId.systemDefault()).toInstant());
        assertThat(LogsCommand.time("since", null, now)).isEmpty();
        assertThatThrownBy(() -> LogsCommand.time("since", "yesterday", now)).hasMessageContaining("invalid value for --since");
    }

    @Test
    void statusColumnAsDocker() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        var created = new dev.strata.engine.container.ContainerState(dev.strata.container.ContainerStatus.CREATED, 0, 0,
                java.util.Optional.empty(), java.util.Optional.empty(), false, "");
        assertThat(PsCommand.status(created, now)).isEqualTo("Created");
        var up = new dev.strata.engine.container.ContainerState(dev.strata.container.ContainerStatus.RUNNING, 5, 0,
                java.util.Optional.of(now.minusSeconds(125)), java.util.Optional.empty(), false, "");
        assertThat(PsCommand.status(up, now)).isEqualTo("Up 2 minutes");
        var paused = new dev.strata.engine.container.ContainerState(dev.strata.container.ContainerStatus.PAUSED, 5, 0,
                java.util.Optional.of(now.minusSeconds(5)), java.util.Optional.empty(), false, "");
        assertThat(PsCommand.status(paused, now)).isEqualTo("Up 5 seconds (Paused)");
        var exited = new dev.strata.engine.container.ContainerState(dev.strata.container.ContainerStatus.EXITED, 0, 137,
                java.util.Optional.of(now.minusSeconds(60)), java.util.Optional.of(now.minusSeconds(3)), false, "");
        assertThat(PsCommand.status(exited, now)).isEqualTo("Exited (137) 3 seconds ago");
    }
}
