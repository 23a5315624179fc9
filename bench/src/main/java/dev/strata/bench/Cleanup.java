package dev.strata.bench;

import java.util.ArrayDeque;
import java.util.Deque;

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

    Thread shutdownHook() {
        return Thread.ofPlatform().name("strata-bench-cleanup").unstarted(this::closeAll);
    }

    private static void runOne(Entry e) {
        try {
            e.undo().run();
        } catch (Exception ex) {
            System.err.println("cleanup: " + e.what() + " failed: " + ex.getMessage());
        }
    }
}
