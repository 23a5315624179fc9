package dev.strata.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the harness started or mounted, undone in reverse order: at the end of a run (try/finally)
 * and from a JVM shutdown hook (Ctrl-C, SIGTERM), whichever comes first. Each action runs once.
 */
final class Cleanup {
    /** One undo step; must be safe to run after the resource is already gone. */
    @FunctionalInterface
    interface Undo {
        void run() throws Exception;
    }

    private final Deque<Entry> stack = new ArrayDeque<>();
    /** Long-running children (dockerd, the registry) that their own undo step stops gracefully. */
    private static final Set<Long> DAEMONS = ConcurrentHashMap.newKeySet();
    private static volatile boolean shuttingDown;
    private static final String HOOK_THREAD = "strata-bench-cleanup";

    static void daemonStarted(long pid) {
        DAEMONS.add(pid);
    }

    static void daemonStopped(long pid) {
        DAEMONS.remove(pid);
    }

    /**
     * Throws once the JVM is shutting down, so the main thread starts nothing new (a store, a daemon, a timed
     * command) while the hook cleans up. Undo steps never call it.
     */
    static void checkNotShuttingDown() throws BenchException {
        if (shuttingDown && !Thread.currentThread().getName().equals(HOOK_THREAD)) {
            throw new BenchException("interrupted: shutting down");
        }
    }

    private record Entry(String what, Undo undo) {
    }

    /** A handle that runs its undo step now and removes it from the stack. */
    final class Registration implements AutoCloseable {
        private final Entry entry;

        private Registration(Entry entry) {
            this.entry = entry;
        }

        @Override
        public void close() {
            boolean mine;
            synchronized (Cleanup.this) {
                mine = stack.remove(entry);
            }
            if (mine) {
                runOne(entry);
            }
        }
    }

    synchronized Registration push(String what, Undo undo) {
        Entry e = new Entry(what, undo);
        stack.push(e);
        return new Registration(e);
    }

    /** Runs every pending undo step, newest first. */
    void closeAll() {
        while (true) {
            Entry e;
            synchronized (this) {
                e = stack.poll();
            }
            if (e == null) {
                return;
            }
            runOne(e);
        }
    }

    /**
     * On Ctrl-C or SIGTERM: stop the main thread from starting anything, end the commands it is running
     * (children of this JVM other than the daemons, by PID), then undo everything; twice, for anything the
     * main thread started in between.
     */
    Thread shutdownHook() {
        return Thread.ofPlatform().name(HOOK_THREAD).unstarted(() -> {
            shuttingDown = true;
            for (int round = 0; round < 2; round++) {
                endRunningCommands();
                closeAll();
            }
        });
    }

    private static void endRunningCommands() {
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            if (DAEMONS.contains(child.pid())) {
                continue;
            }
            List<ProcessHandle> below = child.descendants().toList();
            Exec.terminate(child, Duration.ofSeconds(5));
            below.forEach(d -> Exec.terminate(d, Duration.ofSeconds(5)));
        }
    }

    private static void runOne(Entry e) {
        try {
            e.undo().run();
        } catch (Exception ex) {
            System.err.println("cleanup: " + e.what() + " failed: " + ex.getMessage());
        }
    }
}
