package dev.strata.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {
    @TempDir
    Path dir;

    @Test
    void spawnedChildGetsTheExtraFdAsFdThreeAndNothingElse() throws Exception {
        int[] pipe = Processes.pipe();
        long pid;
        try {
            pid = Processes.spawn(List.of("/bin/sh", "-c", "echo hello >&3; ls /proc/self/fd >&3; pwd >&2; exit 7"),
                    Map.of("PATH", "/usr/bin:/bin"), dir, dir.resolve("err"), pipe[1]);
        } finally {
            Processes.close(pipe[1]);
        }
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        int n;
        while ((n = Processes.read(pipe[0], buf, 5000)) > 0) {
            got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        Processes.close(pipe[0]);
        assertThat(Processes.waitFor(pid)).isEqualTo(7);
        // 0, 1, 2, the pipe as 3, and the directory ls itself opened: no descriptor of the JVM leaked in.
        assertThat(got.toString().lines().toList()).startsWith("hello").hasSizeLessThanOrEqualTo(1 + 5);
        assertThat(Files.readString(dir.resolve("err")).strip()).isEqualTo(dir.toString());
    }

    @Test
    void readTimesOutWhenNothingArrives() throws Exception {
        int[] pipe = Processes.pipe();
        try {
            assertThat(Processes.read(pipe[0], new byte[16], 50)).isEqualTo(-1);
        } finally {
            Processes.close(pipe[0]);
            Processes.close(pipe[1]);
        }
    }

    @Test
    void killReportsAMissingProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        assertThat(Processes.kill(p.pid(), 9)).isTrue();
        p.waitFor();
        assertThat(Processes.kill(p.pid(), 0)).isFalse();
    }

    @Test
    void terminalQueriesAnswerForNonTerminals() {
        assertThat(Terminal.isTerminal(-1)).isFalse();
        assertThat(Terminal.size(-1)).isEmpty();
    }
}
