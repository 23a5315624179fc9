package dev.strata.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starting a program with extra open file descriptors, which {@link ProcessBuilder} cannot do: conmon takes its
 * sync pipe as fd 3, the way Podman hands it over. posix_spawn with file actions maps the fds, closes every
 * other descriptor of the JVM in the child (closefrom, glibc 2.34), and puts the child in its own process group
 * so that a Ctrl-C meant for the CLI does not reach the container's monitor.
 */
public final class Processes {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_CLOEXEC = 02000000;
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Room for glibc's posix_spawn_file_actions_t (80 bytes) and posix_spawnattr_t (336 bytes), with margin. */
    private static final long OPAQUE = 1024;
    private static final short POLLIN = 1;

    private static final Downcall PIPE2 = Native.call("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall CLOSE = Native.call("close", JAVA_INT, JAVA_INT);
    private static final Downcall OPEN = Native.variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall WRITE = Native.call("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall READ = Native.call("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall POLL = Native.call("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall WAITPID = Native.call("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall KILL = Native.call("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall SPAWN = Native.plain("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final Downcall FA_INIT = Native.plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private static final Downcall FA_DESTROY = Native.plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private static final Downcall FA_DUP2 = Native.plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall FA_OPEN =
            Native.plain("posix_spawn_file_actions_addopen", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall FA_CHDIR = Native.plain("posix_spawn_file_actions_addchdir_np", JAVA_INT, ADDRESS, ADDRESS);
    private static final Downcall FA_CLOSEFROM = Native.plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall ATTR_INIT = Native.plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private static final Downcall ATTR_DESTROY = Native.plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private static final Downcall ATTR_FLAGS = Native.plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private static final Downcall ATTR_PGROUP = Native.plain("posix_spawnattr_setpgroup", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall ATTR_SIGMASK = Native.plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private static final Downcall ATTR_SIGDEFAULT = Native.plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    private static final Downcall SIGEMPTYSET = Native.plain("sigemptyset", JAVA_INT, ADDRESS);
    private static final Downcall SIGFILLSET = Native.plain("sigfillset", JAVA_INT, ADDRESS);

    private Processes() {
    }

    /** A pipe whose ends are closed on exec: {@code [read end, write end]}. */
    public static int[] pipe() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int rc = (int) PIPE2.get().invokeExact(err, fds, O_CLOEXEC);
            if (rc < 0) {
                throw new LinuxException("pipe2", "", Native.errno(err));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.get().invokeExact(arena.allocate(Native.CAPTURE), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Starts {@code argv} (argv[0] an absolute path) with environment {@code env}, in directory {@code cwd}, in a
     * new process group. Its stdin and stdout are {@code /dev/null}; its stderr goes to {@code stderr} (created or
     * truncated); {@code extraFds[i]} becomes its fd {@code 3 + i}; nothing else of this process stays open in it.
     * Returns the child's PID; reap it with {@link #waitFor}.
     */
    public static long spawn(List<String> argv, Map<String, String> env, Path cwd, Path stderr, int... extraFds) throws LinuxException {
        for (int fd : extraFds) {
            if (fd < 3 + extraFds.length) {
                throw new IllegalArgumentException("fd " + fd + " would be overwritten while mapping the extra fds");
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(OPAQUE, 16);
            MemorySegment attr = arena.allocate(OPAQUE, 16);
            check((int) FA_INIT.get().invokeExact(actions), "posix_spawn_file_actions_init", argv.getFirst());
            check((int) ATTR_INIT.get().invokeExact(attr), "posix_spawnattr_init", argv.getFirst());
            try {
                MemorySegment devNull = arena.allocateFrom("/dev/null");
                check((int) FA_OPEN.get().invokeExact(actions, 0, devNull, O_RDONLY, 0), "addopen", "/dev/null");
                check((int) FA_OPEN.get().invokeExact(actions, 1, devNull, O_WRONLY, 0), "addopen", "/dev/null");
                check((int) FA_OPEN.get().invokeExact(actions, 2, arena.allocateFrom(stderr.toString()), O_WRONLY | O_CREAT | O_TRUNC, 0600),
                        "addopen", stderr.toString());
                for (int i = 0; i < extraFds.length; i++) {
                    check((int) FA_DUP2.get().invokeExact(actions, extraFds[i], 3 + i), "adddup2", "fd " + extraFds[i]);
                }
                check((int) FA_CLOSEFROM.get().invokeExact(actions, 3 + extraFds.length), "addclosefrom_np", argv.getFirst());
                check((int) FA_CHDIR.get().invokeExact(actions, arena.allocateFrom(cwd.toString())), "addchdir_np", cwd.toString());
                // The JVM blocks and handles signals its own way: the child starts with none blocked, all default.
                MemorySegment empty = arena.allocate(128, 8);
                MemorySegment all = arena.allocate(128, 8);
                check((int) SIGEMPTYSET.get().invokeExact(empty), "sigemptyset", "");
                check((int) SIGFILLSET.get().invokeExact(all), "sigfillset", "");
                check((int) ATTR_SIGMASK.get().invokeExact(attr, empty), "setsigmask", "");
                check((int) ATTR_SIGDEFAULT.get().invokeExact(attr, all), "setsigdefault", "");
                check((int) ATTR_PGROUP.get().invokeExact(attr, 0), "setpgroup", "");
                check((int) ATTR_FLAGS.get().invokeExact(attr, (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)),
                        "setflags", "");
                MemorySegment pid = arena.allocate(JAVA_INT);
                int rc = (int) SPAWN.get().invokeExact(pid, arena.allocateFrom(argv.getFirst()), actions, attr, strings(arena, argv),
                        strings(arena, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
                check(rc, "posix_spawn", argv.getFirst());
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) FA_DESTROY.get().invokeExact(actions);
                ignored = (int) ATTR_DESTROY.get().invokeExact(attr);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Waits for a child of this process to end; returns its exit code, or 128 + the signal that killed it. */
    public static int waitFor(long pid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int rc = (int) WAITPID.get().invokeExact(err, (int) pid, status, 0);
                if (rc >= 0) {
                    int s = status.get(JAVA_INT, 0);
                    return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
                }
                int errno = Native.errno(err);
                if (errno != Errno.EINTR) {
                    throw new LinuxException("waitpid", Long.toString(pid), errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sends {@code signal} to {@code pid}; false if there is no such process. */
    public static boolean kill(long pid, int signal) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) KILL.get().invokeExact(err, (int) pid, signal);
            if (rc == 0) {
                return true;
            }
            int errno = Native.errno(err);
            if (errno == Errno.ESRCH) {
                return false;
            }
            throw new LinuxException("kill", pid + " signal " + signal, errno);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Reads what is available from {@code fd} into {@code buffer}, waiting at most {@code timeoutMillis} for
     * something to arrive. Returns the count, 0 at end of file, or -1 on time-out.
     */
    public static int read(int fd, byte[] buffer, long timeoutMillis) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment pollfd = arena.allocate(8, 4);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            while (true) {
                pollfd.set(JAVA_INT, 0, fd);
                pollfd.set(JAVA_SHORT, 4, POLLIN);
                pollfd.set(JAVA_SHORT, 6, (short) 0);
                int wait = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000));
                int rc = (int) POLL.get().invokeExact(err, pollfd, 1L, wait);
                if (rc < 0) {
                    if (Native.errno(err) == Errno.EINTR) {
                        continue;
                    }
                    throw new LinuxException("poll", "fd " + fd, Native.errno(err));
                }
                if (rc == 0) {
                    return -1;
                }
                MemorySegment buf = arena.allocate(buffer.length);
                long n = (long) READ.get().invokeExact(err, fd, buf, (long) buffer.length);
                if (n < 0) {
                    if (Native.errno(err) == Errno.EINTR) {
                        continue;
                    }
                    throw new LinuxException("read", "fd " + fd, Native.errno(err));
                }
                MemorySegment.copy(buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) n);
                return (int) n;
            }
        } catch (LinuxException e) {
            throw e;
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

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i), StandardCharsets.UTF_8));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(int rc, String call, String subject) throws LinuxException {
        if (rc != 0) {
            throw new LinuxException(call, subject, rc);
        }
    }
}
