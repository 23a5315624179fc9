package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.container.ContainerSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container commands as a user runs them: separate {@code strata} processes, real runc and conmon, terminals
 * from script(1), and conmon's exit command running {@code strata container cleanup}.
 */
class RunCommandsTest {
    @TempDir
    static Path work;
    static Path root;

    @BeforeAll
    static void importBusybox() throws Exception {
        root = StrataProcess.storeWithBusybox(work, "--change", "CMD [\"sh\"]");
    }

    /** Each test starts with no container: one left running (an rm killed early, a failed test) would show in ps. */
    @AfterEach
    void removeContainers() throws Exception {
        try (Strata s = Strata.open(StrataOptions.at(root))) {
            for (ContainerSummary c : s.containers().views().list(true, false)) {
                s.containers().remove(c.id(), true, false);
            }
        }
    }

    static StrataProcess.Result strata(String... args) throws Exception {
        return StrataProcess.run(root, args);
    }

    /** {@code strata ARGS} in a pseudo-terminal; {@code input} is typed once the container's shell shows its prompt. */
    static StrataProcess.Result inTerminal(String input, String... args) throws Exception {
        return StrataProcess.inTerminal(root, "# ", input, args);
    }

    static void eventually(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static List<String> containerDirs() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("containers"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void fiveShellsRunDetachedAndPsListsThem() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StrataProcess.Result r = strata("run", "-dit", "--name", "shell" + i, "busybox", "sh");
            assertThat(r.status()).as(r.output()).isZero();
            ids.add(r.output().strip());
        }
        StrataProcess.Result ps = strata("ps");
        assertThat(ps.output().lines().toList()).hasSize(6).first().asString().startsWith("CONTAINER ID   IMAGE     COMMAND   CREATED");
        for (int i = 0; i < 5; i++) {
            assertThat(ps.output()).containsPattern(ids.get(i).substring(0, 12) + " +busybox +\"sh\" +.* ago +Up .* shell" + i);
        }
        assertThat(containerDirs()).containsAll(ids);
        StrataProcess.Result rm = strata(Stream.concat(Stream.of("rm", "-f"), ids.stream()).toArray(String[]::new));
        assertThat(rm.status()).as(rm.output()).isZero();
        assertThat(strata("ps", "-aq").output()).doesNotContain(ids.getFirst().substring(0, 12));
    }

    @Test
    void runExitsWithTheContainersCodeOrDockersCodesForItsOwnFailures() throws Exception {
        assertThat(strata("run", "--rm", "busybox", "sh", "-c", "echo out; exit 3")).isEqualTo(new StrataProcess.Result(3, "out\n"));
        int before = strata("ps", "-aq").output().lines().toList().size();
        StrataProcess.Result missing = strata("run", "busybox", "nope");
        assertThat(missing.status()).isEqualTo(127);
        assertThat(missing.output()).contains("exec: \"nope\": executable file not found in $PATH");
        StrataProcess.Result notExecutable = strata("run", "busybox", "/etc/passwd");
        assertThat(notExecutable.status()).isEqualTo(126);
        assertThat(notExecutable.output()).contains("permission denied");
        assertThat(strata("run", "nope:1", "true")).isEqualTo(new StrataProcess.Result(125,
                "Error: No such image: nope:1\nRun 'strata run --help' for more information\n"));
        assertThat(strata("run", "--bogus", "busybox").status()).isEqualTo(125);
        StrataProcess.Result badVolume = strata("run", "-v", "/tmp:relative", "busybox", "true");
        assertThat(badVolume.status()).isEqualTo(125);
        assertThat(badVolume.output()).contains("invalid volume specification: '/tmp:relative'");
        assertThat(strata("run", "--network", "bridge", "busybox", "true").output()).contains("Strata has no bridge network");
        assertThat(strata("run", "-d", "--name", "once", "busybox", "sleep", "30").status()).isZero();
        StrataProcess.Result taken = strata("run", "--name", "once", "busybox", "true");
        assertThat(taken.status()).isEqualTo(125);
        assertThat(taken.output()).contains("The container name \"/once\" is already in use");
        ProcessBuilder noRuntime = StrataProcess.builder(root, "run", "busybox", "true").redirectErrorStream(true);
        noRuntime.environment().put("STRATA_RUNTIME", "/nonexistent/runc");
        Process p = noRuntime.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(125);
        assertThat(out).contains("the OCI runtime /nonexistent/runc is not installed");
        assertThat(strata("kill", "-s", "NOPE", "once")).isEqualTo(new StrataProcess.Result(1, "Error: Invalid signal: NOPE\n"));
        assertThat(strata("rm", "-f", "once").status()).isZero();
        assertThat(strata("ps", "-aq").output().lines().toList()).as("failed runs leave no container").hasSize(before);
    }

    @Test
    void aDetachedRmContainerIsRemovedByItsExitCommand() throws Exception {
        StrataProcess.Result r = strata("run", "--rm", "-d", "busybox", "sh", "-c", "sleep 0.5");
        assertThat(r.status()).as(r.output()).isZero();
        String id = r.output().strip();
        assertThat(containerDirs()).contains(id);
        // No strata command runs in between: conmon's exit command cleans up and removes it.
        eventually("the exit command to remove it", Duration.ofSeconds(60), () -> !containerDirs().contains(id));
        assertThat(Files.exists(root.resolve("overlay2").resolve(id))).isFalse();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(id);
    }

    @Test
    void runWithATerminalAndDetachKeys() throws Exception {
        StrataProcess.Result r = inTerminal("", "run", "-t", "--rm", "busybox", "sh", "-c", "tty; exit 4");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.output()).contains("/dev/pts/0");
        StrataProcess.Result typed = inTerminal("echo typed-$((40+2))\nexit 5\n", "run", "-it", "--rm", "busybox", "sh");
        assertThat(typed.status()).isEqualTo(5);
        assertThat(typed.output()).contains("typed-42");
        StrataProcess.Result detached = inTerminal("\u0010\u0011", "run", "-it", "--name", "detachable", "busybox", "sh");
        assertThat(detached.status()).as(detached.output()).isZero();
        assertThat(strata("ps").output()).contains("detachable");
        StrataProcess.Result notATerminal = strata("run", "-it", "busybox", "sh");
        assertThat(notATerminal.status()).isEqualTo(125);
        assertThat(notATerminal.output()).contains("the input device is not a TTY");
        strata("rm", "-f", "detachable");
    }

    @Test
    void execWithAndWithoutATerminal() throws Exception {
        String id = strata("run", "-d", "busybox", "sleep", "60").output().strip();
        assertThat(inTerminal("", "exec", "-t", id, "tty").output()).contains("/dev/pts/");
        ProcessBuilder piped = StrataProcess.builder(root, "exec", "-i", id, "sh", "-c", "cat; exit 6").redirectErrorStream(true);
        Process p = piped.start();
        p.getOutputStream().write("through stdin\n".getBytes());
        p.getOutputStream().close();
        assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo("through stdin\n");
        assertThat(p.waitFor()).isEqualTo(6);
        Process noStdin = StrataProcess.builder(root, "exec", id, "cat").redirectErrorStream(true).start();
        noStdin.getOutputStream().write("not for cat\n".getBytes());
        noStdin.getOutputStream().close();
        assertThat(new String(noStdin.getInputStream().readAllBytes())).as("without -i, no stdin").isEmpty();
        assertThat(noStdin.waitFor()).isZero();
        StrataProcess.Result missing = strata("exec", id, "nope");
        assertThat(missing.status()).isEqualTo(127);
        assertThat(missing.output()).contains("executable file not found");
        strata("rm", "-f", id);
    }

    @Test
    void logsFollowAndStateSurvivesTheProcessThatStartedIt() throws Exception {
        String id = strata("run", "-d", "busybox", "sh", "-c", "for i in 1 2 3; do echo tick $i; sleep 0.3; done; exit 2").output().strip();
        assertThat(strata("logs", "-f", id)).isEqualTo(new StrataProcess.Result(0, "tick 1\ntick 2\ntick 3\n"));
        assertThat(strata("wait", id)).isEqualTo(new StrataProcess.Result(0, "2\n"));
        assertThat(strata("ps", "-a").output()).containsPattern(id.substring(0, 12) + ".*Exited \\(2\\) .* ago");
        assertThat(strata("logs", "--tail", "1", id).output()).isEqualTo("tick 3\n");

        String sleeper = strata("run", "-d", "busybox", "sleep", "60").output().strip();
        assertThat(strata("ps").output()).containsPattern(sleeper.substring(0, 12) + ".*Up ");
        String inspect = strata("inspect", sleeper).output();
        long pid = Long.parseLong(inspect.replaceAll("(?s).*\"Pid\": (\\d+),.*", "$1"));
        long conmon = Long.parseLong(Files.readString(root.resolve("containers").resolve(sleeper).resolve("conmon.pid")).strip());
        new ProcessBuilder("kill", "-9", Long.toString(conmon), Long.toString(pid)).start().waitFor();
        eventually("the kill", Duration.ofSeconds(60), () -> !Files.exists(Path.of("/proc", Long.toString(pid))));
        assertThat(strata("ps", "-a").output()).containsPattern(sleeper.substring(0, 12) + ".*Exited \\(137\\) ");
        assertThat(strata("inspect", "--type", "image", "busybox").output()).contains("\"RepoTags\": [");
        assertThat(strata("inspect", "busybox", sleeper).output()).contains("\"RepoTags\"", "\"GraphDriver\"", "\"ExitCode\": 137");
    }

    @Test
    void pauseTopAndRestartFromTheCommandLine() throws Exception {
        String id = strata("run", "-d", "--init", "busybox", "sleep", "60").output().strip();
        StrataProcess.Result top = strata("top", id);
        assertThat(top.output().lines().toList().getFirst()).startsWith("UID").contains("PID", "CMD");
        assertThat(top.output()).contains("/sbin/docker-init -- sleep 60", "sleep 60");
        assertThat(strata("pause", id).status()).isZero();
        assertThat(strata("ps").output()).containsPattern("Up .* \\(Paused\\)");
        assertThat(strata("unpause", id).status()).isZero();
        assertThat(strata("restart", "-t", "2", id).status()).isZero();
        assertThat(strata("ps").output()).containsPattern(id.substring(0, 12) + ".*Up ");
        assertThat(strata("stop", id)).isEqualTo(new StrataProcess.Result(0, id + "\n"));
        assertThat(strata("ps", "-a").output()).containsPattern(id.substring(0, 12) + ".*Exited \\(143\\)");
    }

    /**
     * Strata killed while it starts or removes a container: the next command sees a consistent state (a running
     * container has its monitor, runtime state and mount; a stopped one has none of them; a removed one nothing).
     */
    @Test
    void killedStartsAndRemovesLeaveAConsistentState() throws Exception {
        java.util.Random random = new java.util.Random(4);
        for (int round = 0; round < 6; round++) {
            String id = strata("create", "busybox", "sleep", "60").output().strip();
            killAfter(150 + random.nextInt(900), "start", id);
            assertConsistent(id);
            killAfter(100 + random.nextInt(700), "rm", "-f", id);
            assertConsistent(id);
        }
    }

    private static void killAfter(int millis, String... args) throws Exception {
        Process p = StrataProcess.builder(root, args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    private static void assertConsistent(String id) throws Exception {
        try (Strata s = Strata.open(StrataOptions.at(root))) {
            s.store().sweep(); // directories of an interrupted rm that no row reaches are garbage: a sweep takes them
            Optional<ContainerSummary> c = s.containers().views().list(true, false).stream().filter(x -> x.id().equals(id)).findFirst();
            boolean monitor = conmonOf(id);
            boolean runtimeState = Files.exists(Path.of("/run/strata/runc", id));
            boolean mounted = Files.readString(Path.of("/proc/self/mountinfo")).contains("/overlay2/" + id + "/merged");
            if (c.isPresent() && c.get().state().running()) {
                assertThat(monitor).as("a running container has its conmon").isTrue();
                assertThat(runtimeState).as("a running container is known to runc").isTrue();
                assertThat(mounted).as("a running container has its root mounted").isTrue();
            } else {
                assertThat(monitor).as("no conmon for a container that does not run").isFalse();
                assertThat(runtimeState).as("no runc state for a container that does not run").isFalse();
                assertThat(mounted).as("no mount for a container that does not run").isFalse();
            }
            if (c.isEmpty()) {
                assertThat(containerDirs()).as("a removed container leaves no directory").doesNotContain(id);
                assertThat(Files.exists(root.resolve("overlay2").resolve(id))).isFalse();
            }
        }
    }

    private static boolean conmonOf(String id) throws Exception {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")));
                    if (cmd.startsWith("/usr/bin/conmon\0") && cmd.contains("\0-c\0" + id + "\0")) {
                        return true;
                    }
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return false;
    }
}
