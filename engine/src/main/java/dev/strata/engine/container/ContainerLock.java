package dev.strata.engine.container;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One container's lock, held while its runtime state changes (start, stop, kill, pause, clean-up, removal): two
 * processes never both start a container, and a clean-up never runs under a start. Across processes it is an
 * fcntl lock on {@code <bundle>/lock}, which the kernel drops when its holder dies; within a process a
 * {@link ReentrantLock} (fcntl locks do not exclude threads of one process). Take the store's write lease first.
 */
final class ContainerLock implements AutoCloseable {
    private static final Map<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;

    private ContainerLock(ReentrantLock local, FileChannel channel) {
        this.local = local;
        this.channel = channel;
    }

    static ContainerLock acquire(Path bundle, String id) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(id, k -> new ReentrantLock());
        notHeld(local, id);
        local.lock();
        try {
            FileChannel ch = open(bundle);
            try {
                ch.lock();
                return new ContainerLock(local, ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** The lock if nobody holds it now. */
    static Optional<ContainerLock> tryAcquire(Path bundle, String id) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(id, k -> new ReentrantLock());
        notHeld(local, id);
        if (!local.tryLock()) {
            return Optional.empty();
        }
        try {
            FileChannel ch = open(bundle);
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (held == null) {
                ch.close();
                local.unlock();
                return Optional.empty();
            }
            return Optional.of(new ContainerLock(local, ch));
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** Taking it twice on one thread would fail inside the JDK (overlapping file locks): say so plainly. */
    private static void notHeld(ReentrantLock local, String id) {
        if (local.isHeldByCurrentThread()) {
            throw new IllegalStateException("this thread holds the lock of container " + id + " already");
        }
    }

    private static FileChannel open(Path bundle) throws IOException {
        Files.createDirectories(bundle);
        return FileChannel.open(bundle.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close(); // drops the fcntl lock
        } finally {
            local.unlock();
        }
    }
}
