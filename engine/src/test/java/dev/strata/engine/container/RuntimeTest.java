package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.container.ContainerStatus;
import dev.strata.engine.runtime.OciRuntimeException;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers: the engine API drives real runc under real conmon on a busybox image (overlay2). Every test
 * removes its containers (killing what runs) in {@link #removeContainers}.
 */
class RuntimeTest {
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

    @AfterEach
    void removeContainers() throws Exception {
        for (ContainerSummary c : containers.views().list(true, false)) {
            containers.remove(c.id(), true, false);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    record Ran(int exitCode, String out, String err, String id) {
    }

    static Ran run(CreateOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Containers.RunResult r = containers.run(options, Optional.of(AttachStreams.output(out, err)));
        AttachOutcome.Exited exited = (AttachOutcome.Exited) r.outcome().orElseThrow();
        return new Ran(exited.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), r.id());
    }

    static Ran run(String... command) throws Exception {
        return run(CreateOptions.of(BusyboxStore.IMAGE, command));
    }

    static String detached(CreateOptions options) throws Exception {
        return containers.run(options, Optional.empty()).id();
    }

    static String detached(String... command) throws Exception {
        return detached(CreateOptions.of(BusyboxStore.IMAGE, command));
    }

    /**
     * A detached {@code sh -c script} once it has printed its first line: a signal sent before that could reach
     * {@code runc init} (which exits on it) or a shell that has not installed its trap yet.
     */
    static String detachedReady(String script) throws Exception {
        String id = detached("sh", "-c", script);
        eventually("the script's first line", Duration.ofSeconds(60), () -> logs(id, LogOptions.all()).contains("\n"));
        return id;
    }

    static CreateOptions with(CreateOptions o, HostSpec host) {
        return o.withHost(host);
    }

    static HostSpec host(List<MountSpec> mounts, String network, boolean readOnly, boolean init, boolean autoRemove) {
        return new HostSpec(mounts, network, readOnly, init, autoRemove);
    }

    static String exec(String id, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = containers.io().exec(id, ExecOptions.of(command), new ExecIo.Streams(Optional.empty(), out, OutputStream.nullOutputStream()));
        assertThat(code).as("exit code of %s", List.of(command)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    static String logs(String id, LogOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        containers.io().logs(id, options, out, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static void eventually(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Path bundle(String id) {
        return store.root.resolve("containers").resolve(id);
    }

    // ---- lifecycle and exit codes -----------------------------------------------------------------------------

    @Test
    void runReturnsTheExitCodeAndKeepsTheStreamsApart() throws Exception {
        Ran r = run("sh", "-c", "echo hello; echo oops >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("hello\n");
        assertThat(r.err()).isEqualTo("oops\n");
        ContainerState s = containers.views().state(r.id());
        assertThat(s.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.startedAt()).isPresent();
        assertThat(s.finishedAt().orElseThrow()).isAfterOrEqualTo(s.startedAt().orElseThrow());
    }

    @Test
    void aContainerGoesThroughCreatedRunningExitedAndCanStartAgain() throws Exception {
        ContainerSummary c = containers.create(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "echo run; sleep 30"));
        assertThat(containers.views().state(c.id()).status()).isEqualTo(ContainerStatus.CREATED);
        containers.processes().start(c.id());
        ContainerState running = containers.views().state(c.id());
        assertThat(running.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(running.pid()).isPositive();
        assertThat(Path.of("/proc", Long.toString(running.pid()))).exists();
        assertThat(containers.views().list(false, false)).extracting(ContainerSummary::id).containsExactly(c.id());
        containers.processes().start(c.id()); // starting a running container changes nothing
        assertThat(containers.views().state(c.id()).pid()).isEqualTo(running.pid());
        containers.processes().kill(c.id(), "KILL");
        ContainerState exited = containers.views().state(c.id());
        assertThat(exited.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(exited.exitCode()).isEqualTo(137);
        assertThat(exited.pid()).isZero();
        assertThat(containers.views().list(false, false)).isEmpty();
        assertThat(store.strata.store().driver().isMounted(c.id())).as("unmounted once it stopped").isFalse();
        assertThat(Path.of("/run/strata/runc", c.id())).as("the runtime forgot it").doesNotExist();
        containers.processes().start(c.id());
        assertThat(containers.views().state(c.id()).status()).isEqualTo(ContainerStatus.RUNNING);
        eventually("both runs in the log", Duration.ofSeconds(60), () -> logs(c.id(), LogOptions.all()).equals("run\nrun\n"));
    }

    @Test
    void waitReturnsTheExitCodeWhenTheContainerStops() throws Exception {
        String id = detached("sh", "-c", "sleep 0.3; exit 4");
        assertThat(containers.processes().waitFor(id)).isEqualTo(4);
        assertThat(containers.processes().waitFor(id)).as("again, of a stopped container").isEqualTo(4);
        assertThat(containers.views().state(id).status()).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void environmentWorkingDirectoryAndUserComeFromImageAndOptions() throws Exception {
        CreateOptions o = new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("sh", "-c", "echo $FOO; pwd; id; echo $HOME; echo $PATH; echo $HOSTNAME"),
                Optional.empty(), List.of("FOO=bar"), Optional.of("/work/dir"), Optional.of("nobody"), Map.of(), Optional.of("box"), false, false,
                HostSpec.defaults());
        Ran r = run(o);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("bar", "/work/dir", "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)",
                "/nonexistent", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "box");
        Ran numeric = run(new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("id"), Optional.empty(), List.of(), Optional.empty(),
                Optional.of("1234:65534"), Map.of(), Optional.empty(), false, false, HostSpec.defaults()));
        assertThat(numeric.out().strip()).isEqualTo("uid=1234 gid=65534(nogroup) groups=65534(nogroup)");
        CreateOptions unknown = new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("id"), Optional.empty(), List.of(), Optional.empty(),
                Optional.of("nope"), Map.of(), Optional.empty(), false, false, HostSpec.defaults());
        int before = containers.views().list(true, false).size();
        assertThatThrownBy(() -> run(unknown)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unable to find user nope: no matching entries in passwd file");
        assertThat(containers.views().list(true, false)).as("a run that could not start leaves nothing").hasSize(before);
    }

    @Test
    void containersGetDockersCapabilitiesSeccompAndMaskedPaths() throws Exception {
        Ran r = run("sh", "-c", "grep -E '^(CapEff|CapBnd|Seccomp|NoNewPrivs):' /proc/self/status; cat /proc/kcore | wc -c; "
                + "mount -t tmpfs none /mnt 2>&1; echo 1 > /proc/sys/kernel/domainname 2>&1 || echo readonly; "
                + "unshare -U true 2>&1 || echo no-user-namespaces");
        assertThat(r.out()).contains("CapEff:\t00000000a80425fb", "CapBnd:\t00000000a80425fb", "Seccomp:\t2", "NoNewPrivs:\t0");
        assertThat(r.out().lines()).contains("0"); // /proc/kcore is masked by an empty bind
        assertThat(r.out()).contains("mount: permission denied", "readonly");
        // Creating a user namespace needs no capability: only the seccomp profile stops it, as Docker's does.
        assertThat(r.out()).contains("unshare: unshare(0x10000000): Operation not permitted", "no-user-namespaces");
        Ran user = run(new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("grep", "CapEff", "/proc/self/status"), Optional.empty(),
                List.of(), Optional.empty(), Optional.of("nobody"), Map.of(), Optional.empty(), false, false, HostSpec.defaults()));
        assertThat(user.out()).as("a non-root user holds no capabilities").contains("CapEff:\t0000000000000000");
    }

    // ---- logs ---------------------------------------------------------------------------------------------------

    @Test
    void logsKeepStreamsTimesTailSinceAndJoinPartialLines() throws Exception {
        String id = detached("sh", "-c", "echo one; echo two >&2; printf 'par'; sleep 0.1; printf 'tial\\n'; printf 'no newline'");
        assertThat(containers.processes().waitFor(id)).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        containers.io().logs(id, LogOptions.all(), out, err);
        assertThat(out.toString()).isEqualTo("one\npartial\nno newline");
        assertThat(err.toString()).isEqualTo("two\n");
        assertThat(logs(id, new LogOptions(false, OptionalInt.of(2), Optional.empty(), Optional.empty(), false)))
                .isEqualTo("partial\nno newline");
        String stamped = logs(id, new LogOptions(false, OptionalInt.of(1), Optional.empty(), Optional.empty(), true));
        assertThat(stamped).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z no newline");
        assertThat(logs(id, new LogOptions(false, OptionalInt.empty(), Optional.of(Instant.now().plusSeconds(60)), Optional.empty(), false)))
                .as("--since in the future").isEmpty();
        assertThat(logs(id, new LogOptions(false, OptionalInt.empty(), Optional.of(Instant.now().minusSeconds(600)), Optional.empty(), false)))
                .contains("one", "two", "partial");
    }

    @Test
    void logsFollowUntilTheContainerStops() throws Exception {
        String id = detached("sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.2; done");
        String followed = logs(id, new LogOptions(true, OptionalInt.empty(), Optional.empty(), Optional.empty(), false));
        assertThat(followed).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(containers.views().state(id).status()).isEqualTo(ContainerStatus.EXITED);
    }

    // ---- stop, kill, restart, pause ---------------------------------------------------------------------------

    @Test
    void stopSendsSigtermThenSigkillAfterTheTimeout() throws Exception {
        // PID 1 of a PID namespace ignores SIGTERM unless it handles it: only the SIGKILL ends it.
        String stubborn = detachedReady("trap '' TERM; echo ready; while true; do sleep 0.1; done");
        long t0 = System.nanoTime();
        containers.processes().stop(stubborn, Optional.of(Duration.ofSeconds(1)));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(took).isBetween(900L, 8000L);
        assertThat(containers.views().state(stubborn).exitCode()).isEqualTo(137);

        String polite = detachedReady("trap 'exit 7' TERM; echo ready; while true; do sleep 0.1; done");
        t0 = System.nanoTime();
        containers.processes().stop(polite, Optional.empty());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5000);
        assertThat(containers.views().state(polite).exitCode()).isEqualTo(7);
        containers.processes().stop(polite, Optional.empty()); // stopping a stopped container is fine
    }

    @Test
    void killSendsTheNamedSignal() throws Exception {
        String id = detachedReady("trap 'echo got USR1; exit 9' USR1; echo ready; while true; do sleep 0.1; done");
        containers.processes().kill(id, "SIGUSR1");
        assertThat(containers.processes().waitFor(id)).isEqualTo(9);
        assertThat(logs(id, LogOptions.all())).isEqualTo("ready\ngot USR1\n");
        assertThatThrownBy(() -> containers.processes().kill(id, "USR1")).isInstanceOf(ConflictException.class).hasMessageContaining("is not running");
        String other = detached("sleep", "30");
        assertThatThrownBy(() -> containers.processes().kill(other, "SIGNOPE")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Invalid signal: SIGNOPE");
        assertThatThrownBy(() -> containers.processes().kill(other, "99")).isInstanceOf(InvalidArgumentException.class).hasMessage("Invalid signal: 99");
        containers.processes().kill(other, "9");
        assertThat(containers.views().state(other).exitCode()).isEqualTo(137);
    }

    @Test
    void restartRunsTheContainerAgain() throws Exception {
        String id = detachedReady("trap 'exit 0' TERM; echo started; while true; do sleep 0.1; done");
        long firstPid = containers.views().state(id).pid();
        containers.processes().restart(id, Optional.of(Duration.ofSeconds(5)));
        ContainerState s = containers.views().state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(s.pid()).isNotEqualTo(firstPid);
        eventually("two runs logged", Duration.ofSeconds(60), () -> logs(id, LogOptions.all()).equals("started\nstarted\n"));
    }

    @Test
    void pauseFreezesTheContainerAndUnpauseThawsIt() throws Exception {
        String id = detached("sleep", "30");
        containers.processes().pause(id);
        assertThat(containers.views().state(id).status()).isEqualTo(ContainerStatus.PAUSED);
        assertThat(Files.readString(Path.of("/sys/fs/cgroup/freezer/strata", id, "freezer.state")).strip()).isEqualTo("FROZEN");
        assertThat(containers.views().list(false, false)).extracting(c -> c.state().status()).containsExactly(ContainerStatus.PAUSED);
        assertThatThrownBy(() -> containers.processes().pause(id)).isInstanceOf(ConflictException.class).hasMessageContaining("already paused");
        assertThatThrownBy(() -> containers.io().exec(id, ExecOptions.of("true"), new ExecIo.Inherit())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("is paused");
        containers.processes().unpause(id);
        assertThat(containers.views().state(id).status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(exec(id, "echo", "thawed")).isEqualTo("thawed\n");
        containers.processes().pause(id);
        containers.processes().stop(id, Optional.of(Duration.ofSeconds(1))); // a paused container stops too
        assertThat(containers.views().state(id).status()).isEqualTo(ContainerStatus.EXITED);
    }

    // ---- exec, attach, top ------------------------------------------------------------------------------------

    @Test
    void execRunsCommandsInTheRunningContainer() throws Exception {
        String id = detached(new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("sleep", "30"), Optional.empty(), List.of("A=1"),
                Optional.of("/srv"), Optional.empty(), Map.of(), Optional.empty(), false, false, HostSpec.defaults()));
        assertThat(exec(id, "sh", "-c", "echo $A; pwd; id -u")).isEqualTo("1\n/srv\n0\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = containers.io().exec(id, new ExecOptions(List.of("sh", "-c", "echo $B; pwd; id -un; exit 5"), List.of("B=2"), Optional.of("/tmp"),
                Optional.of("nobody"), false, false, false), new ExecIo.Streams(Optional.empty(), out, OutputStream.nullOutputStream()));
        assertThat(code).isEqualTo(5);
        assertThat(out.toString()).isEqualTo("2\n/tmp\nnobody\n");
        ByteArrayOutputStream cat = new ByteArrayOutputStream();
        containers.io().exec(id, new ExecOptions(List.of("cat"), List.of(), Optional.empty(), Optional.empty(), false, true, false),
                new ExecIo.Streams(Optional.of(new ByteArrayInputStream("piped in\n".getBytes())), cat, OutputStream.nullOutputStream()));
        assertThat(cat.toString()).isEqualTo("piped in\n");
        assertThat(containers.io().exec(id, new ExecOptions(List.of("sh", "-c", "echo detached > /tmp/d"), List.of(), Optional.empty(), Optional.empty(),
                false, false, true), new ExecIo.Inherit())).isZero();
        eventually("the detached exec ran", Duration.ofSeconds(60), () -> exec(id, "cat", "/tmp/d").equals("detached\n"));
        assertThatThrownBy(() -> containers.io().exec(id, ExecOptions.of("nope"), new ExecIo.Streams(Optional.empty(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream()))).isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("exec: \"nope\": executable file not found in $PATH")
                .satisfies(e -> assertThat(((OciRuntimeException) e).exitStatus()).isEqualTo(127));
        containers.processes().kill(id, "KILL");
        assertThatThrownBy(() -> containers.io().exec(id, ExecOptions.of("true"), new ExecIo.Inherit())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("is not running");
    }

    @Test
    void attachStreamsInputAndOutputAndDetachesWithTheKeys() throws Exception {
        CreateOptions interactive = new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("cat"), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), false, true, HostSpec.defaults());
        String id = detached(interactive);
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<AttachOutcome> attached = CompletableFuture.supplyAsync(() -> {
            try {
                return containers.io().attach(id, new AttachStreams(Optional.of(stdin), out, OutputStream.nullOutputStream(), Optional.empty(),
                        Optional::empty));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        keyboard.write("hello\n".getBytes());
        keyboard.flush();
        eventually("the echo", Duration.ofSeconds(60), () -> out.toString().equals("hello\n"));
        containers.processes().kill(id, "KILL");
        assertThat(attached.get(10, TimeUnit.SECONDS)).isEqualTo(new AttachOutcome.Exited(137));

        // With a terminal, ctrl-p ctrl-q detaches and the container goes on.
        CreateOptions tty = new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("sh"), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Map.of(), Optional.empty(), true, true, HostSpec.defaults());
        String shell = detached(tty);
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream terminal = new PipedInputStream(typing);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        CompletableFuture<AttachOutcome> session = CompletableFuture.supplyAsync(() -> {
            try {
                return containers.io().attach(shell, new AttachStreams(Optional.of(terminal), screen, OutputStream.nullOutputStream(),
                        Optional.of(AttachStreams.DEFAULT_DETACH_KEYS), () -> Optional.of(new AttachStreams.TerminalSize(30, 100))));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        typing.write("echo hi-$((6*7)); stty size\n".getBytes());
        typing.flush();
        eventually("the shell's answer", Duration.ofSeconds(60), () -> screen.toString().contains("hi-42"));
        eventually("the terminal size", Duration.ofSeconds(60), () -> screen.toString().contains("30 100"));
        typing.write(new byte[] {16, 17}); // ctrl-p ctrl-q
        typing.flush();
        assertThat(session.get(10, TimeUnit.SECONDS)).isEqualTo(new AttachOutcome.Detached());
        assertThat(containers.views().state(shell).status()).as("detaching leaves it running").isEqualTo(ContainerStatus.RUNNING);
        assertThat(screen.toString()).contains("hi-42\r\n"); // a terminal's output
    }

    @Test
    void topListsTheContainersProcesses() throws Exception {
        String id = detached("sh", "-c", "sleep 31 & sleep 32"); // busybox sh execs the last command: two processes
        eventually("both sleeps", Duration.ofSeconds(60), () -> containers.views().top(id, List.of()).processes().size() == 2);
        TopResult top = containers.views().top(id, List.of());
        assertThat(top.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(top.processes()).extracting(p -> p.get(7)).contains("sleep 31", "sleep 32");
        assertThat(containers.views().top(id, List.of("-o", "pid,comm")).titles()).containsExactly("PID", "COMMAND");
    }

    // ---- host options -----------------------------------------------------------------------------------------

    @Test
    void bindMountsReadOnlyRootAndTmpfs() throws Exception {
        Path shared = Files.createDirectories(work.resolve("shared"));
        Files.writeString(shared.resolve("from-host"), "host\n");
        HostSpec binds = host(List.of(MountSpecs.volume(shared + ":/data"), MountSpecs.volume(shared + ":/ro:ro")), HostSpec.NETWORK_HOST,
                false, false, false);
        Ran r = run(with(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "cat /data/from-host; echo container > /data/from-ctr; "
                + "echo x > /ro/x 2>&1 || echo refused"), binds));
        assertThat(r.out()).isEqualTo("host\nrefused\n");
        assertThat(r.err()).contains("Read-only file system");
        assertThat(shared.resolve("from-ctr")).hasContent("container");
        assertThat(shared.resolve("x")).doesNotExist();

        HostSpec readOnly = host(List.of(MountSpecs.tmpfs("/scratch:size=1m")), HostSpec.NETWORK_HOST, true, false, false);
        Ran ro = run(with(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "touch /x 2>&1; touch /etc/hosts 2>&1; echo ok > /scratch/y && "
                + "cat /scratch/y; grep ' /scratch ' /proc/mounts"), readOnly));
        assertThat(ro.out()).contains("touch: /x: Read-only file system", "touch: /etc/hosts: Read-only file system", "ok\n",
                "tmpfs /scratch tmpfs rw,nosuid,nodev,noexec");
        assertThat(ro.out()).containsPattern("size=1024k");
        // -v with a missing host directory creates it, as docker does
        Path missing = work.resolve("made-by-run");
        run(with(CreateOptions.of(BusyboxStore.IMAGE, "touch", "/m/file"), host(List.of(MountSpecs.volume(missing + ":/m")),
                HostSpec.NETWORK_HOST, false, false, false)));
        assertThat(missing.resolve("file")).exists();
    }

    @Test
    void networkNoneHasOnlyLoopbackAndHostSharesTheHostsInterfaces() throws Exception {
        Ran none = run(with(CreateOptions.of(BusyboxStore.IMAGE, "ls", "/sys/class/net"), host(List.of(), HostSpec.NETWORK_NONE, false, false,
                false)));
        assertThat(none.out().split("\\s+")).containsExactly("lo");
        Ran hostNet = run(with(CreateOptions.of(BusyboxStore.IMAGE, "ls", "/sys/class/net"), HostSpec.defaults()));
        List<String> hostInterfaces = new ArrayList<>();
        try (var ls = Files.list(Path.of("/sys/class/net"))) {
            ls.forEach(p -> hostInterfaces.add(p.getFileName().toString()));
        }
        assertThat(hostNet.out().split("\\s+")).containsExactlyInAnyOrderElementsOf(hostInterfaces);
        assertThat(run(with(CreateOptions.of(BusyboxStore.IMAGE, "cat", "/etc/hosts"), host(List.of(), HostSpec.NETWORK_NONE, false, false,
                false))).out()).startsWith("127.0.0.1\tlocalhost\n");
    }

    @Test
    void initRunsTiniAsPidOne() throws Exception {
        String id = detached(with(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "30"), host(List.of(), HostSpec.NETWORK_HOST, false, true, false)));
        assertThat(exec(id, "cat", "/proc/1/cmdline").replace('\0', ' ')).isEqualTo("/sbin/docker-init -- sleep 30 ");
        long t0 = System.nanoTime();
        containers.processes().stop(id, Optional.empty()); // tini passes SIGTERM on to sleep, which dies of it
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5000);
        assertThat(containers.views().state(id).exitCode()).isEqualTo(143);
    }

    @Test
    void autoRemoveRemovesTheContainerWhenItExits() throws Exception {
        HostSpec rm = host(List.of(), HostSpec.NETWORK_HOST, false, false, true);
        Ran r = run(with(CreateOptions.of(BusyboxStore.IMAGE, "sh", "-c", "exit 2"), rm));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(containers.views().list(true, false)).isEmpty();
        assertThat(bundle(r.id())).doesNotExist();
        // Detached, without an exit command (this store has none): the next look at it removes it.
        String id = detached(with(CreateOptions.of(BusyboxStore.IMAGE, "true"), rm));
        eventually("its exit", Duration.ofSeconds(60), () -> Files.exists(bundle(id).resolve("exit")));
        assertThat(containers.views().list(true, false)).isEmpty();
        assertThat(bundle(id)).doesNotExist();
    }

    // ---- inspect, the walkthrough -----------------------------------------------------------------------------

    @Test
    void inspectShowsStateConfigHostConfigMountsAndGraphDriver() throws Exception {
        Path dir = Files.createDirectories(work.resolve("inspect-bind"));
        String id = detached(new CreateOptions(BusyboxStore.IMAGE, Optional.of("inspected"), List.of("sleep", "30"), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Map.of("k", "v"), Optional.empty(), false, false,
                host(List.of(MountSpecs.volume(dir + ":/data:ro")), HostSpec.NETWORK_NONE, false, false, false)));
        ContainerDetails d = containers.views().inspect("inspected");
        assertThat(d.id()).isEqualTo(id);
        assertThat(d.name()).isEqualTo("/inspected");
        assertThat(d.path()).isEqualTo("sleep");
        assertThat(d.args()).containsExactly("30");
        assertThat(d.state().status()).isEqualTo("running");
        assertThat(d.state().running()).isTrue();
        assertThat(d.state().pid()).isPositive();
        assertThat(d.state().startedAt()).matches("\\d{4}-.*Z");
        assertThat(d.state().finishedAt()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(d.config().labels()).containsEntry("k", "v");
        assertThat(d.hostConfig().networkMode()).isEqualTo("none");
        assertThat(d.mounts()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo("bind");
            assertThat(m.source()).isEqualTo(dir.toString());
            assertThat(m.destination()).isEqualTo("/data");
            assertThat(m.rw()).isFalse();
        });
        assertThat(d.graphDriver().name()).isEqualTo("overlay2");
        assertThat(d.graphDriver().data()).containsKeys("LowerDir", "MergedDir", "UpperDir", "WorkDir");
        assertThat(d.graphDriver().data().get("MergedDir")).isEqualTo(store.root.resolve("overlay2").resolve(id).resolve("merged").toString());
        assertThat(d.graphDriver().data().get("LowerDir")).startsWith(store.root.resolve("overlay2").resolve(id + "-init").resolve("diff") + ":");
        assertThat(Path.of(d.logPath())).exists();
        String json = dev.strata.image.ImageJson.MAPPER.writeValueAsString(d);
        assertThat(json).contains("\"State\":{\"Status\":\"running\",\"Running\":true,\"Paused\":false", "\"Name\":\"/inspected\"",
                "\"GraphDriver\":{\"Data\":{\"LowerDir\"", "\"NetworkSettings\":{");
    }

    @Test
    void fiveShellsShareOneImageEachWithItsOwnWritableLayer() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(detached(new CreateOptions(BusyboxStore.IMAGE, Optional.empty(), List.of("sh"), Optional.empty(), List.of(), Optional.empty(),
                    Optional.empty(), Map.of(), Optional.empty(), true, true, HostSpec.defaults())));
        }
        assertThat(containers.views().list(false, false)).extracting(ContainerSummary::id).containsExactlyInAnyOrderElementsOf(ids);
        try (var dirs = Files.list(store.root.resolve("containers"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(ids);
        }
        for (String id : ids) {
            exec(id, "sh", "-c", "echo " + id + " > /mine");
        }
        for (String id : ids) {
            assertThat(store.strata.store().driver().diffDir(id).resolve("mine")).hasContent(id);
            assertThat(exec(id, "cat", "/mine")).isEqualTo(id + "\n");
        }
    }

    // ---- bad input ----------------------------------------------------------------------------------------------

    @Test
    void badInputIsAClearErrorAndLeavesNothingBehind() throws Exception {
        assertThatThrownBy(() -> run(CreateOptions.of("nope:1", "true"))).hasMessage("No such image: nope:1");
        assertThatThrownBy(() -> run("nope")).isInstanceOf(OciRuntimeException.class)
                .hasMessageContaining("exec: \"nope\": executable file not found in $PATH")
                .satisfies(e -> assertThat(((OciRuntimeException) e).exitStatus()).isEqualTo(127));
        assertThatThrownBy(() -> run("/etc/passwd")).isInstanceOf(OciRuntimeException.class).hasMessageContaining("permission denied")
                .satisfies(e -> assertThat(((OciRuntimeException) e).exitStatus()).isEqualTo(126));
        assertThatThrownBy(() -> MountSpecs.volume("/a:relative")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("mount path must be absolute");
        assertThatThrownBy(() -> MountSpecs.mount("type=bind,source=/does/not/exist,target=/x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("bind source path does not exist: /does/not/exist");
        String taken = detached(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "30").withName("taken"));
        assertThatThrownBy(() -> run(CreateOptions.of(BusyboxStore.IMAGE, "true").withName("taken"))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("The container name \"/taken\" is already in use");
        assertThatThrownBy(() -> containers.remove("taken", false, false)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("You cannot remove a running container " + taken);
        containers.remove("taken", true, false);
        assertThat(containers.views().list(true, false)).isEmpty();
        try (var dirs = Files.list(store.root.resolve("containers"))) {
            assertThat(dirs).isEmpty();
        }
        // A started container that failed keeps its error, like docker's
        ContainerSummary c = containers.create(CreateOptions.of(BusyboxStore.IMAGE, "nope"));
        assertThatThrownBy(() -> containers.processes().start(c.id())).isInstanceOf(OciRuntimeException.class);
        ContainerState s = containers.views().state(c.id());
        assertThat(s.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(s.exitCode()).isEqualTo(127);
        assertThat(s.error()).contains("executable file not found");
        assertThat(store.strata.store().driver().isMounted(c.id())).isFalse();
    }
}
