package dev.strata.engine.container;

import dev.strata.container.Container;
import dev.strata.container.ContainerStatus;
import dev.strata.container.RunState;
import dev.strata.engine.runtime.OciRuntime;
import dev.strata.engine.runtime.ProcInfo;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * State recovery: keeps each container's stored state true to what its processes are doing.
 *
 * <p>State lives in the database ({@link RunState}); the truth lives in processes and files: conmon's PID and
 * the container's (with their start times, so a reused PID is not ours), and the exit file conmon writes into the
 * bundle when the container ends. {@link #reconcile} compares the two under the container's lock and fixes the
 * row: a container whose exit file appeared, or whose processes vanished, becomes exited (with the file's code;
 * 137 if nothing recorded one in this boot, 255 after a reboot), its runtime state is deleted and its root file
 * system unmounted, and a {@code --rm} container is removed. Every command that looks at a container runs it,
 * and conmon's exit command runs it as soon as a container exits ({@link #cleanup}), so no Strata process needs to
 * stay behind.
 *
 * <p>A start writes {@code starting} into the bundle before it mounts the root file system and deletes it when it
 * has recorded the outcome; conmon leaves {@code conmon.pid} there from the moment it exists until the container's
 * clean-up. Either found next to a row that says "not running" is an interrupted start (the starter held the lock
 * and died): the container is adopted if the runtime reports it running, torn down and unmounted otherwise.
 *
 * <p>Safe to call from many threads at once: changes happen under the container's lock (a file lock, shared with
 * other processes), reads of a container another command holds report what its processes show.
 */
public final class ContainerRecovery {
    private final ContainerRecords records;
    private final OciRuntime runtime;

    ContainerRecovery(ContainerRecords records) {
        this.records = records;
        this.runtime = records.runtime();
    }

    /**
     * What {@code stored} says corrected by what the processes and files show, without changing anything: an
     * alive container whose exit file exists, or whose monitor and process are both gone, has exited.
     */
    RunState observe(String id, RunState stored) {
        if (!stored.alive()) {
            return stored;
        }
        Path b = records.bundle(id);
        Optional<Integer> code = runtime.exitCode(b);
        if (code.isPresent()) {
            return stored.exited(code.get(), runtime.exitTime(b), runtime.oomKilled(b), "");
        }
        String boot = ProcInfo.bootId();
        if (!stored.bootId().equals(boot)) {
            // The machine restarted under it: nothing of it is left, and nothing recorded how it ended.
            return stored.exited(255, Instant.now(), false, "");
        }
        if (ProcInfo.alive(stored.monitorPid(), stored.monitorStart()) || ProcInfo.alive(stored.pid(), stored.pidStart())) {
            return stored;
        }
        // conmon may have written the exit file and exited between the first look and the liveness check.
        code = runtime.exitCode(b);
        if (code.isPresent()) {
            return stored.exited(code.get(), runtime.exitTime(b), runtime.oomKilled(b), "");
        }
        // Monitor and process vanished without an exit file: only SIGKILL does that to conmon.
        return stored.exited(137, Instant.now(), false, "");
    }

    /** Whether {@link #reconcile} would change something: a cheap test for list-like commands. */
    boolean needsReconcile(Container c, RunState stored, boolean autoRemove) {
        if (stored.alive()) {
            return !observe(c.id(), stored).alive();
        }
        return interruptedStart(records.bundle(c.id())) || (stored.status() == ContainerStatus.EXITED && autoRemove);
    }

    /** Runs {@code action} on the container under the store's write lease and the container's lock. */
    <T> T locked(String nameOrId, LockedAction<T> action) throws IOException, StrataException {
        try (Store.Lease lease = records.store().writeLease()) {
            Container c = records.find(nameOrId);
            try (ContainerLock lock = ContainerLock.acquire(records.bundle(c.id()), c.id())) {
                Optional<Container> current = records.get(c.id());
                if (current.isEmpty()) { // removed while we waited for the lock
                    Files.deleteIfExists(records.bundle(c.id()).resolve("lock"));
                    try {
                        Files.deleteIfExists(records.bundle(c.id()));
                    } catch (java.nio.file.DirectoryNotEmptyException e) {
                        // something else lives there now; the sweep decides
                    }
                    throw new NotFoundException("No such container: " + nameOrId);
                }
                return action.run(current.get());
            }
        }
    }

    @FunctionalInterface
    interface LockedAction<T> {
        T run(Container c) throws IOException, StrataException;
    }

    /**
     * Makes the stored state true (the container's lock held): records an exit, cleans up after it, finishes or
     * undoes an interrupted start, removes an exited {@code --rm} container. Empty when the container is gone.
     */
    Optional<RunState> reconcile(Container c) throws IOException, StrataException {
        ContainerDefinition def = records.definition(c);
        RunState stored = records.storedState(c.id());
        Path b = records.bundle(c.id());
        if (stored.alive()) {
            Files.deleteIfExists(b.resolve(ContainerRecords.STARTING)); // a start killed after it recorded "running"
            RunState seen = observe(c.id(), stored);
            if (seen.alive()) {
                return Optional.of(stored);
            }
            stored = seen;
            runtime.cleanUp(c.id(), b);
            records.layer(c).unmount();
            records.putState(c.id(), stored);
        } else if (interruptedStart(b)) {
            Optional<RunState> adopted = runtime.adopt(c.id(), b, stored);
            if (adopted.isPresent()) {
                records.putState(c.id(), adopted.get());
                Files.deleteIfExists(b.resolve(ContainerRecords.STARTING));
                return adopted;
            }
            runtime.tearDown(c.id(), b);
            records.layer(c).unmount();
            Files.deleteIfExists(b.resolve(ContainerRecords.STARTING));
        }
        if (stored.status() == ContainerStatus.EXITED && def.host().autoRemove()) {
            records.delete(c, true); // --rm takes the container's anonymous volumes with it, as Docker's does
            return Optional.empty();
        }
        return Optional.of(stored);
    }

    /** Whether a start that did not record its outcome left its marks in the bundle (read under the lock). */
    private static boolean interruptedStart(Path bundle) {
        return Files.exists(bundle.resolve(ContainerRecords.STARTING)) || Files.exists(bundle.resolve(OciRuntime.CONMON_PID_FILE));
    }

    /** {@link #reconcile} under the lock; empty when the container is gone (or was auto-removed). */
    Optional<RunState> refresh(String id) throws IOException, StrataException {
        try {
            return locked(id, this::reconcile);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The state {@code ps}, {@code inspect} and friends show, reconciled first when it is stale. They never wait
     * for a container another command is busy with (a {@code stop} may hold it for its timeout): then what the
     * processes show is reported, and the busy command writes it. Empty when the container is gone.
     */
    Optional<RunState> current(Container c, RunState stored, boolean autoRemove) throws IOException, StrataException {
        if (!needsReconcile(c, stored, autoRemove)) {
            return Optional.of(stored);
        }
        try (Store.Lease lease = records.store().writeLease()) {
            Optional<ContainerLock> lock = ContainerLock.tryAcquire(records.bundle(c.id()), c.id());
            if (lock.isEmpty()) {
                return Optional.of(observe(c.id(), stored));
            }
            try (ContainerLock held = lock.get()) {
                Optional<Container> row = records.get(c.id());
                return row.isEmpty() ? Optional.empty() : reconcile(row.get());
            }
        }
    }

    /**
     * Waits until the container is no longer running, or until {@code timeout}; returns what was observed last.
     * Polls the exit file and the processes: quickly at first, as most waits are short.
     */
    RunState awaitExit(String id, RunState running, Optional<Duration> timeout) throws IOException {
        long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        long pause = 2;
        while (true) {
            RunState seen = observe(id, running);
            if (!seen.alive() || System.nanoTime() > deadline) {
                return seen;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for container " + id);
            }
            pause = Math.min(50, pause * 2);
        }
    }

    /**
     * What conmon runs when a container exits ({@code strata container cleanup}): records the exit, unmounts, removes
     * a {@code --rm} container. Safe to run any time, any number of times; a container already gone is fine.
     */
    public void cleanup(String nameOrId) throws IOException, StrataException {
        refresh(nameOrId);
    }
}
