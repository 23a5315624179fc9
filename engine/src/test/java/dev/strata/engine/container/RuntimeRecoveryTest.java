package dev.strata.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.container.ContainerStatus;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.metadata.Tx;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State survives Strata: another Strata (a new process, or a new instance here) finds running containers by their
 * processes, and a container whose processes were killed behind its back, or that ran before a reboot, is reported
 * as exited with the code Docker would give.
 */
class RuntimeRecoveryTest {
    @TempDir
    Path work;

    @Test
    void aNewStrataFindsRunningContainersAndNoticesKilledOnes() throws Exception {
        try (BusyboxStore s = BusyboxStore.open(work, "overlay2")) {
            String id = s.strata.containers().run(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "60"), Optional.empty()).id();
            long pid = s.strata.containers().views().state(id).pid();
            try (Strata other = Strata.open(StrataOptions.at(s.root))) {
                ContainerState found = other.containers().views().state(id);
                assertThat(found.status()).isEqualTo(ContainerStatus.RUNNING);
                assertThat(found.pid()).isEqualTo(pid);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                other.containers().io().exec(id, ExecOptions.of("echo", "still here"), new ExecIo.Streams(Optional.empty(), out,
                        OutputStream.nullOutputStream()));
                assertThat(out.toString()).isEqualTo("still here\n");

                // Both the monitor and the container die from outside, at once: nothing records an exit.
                long conmon = Long.parseLong(Files.readString(s.root.resolve("containers").resolve(id).resolve("conmon.pid")).strip());
                new ProcessBuilder("kill", "-9", Long.toString(conmon), Long.toString(pid)).start().waitFor();
                RuntimeTest.eventually("both gone", java.time.Duration.ofSeconds(60),
                        () -> !Files.exists(Path.of("/proc", Long.toString(pid))) && !Files.exists(Path.of("/proc", Long.toString(conmon))));
                ContainerState dead = other.containers().views().state(id);
                assertThat(dead.status()).isEqualTo(ContainerStatus.EXITED);
                assertThat(dead.exitCode()).isEqualTo(137);
                assertThat(dead.finishedAt()).isPresent();
                assertThat(other.store().driver().isMounted(id)).as("cleaned up: unmounted").isFalse();
                assertThat(Path.of("/run/strata/runc", id)).as("cleaned up: the runtime forgot it").doesNotExist();
            }
            assertThat(s.strata.containers().views().state(id).exitCode()).isEqualTo(137);
            s.strata.containers().processes().start(id); // and it runs again
            assertThat(s.strata.containers().views().state(id).status()).isEqualTo(ContainerStatus.RUNNING);
        }
    }

    @Test
    void aContainerThatRanBeforeARebootIsExitedWith255() throws Exception {
        try (BusyboxStore s = BusyboxStore.open(work, "overlay2")) {
            String id = s.strata.containers().run(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "60"), Optional.empty()).id();
            long pid = s.strata.containers().views().state(id).pid();
            long conmon = Long.parseLong(Files.readString(s.root.resolve("containers").resolve(id).resolve("conmon.pid")).strip());
            new ProcessBuilder("kill", "-9", Long.toString(conmon), Long.toString(pid)).start().waitFor();
            // What a reboot leaves: a row naming processes of another boot.
            try (Tx tx = s.strata.store().write()) {
                tx.update("UPDATE container_states SET boot_id = 'an-earlier-boot' WHERE id = ?", id);
                tx.commit();
            }
            ContainerState s2 = s.strata.containers().views().state(id);
            assertThat(s2.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(s2.exitCode()).isEqualTo(255);
        }
    }

    @Test
    void aContainerWhoseMonitorDiedKeepsRunningAndCanBeStopped() throws Exception {
        try (BusyboxStore s = BusyboxStore.open(work, "overlay2")) {
            String id = s.strata.containers().run(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "60"), Optional.empty()).id();
            long conmon = Long.parseLong(Files.readString(s.root.resolve("containers").resolve(id).resolve("conmon.pid")).strip());
            new ProcessBuilder("kill", "-9", Long.toString(conmon)).start().waitFor();
            RuntimeTest.eventually("conmon gone", java.time.Duration.ofSeconds(60), () -> !Files.exists(Path.of("/proc", Long.toString(conmon))));
            assertThat(s.strata.containers().views().state(id).status()).as("its process lives on").isEqualTo(ContainerStatus.RUNNING);
            s.strata.containers().processes().kill(id, "KILL");
            ContainerState after = s.strata.containers().views().state(id);
            assertThat(after.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(after.exitCode()).as("nobody recorded the exit: 137, as for a kill").isEqualTo(137);
        }
    }

    /**
     * What a start killed between its mount and conmon leaves: the marker and a mounted root, no monitor. The next
     * look at the container undoes it; a root mounted by {@code strata mount} (no marker) stays.
     */
    @Test
    void aStartKilledAfterItsMountIsUndoneByTheNextLook() throws Exception {
        try (BusyboxStore s = BusyboxStore.open(work, "overlay2")) {
            String id = s.strata.containers().create(CreateOptions.of(BusyboxStore.IMAGE, "sleep", "60")).id();
            Path bundle = s.root.resolve("containers").resolve(id);
            s.strata.containers().mount(id);
            assertThat(s.strata.containers().views().state(id).status()).isEqualTo(ContainerStatus.CREATED);
            assertThat(s.strata.store().driver().isMounted(id)).as("mounted by the user: left alone").isTrue();

            Files.write(bundle.resolve("starting"), new byte[0]);
            assertThat(s.strata.containers().views().state(id).status()).isEqualTo(ContainerStatus.CREATED);
            assertThat(s.strata.store().driver().isMounted(id)).as("the interrupted start's mount is undone").isFalse();
            assertThat(bundle.resolve("starting")).doesNotExist();
            s.strata.containers().processes().start(id); // and it starts
            assertThat(s.strata.containers().views().state(id).status()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(bundle.resolve("starting")).doesNotExist();
            s.strata.containers().processes().kill(id, "KILL");
        }
    }
}
