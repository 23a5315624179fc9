package dev.strata.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An flock(2) lock on a file. Unlike the JDK's FileLock (fcntl, per process), each Flock opens its own file
 * description, so two Flocks conflict even inside one process, exactly as between processes; the kernel drops
 * the lock when the process dies, so a killed Strata never leaves a store locked.
 */
public final class Flock implements AutoCloseable {
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 02000000;

    private static final Downcall OPEN = Native.variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall FLOCK = Native.call("flock", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall CLOSE = Native.noErrno("close", JAVA_INT, JAVA_INT);

    private final Path path;
    private int fd;

    private Flock(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Waits for a shared lock. */
    public static Flock shared(Path path) throws LinuxException {
        return acquire(path, LOCK_SH).orElseThrow();
    }

    /** Waits for an exclusive lock. */
    public static Flock exclusive(Path path) throws LinuxException {
        return acquire(path, LOCK_EX).orElseThrow();
    }

    /** An exclusive lock if nobody holds any lock on the file now. */
    public static Optional<Flock> tryExclusive(Path path) throws LinuxException {
        return acquire(path, LOCK_EX | LOCK_NB);
    }

    private static Optional<Flock> acquire(Path path, int op) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int fd = (int) OPEN.get().invokeExact(err, arena.allocateFrom(path.toString()), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0) {
                throw new LinuxException("open", path.toString(), Native.errno(err));
            }
            while (true) {
                int rc = (int) FLOCK.get().invokeExact(err, fd, op);
                if (rc == 0) {
                    return Optional.of(new Flock(path, fd));
                }
                int errno = Native.errno(err);
                if (errno == Errno.EINTR) {
                    continue;
                }
                int ignored = (int) CLOSE.get().invokeExact(fd);
                if (errno == Errno.EAGAIN) {
                    return Optional.empty();
                }
                throw new LinuxException("flock", path.toString(), errno);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            try {
                int ignored = (int) CLOSE.get().invokeExact(fd);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            fd = -1;
        }
    }
}
