package dev.strata.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store-wide reader/writer lock between write actions (shared) and the sweep (exclusive), across processes
 * and within one. Across processes it is an fcntl lock on {@code strata.lock} through the JDK (no native linking
 * at start-up, and the kernel drops it when a process dies); within a process, where fcntl locks do not exclude
 * each other, counts guarded by this object do. One instance per lock file per process.
 */
final class StoreLock {
    private static final Map<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final FileChannel channel;
    private int shared;
    private boolean exclusive;
    private FileLock processLock;

    /** What a holder closes to let go. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private StoreLock(FileChannel channel) {
        this.channel = channel;
    }

    static StoreLock of(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        try {
            return LOCKS.computeIfAbsent(key, k -> {
                try {
                    // Never closed: closing any descriptor of the file would drop this process's fcntl locks.
                    return new StoreLock(FileChannel.open(k, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Waits for a shared hold (a write action). */
    synchronized Held shared() throws IOException {
        while (exclusive) {
            awaitChange();
        }
        if (shared == 0) {
            processLock = channel.lock(0, Long.MAX_VALUE, true);
        }
        shared++;
        return this::releaseShared;
    }

    /** An exclusive hold if no action of any process holds the lock now. */
    synchronized Optional<Held> tryExclusive() throws IOException {
        if (exclusive || shared > 0) {
            return Optional.empty();
        }
        FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
        if (lock == null) {
            return Optional.empty();
        }
        processLock = lock;
        exclusive = true;
        return Optional.of(this::releaseExclusive);
    }

    /** Waits until no action of any process holds the lock, then holds it exclusively. */
    synchronized Held exclusive() throws IOException {
        while (exclusive || shared > 0) {
            awaitChange();
        }
        processLock = channel.lock(0, Long.MAX_VALUE, false);
        exclusive = true;
        return this::releaseExclusive;
    }

    private synchronized void releaseShared() throws IOException {
        if (--shared == 0) {
            processLock.release();
            processLock = null;
            notifyAll();
        }
    }

    private synchronized void releaseExclusive() throws IOException {
        exclusive = false;
        processLock.release();
        processLock = null;
        notifyAll();
    }

    private void awaitChange() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the store lock");
        }
    }
}
