package dev.strata.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Closing a file descriptor, and writing to a FIFO only if someone reads it (conmon's control FIFO). */
public final class Fds {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 02000000;

    private static final Downcall CLOSE = Native.call("close", JAVA_INT, JAVA_INT);
    private static final Downcall OPEN = Native.variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall WRITE = Native.call("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);

    private Fds() {
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.get().invokeExact(arena.allocate(Native.CAPTURE), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Writes {@code data} to the FIFO at {@code path} if some process has it open for reading; false if none has
     * (a plain open would wait for a reader forever, for instance for a container monitor that is gone).
     */
    public static boolean writeFifo(Path path, byte[] data) throws LinuxException {
        final int oNonblock = 04000;
        final int enxio = 6;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int fd = (int) OPEN.get().invokeExact(err, arena.allocateFrom(path.toString()), O_WRONLY | oNonblock | O_CLOEXEC, 0);
            if (fd < 0) {
                int errno = Native.errno(err);
                if (errno == enxio || errno == Errno.ENOENT) {
                    return false;
                }
                throw new LinuxException("open", path.toString(), errno);
            }
            try {
                MemorySegment buf = arena.allocate(Math.max(1, data.length));
                MemorySegment.copy(data, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
                long n = (long) WRITE.get().invokeExact(err, fd, buf, (long) data.length);
                if (n < 0) {
                    throw new LinuxException("write", path.toString(), Native.errno(err));
                }
                return true;
            } finally {
                close(fd);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

}
