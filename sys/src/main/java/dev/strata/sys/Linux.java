package dev.strata.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux system calls the JDK does not offer, called through the FFM API: mounts (old and new API),
 * device nodes, numeric ownership, full mode bits, timestamps of symlinks, extended attributes, reflinks and
 * syncfs. Each failure is a {@link LinuxException} naming the call, its subject and the errno.
 */
public final class Linux {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;

    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_DIRECTORY = 0200000;
    /** d_type values of {@link #readDirectory}. */
    public static final int DT_UNKNOWN = 0;
    public static final int DT_DIR = 4;
    private static final long FICLONE = 0x40049409L;

    // New mount API (same numbers on x86_64 and aarch64: they were added to the unified syscall table).
    private static final long SYS_MOVE_MOUNT = 429;
    private static final long SYS_FSOPEN = 430;
    private static final long SYS_FSCONFIG = 431;
    private static final long SYS_FSMOUNT = 432;
    private static final int FSOPEN_CLOEXEC = 1;
    private static final int FSCONFIG_SET_FLAG = 0;
    private static final int FSCONFIG_SET_STRING = 1;
    private static final int FSCONFIG_CMD_CREATE = 6;
    private static final int FSMOUNT_CLOEXEC = 1;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;

    private static final Downcall MOUNT = Native.call("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final Downcall UMOUNT2 = Native.call("umount2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall MKNOD = Native.call("mknod", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final Downcall LCHOWN = Native.call("lchown", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall FCHMODAT = Native.call("fchmodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall UTIMENSAT = Native.call("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final Downcall LSETXATTR = Native.call("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall LGETXATTR = Native.call("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall LLISTXATTR = Native.call("llistxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall LREMOVEXATTR = Native.call("lremovexattr", JAVA_INT, ADDRESS, ADDRESS);
    private static final Downcall MKFIFO = Native.call("mkfifo", JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall OPEN = Native.variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall CLOSE = Native.call("close", JAVA_INT, JAVA_INT);
    private static final Downcall IOCTL = Native.variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final Downcall SYNCFS = Native.call("syncfs", JAVA_INT, JAVA_INT);
    private static final Downcall FSYNC = Native.call("fsync", JAVA_INT, JAVA_INT);
    private static final Downcall STATFS = Native.call("statfs", JAVA_INT, ADDRESS, ADDRESS);
    private static final Downcall READ = Native.call("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall GETEUID = Native.noErrno("geteuid", JAVA_INT);
    // fd-relative calls: a directory fd opened without following symlinks pins where names are resolved.
    private static final Downcall OPENAT = Native.variadic("openat", 3, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall MKDIRAT = Native.call("mkdirat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall MKNODAT = Native.call("mknodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final Downcall SYMLINKAT = Native.call("symlinkat", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    private static final Downcall LINKAT = Native.call("linkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall UNLINKAT = Native.call("unlinkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall FCHOWNAT = Native.call("fchownat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall FCHOWN = Native.call("fchown", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall FCHMOD = Native.call("fchmod", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall FUTIMENS = Native.call("futimens", JAVA_INT, JAVA_INT, ADDRESS);
    private static final Downcall FSETXATTR = Native.call("fsetxattr", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall WRITE = Native.call("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final Downcall READLINK = Native.call("readlink", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall LSEEK = Native.call("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final Downcall GETDENTS64 = Native.call("getdents64", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    // syscall(2) reads every argument as a long, so ints are passed widened.
    private static final Downcall SYSCALL_FSOPEN = Native.variadic("syscall", 1, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
    private static final Downcall SYSCALL_FSCONFIG =
            Native.variadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final Downcall SYSCALL_FSMOUNT =
            Native.variadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Downcall SYSCALL_MOVE_MOUNT =
            Native.variadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG);

    private Linux() {
    }

    /**
     * True when this process has effective UID 0. Read from /proc rather than through a downcall: the first
     * downcall of a process costs ~100 ms of linking, which short read-only commands should not pay.
     */
    public static boolean isRoot() {
        return EffectiveUid.VALUE == 0;
    }

    /** Read once, on first use. */
    private static final class EffectiveUid {
        static final int VALUE = readEffectiveUid();
    }

    private static int readEffectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall through to the system call
        }
        try {
            return (int) GETEUID.get().invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long makedev(int major, int minor) {
        return ((long) (major & 0xfffff000) << 32) | ((major & 0xfffL) << 8)
                | ((long) (minor & 0xffffff00) << 12) | (minor & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    public static void mount(String source, Path target, String fsType, long flags, String data) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) MOUNT.get().invokeExact(err, cString(arena, source), path(arena, target), cString(arena, fsType), flags,
                    cString(arena, data));
            check(rc, err, "mount", target + (fsType == null ? "" : " type " + fsType));
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void umount(Path target, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) UMOUNT2.get().invokeExact(err, path(arena, target), flags);
            check(rc, err, "umount2", target.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** mknod(2): {@code mode} carries the file type bits (S_IFCHR, S_IFBLK, S_IFIFO) and the permissions. */
    public static void mknod(Path path, int mode, long dev) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) MKNOD.get().invokeExact(err, path(arena, path), mode, dev);
            check(rc, err, "mknod", path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void mkfifo(Path path, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) MKFIFO.get().invokeExact(err, path(arena, path), mode);
            check(rc, err, "mkfifo", path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Numeric ownership without following a final symlink. */
    public static void lchown(Path path, int uid, int gid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) LCHOWN.get().invokeExact(err, path(arena, path), uid, gid);
            check(rc, err, "lchown", path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** All twelve permission bits, setuid, setgid and sticky included (the JDK's POSIX view drops those). */
    public static void chmod(Path path, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) FCHMODAT.get().invokeExact(err, AT_FDCWD, path(arena, path), mode & 07777, 0);
            check(rc, err, "fchmodat", path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sets access and modification time; on a symlink, the link itself. */
    public static void setTimes(Path path, long atimeSeconds, int atimeNanos, long mtimeSeconds, int mtimeNanos)
            throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment times = arena.allocate(JAVA_LONG, 4);
            times.setAtIndex(JAVA_LONG, 0, atimeSeconds);
            times.setAtIndex(JAVA_LONG, 1, atimeNanos);
            times.setAtIndex(JAVA_LONG, 2, mtimeSeconds);
            times.setAtIndex(JAVA_LONG, 3, mtimeNanos);
            int rc = (int) UTIMENSAT.get().invokeExact(err, AT_FDCWD, path(arena, path), times, AT_SYMLINK_NOFOLLOW);
            check(rc, err, "utimensat", path.toString());
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void setXattr(Path path, String name, byte[] value) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.get().invokeExact(err, path(arena, path), cString(arena, name), v, (long) value.length, 0);
            check(rc, err, "lsetxattr", path + " " + name);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The attribute's value, or empty when the file does not have it. */
    public static Optional<byte[]> getXattr(Path path, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment p = path(arena, path);
            MemorySegment n = cString(arena, name);
            long size = 256;
            while (true) {
                MemorySegment buf = arena.allocate(size);
                long rc = (long) LGETXATTR.get().invokeExact(err, p, n, buf, size);
                if (rc >= 0) {
                    return Optional.of(buf.asSlice(0, rc).toArray(JAVA_BYTE));
                }
                int errno = Native.errno(err);
                if (errno == Errno.ENODATA) {
                    return Optional.empty();
                }
                if (errno != Errno.ERANGE) {
                    throw new LinuxException("lgetxattr", path + " " + name, errno);
                }
                size *= 4;
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Names of the file's extended attributes, in the order the file system lists them. */
    public static List<String> listXattrs(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment p = path(arena, path);
            long size = 1024;
            while (true) {
                MemorySegment buf = arena.allocate(size);
                long rc = (long) LLISTXATTR.get().invokeExact(err, p, buf, size);
                if (rc >= 0) {
                    List<String> names = new ArrayList<>();
                    byte[] bytes = buf.asSlice(0, rc).toArray(JAVA_BYTE);
                    int start = 0;
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] == 0) {
                            if (i > start) {
                                names.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                            }
                            start = i + 1;
                        }
                    }
                    return names;
                }
                int errno = Native.errno(err);
                if (errno == Errno.EOPNOTSUPP) {
                    return List.of();
                }
                if (errno != Errno.ERANGE) {
                    throw new LinuxException("llistxattr", path.toString(), errno);
                }
                size *= 4;
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void removeXattr(Path path, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int rc = (int) LREMOVEXATTR.get().invokeExact(err, path(arena, path), cString(arena, name));
            if (rc != 0 && Native.errno(err) == Errno.ENODATA) {
                return;
            }
            check(rc, err, "lremovexattr", path + " " + name);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Makes {@code target} (which must not exist) share {@code source}'s data blocks (FICLONE). Returns false,
     * leaving no target behind, when the file system cannot reflink (ext4, tmpfs, or source and target on
     * different file systems); the caller copies instead.
     */
    public static boolean reflink(Path source, Path target, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int src = (int) OPEN.get().invokeExact(err, path(arena, source), O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
            check(src, err, "open", source.toString());
            try {
                int dst = (int) OPEN.get().invokeExact(err, path(arena, target), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                        mode & 07777);
                check(dst, err, "open", target.toString());
                int rc;
                int errno;
                try {
                    rc = (int) IOCTL.get().invokeExact(err, dst, FICLONE, src);
                    // read now: close(dst) below captures into the same segment and would overwrite it
                    errno = rc == 0 ? 0 : Native.errno(err);
                } finally {
                    int ignored = (int) CLOSE.get().invokeExact(err, dst);
                }
                if (rc == 0) {
                    return true;
                }
                Files.deleteIfExists(target);
                if (errno == Errno.EOPNOTSUPP || errno == Errno.EXDEV || errno == Errno.EINVAL || errno == Errno.ENOSYS) {
                    return false;
                }
                throw new LinuxException("ioctl(FICLONE)", target.toString(), errno);
            } finally {
                int ignored = (int) CLOSE.get().invokeExact(err, src);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinuxException("reflink", target + ": " + t, Errno.EIO);
        }
    }

    /** Flushes the whole file system that holds {@code path} to stable storage (one call for many files). */
    public static void syncfs(Path path) throws LinuxException {
        withFd(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY, "syncfs", SYNCFS);
    }

    /** fsync(2) of a directory, which makes renames and creations inside it durable. */
    public static void fsyncDirectory(Path dir) throws LinuxException {
        withFd(dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY, "fsync", FSYNC);
    }

    private static void withFd(Path path, int flags, String call, Downcall op) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int fd = (int) OPEN.get().invokeExact(err, path(arena, path), flags, 0);
            check(fd, err, "open", path.toString());
            try {
                int rc = (int) op.get().invokeExact(err, fd);
                check(rc, err, call, path.toString());
            } finally {
                int ignored = (int) CLOSE.get().invokeExact(err, fd);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The magic number of the file system that holds {@code path} (statfs f_type). */
    public static long fileSystemType(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment buf = arena.allocate(256, 8);
            int rc = (int) STATFS.get().invokeExact(err, path(arena, path), buf);
            check(rc, err, "statfs", path.toString());
            return buf.get(JAVA_LONG, 0) & 0xffffffffL;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Mounts a file system through the new mount API (fsopen, fsconfig, fsmount, move_mount). Parameters are
     * applied in order, so repeated keys such as overlayfs's {@code lowerdir+} work; a parameter with a null
     * value is set as a flag. Kernel messages about a rejected parameter are included in the error.
     */
    public static void mountFs(String fsType, Path target, List<Map.Entry<String, String>> parameters) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int fsfd = (int) (long) SYSCALL_FSOPEN.get().invokeExact(err, SYS_FSOPEN, cString(arena, fsType), (long) FSOPEN_CLOEXEC);
            check(fsfd, err, "fsopen", fsType);
            try {
                for (Map.Entry<String, String> p : parameters) {
                    MemorySegment key = cString(arena, p.getKey());
                    long rc = p.getValue() == null
                            ? (long) SYSCALL_FSCONFIG.get().invokeExact(err, SYS_FSCONFIG, (long) fsfd, (long) FSCONFIG_SET_FLAG, key, MemorySegment.NULL, 0L)
                            : (long) SYSCALL_FSCONFIG.get().invokeExact(err, SYS_FSCONFIG, (long) fsfd, (long) FSCONFIG_SET_STRING, key,
                                    cString(arena, p.getValue()), 0L);
                    if (rc < 0) {
                        throw withKernelLog(new LinuxException("fsconfig", fsType + " " + p.getKey() + "=" + p.getValue(),
                                Native.errno(err)), fsfd, arena);
                    }
                }
                long rc = (long) SYSCALL_FSCONFIG.get().invokeExact(err, SYS_FSCONFIG, (long) fsfd, (long) FSCONFIG_CMD_CREATE,
                        MemorySegment.NULL, MemorySegment.NULL, 0L);
                if (rc < 0) {
                    throw withKernelLog(new LinuxException("fsconfig", fsType + " create at " + target, Native.errno(err)),
                            fsfd, arena);
                }
                int mfd = (int) (long) SYSCALL_FSMOUNT.get().invokeExact(err, SYS_FSMOUNT, (long) fsfd, (long) FSMOUNT_CLOEXEC, 0L);
                check(mfd, err, "fsmount", fsType);
                try {
                    long moved = (long) SYSCALL_MOVE_MOUNT.get().invokeExact(err, SYS_MOVE_MOUNT, (long) mfd, cString(arena, ""),
                            (long) AT_FDCWD, path(arena, target), (long) MOVE_MOUNT_F_EMPTY_PATH);
                    check((int) moved, err, "move_mount", target.toString());
                } finally {
                    int ignored = (int) CLOSE.get().invokeExact(err, mfd);
                }
            } finally {
                int ignored = (int) CLOSE.get().invokeExact(err, fsfd);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Appends the messages the kernel queued on a file system context (read(2) on the fsopen fd). */
    private static LinuxException withKernelLog(LinuxException e, int fsfd, Arena arena) throws Throwable {
        MemorySegment err = arena.allocate(Native.CAPTURE);
        MemorySegment buf = arena.allocate(4096);
        StringBuilder log = new StringBuilder();
        while (true) {
            long n = (long) READ.get().invokeExact(err, fsfd, buf, 4096L);
            if (n <= 0) {
                break;
            }
            log.append(new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8).strip()).append("; ");
        }
        if (log.isEmpty()) {
            return e;
        }
        LinuxException detailed = new LinuxException(e.call(), e.getMessage() + " [kernel: " + log.substring(0, log.length() - 2)
                + "]", e.errno());
        return detailed;
    }


    // ---- fd-relative calls (used by archive extraction: every name is a single component under a pinned dir fd) ----

    /** openat(2); returns the new fd. Callers pass O_NOFOLLOW so that a final symlink is never followed. */
    public static int openAt(int dirfd, String name, int flags, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            int fd = (int) OPENAT.get().invokeExact(err, dirfd, arena.allocateFrom(name), flags | O_CLOEXEC, mode);
            check(fd, err, "openat", name);
            return fd;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** close(2), ignoring errors (there is nothing useful to do about them for read-only or already-written fds). */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.get().invokeExact(arena.allocate(Native.CAPTURE), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void mkdirAt(int dirfd, String name, int mode) throws LinuxException {
        atCall("mkdirat", name, (err, arena) -> (int) MKDIRAT.get().invokeExact(err, dirfd, arena.allocateFrom(name), mode));
    }

    /** mknodat(2): {@code mode} carries the file type bits (S_IFCHR, S_IFBLK, S_IFIFO) and the permissions. */
    public static void mknodAt(int dirfd, String name, int mode, long dev) throws LinuxException {
        atCall("mknodat", name, (err, arena) -> (int) MKNODAT.get().invokeExact(err, dirfd, arena.allocateFrom(name), mode, dev));
    }

    public static void symlinkAt(String target, int dirfd, String name) throws LinuxException {
        atCall("symlinkat", name + " -> " + target,
                (err, arena) -> (int) SYMLINKAT.get().invokeExact(err, arena.allocateFrom(target), dirfd, arena.allocateFrom(name)));
    }

    /** linkat(2) without AT_SYMLINK_FOLLOW: a symlink source is linked itself, never followed. */
    public static void linkAt(int oldDirfd, String oldName, int newDirfd, String newName) throws LinuxException {
        atCall("linkat", newName + " => " + oldName, (err, arena) -> (int) LINKAT.get().invokeExact(err, oldDirfd,
                arena.allocateFrom(oldName), newDirfd, arena.allocateFrom(newName), 0));
    }

    /** unlinkat(2); {@code flags} is 0 or {@link #AT_REMOVEDIR}. */
    public static void unlinkAt(int dirfd, String name, int flags) throws LinuxException {
        atCall("unlinkat", name, (err, arena) -> (int) UNLINKAT.get().invokeExact(err, dirfd, arena.allocateFrom(name), flags));
    }

    /** Numeric ownership of {@code name} itself (AT_SYMLINK_NOFOLLOW). */
    public static void chownAt(int dirfd, String name, int uid, int gid) throws LinuxException {
        atCall("fchownat", name, (err, arena) -> (int) FCHOWNAT.get().invokeExact(err, dirfd, arena.allocateFrom(name), uid, gid,
                AT_SYMLINK_NOFOLLOW));
    }

    /** All twelve permission bits of {@code name} itself; fails with EOPNOTSUPP on a symlink (which has no mode). */
    public static void chmodAt(int dirfd, String name, int mode) throws LinuxException {
        atCall("fchmodat", name, (err, arena) -> (int) FCHMODAT.get().invokeExact(err, dirfd, arena.allocateFrom(name), mode & 07777,
                AT_SYMLINK_NOFOLLOW));
    }

    /** Sets atime and mtime of {@code name} itself (a symlink is not followed). */
    public static void setTimesAt(int dirfd, String name, long seconds, int nanos) throws LinuxException {
        atCall("utimensat", name, (err, arena) -> (int) UTIMENSAT.get().invokeExact(err, dirfd, arena.allocateFrom(name),
                timespecs(arena, seconds, nanos), AT_SYMLINK_NOFOLLOW));
    }

    public static void fchown(int fd, int uid, int gid) throws LinuxException {
        atCall("fchown", "fd " + fd, (err, arena) -> (int) FCHOWN.get().invokeExact(err, fd, uid, gid));
    }

    /** fchmod(2) with all twelve permission bits. */
    public static void fchmod(int fd, int mode) throws LinuxException {
        atCall("fchmod", "fd " + fd, (err, arena) -> (int) FCHMOD.get().invokeExact(err, fd, mode & 07777));
    }

    /** Sets atime and mtime of an open file. */
    public static void futimens(int fd, long seconds, int nanos) throws LinuxException {
        atCall("futimens", "fd " + fd, (err, arena) -> (int) FUTIMENS.get().invokeExact(err, fd, timespecs(arena, seconds, nanos)));
    }

    public static void fsetXattr(int fd, String name, byte[] value) throws LinuxException {
        atCall("fsetxattr", "fd " + fd + " " + name, (err, arena) -> {
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
            return (int) FSETXATTR.get().invokeExact(err, fd, arena.allocateFrom(name), v, (long) value.length, 0);
        });
    }

    /** Writes all {@code length} bytes of {@code buffer} (a native segment), looping over short writes. */
    public static void writeFully(int fd, MemorySegment buffer, long length) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            long done = 0;
            while (done < length) {
                long n = (long) WRITE.get().invokeExact(err, fd, buffer.asSlice(done), length - done);
                if (n < 0) {
                    int errno = Native.errno(err);
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw new LinuxException("write", "fd " + fd, errno);
                }
                done += n;
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** read(2) into a native segment; returns the count, 0 at end of file. */
    public static long read(int fd, MemorySegment buffer, long length) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            while (true) {
                long n = (long) READ.get().invokeExact(err, fd, buffer, length);
                if (n >= 0) {
                    return n;
                }
                int errno = Native.errno(err);
                if (errno != Errno.EINTR) {
                    throw new LinuxException("read", "fd " + fd, errno);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The exact target bytes of a symlink, decoded as UTF-8 (the JDK's readSymbolicLink normalises slashes). */
    public static String readlink(Path link) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment p = path(arena, link);
            for (long size = 256;; size *= 4) {
                MemorySegment buf = arena.allocate(size);
                long n = (long) READLINK.get().invokeExact(err, p, buf, size);
                if (n < 0) {
                    throw new LinuxException("readlink", link.toString(), Native.errno(err));
                }
                if (n < size) {
                    return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** One directory entry: its name and d_type ({@link #DT_DIR}, or {@link #DT_UNKNOWN} where the fs does not say). */
    public record DirEntry(String name, int type) {
    }

    /** The entries of an open directory (getdents64) from its start, without "." and "..". */
    public static List<DirEntry> readDirectory(int dirfd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            MemorySegment buf = arena.allocate(32768, 8);
            List<DirEntry> out = new ArrayList<>();
            // Rewind: the fd may have been listed before (SEEK_SET = 0).
            if ((long) LSEEK.get().invokeExact(err, dirfd, 0L, 0) < 0) {
                throw new LinuxException("lseek", "fd " + dirfd, Native.errno(err));
            }
            while (true) {
                long n = (long) GETDENTS64.get().invokeExact(err, dirfd, buf, buf.byteSize());
                if (n < 0) {
                    throw new LinuxException("getdents64", "fd " + dirfd, Native.errno(err));
                }
                if (n == 0) {
                    return out;
                }
                // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
                long pos = 0;
                while (pos < n) {
                    int reclen = Short.toUnsignedInt(buf.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, pos + 16));
                    int type = Byte.toUnsignedInt(buf.get(JAVA_BYTE, pos + 18));
                    String name = buf.getString(pos + 19);
                    if (!name.equals(".") && !name.equals("..")) {
                        out.add(new DirEntry(name, type));
                    }
                    pos += reclen;
                }
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static MemorySegment timespecs(Arena arena, long seconds, int nanos) {
        MemorySegment times = arena.allocate(JAVA_LONG, 4);
        times.setAtIndex(JAVA_LONG, 0, seconds);
        times.setAtIndex(JAVA_LONG, 1, nanos);
        times.setAtIndex(JAVA_LONG, 2, seconds);
        times.setAtIndex(JAVA_LONG, 3, nanos);
        return times;
    }

    @FunctionalInterface
    private interface AtCall {
        int call(MemorySegment err, Arena arena) throws Throwable;
    }

    private static void atCall(String call, String subject, AtCall body) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(Native.CAPTURE);
            check(body.call(err, arena), err, call, subject);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }


    private static void check(int rc, MemorySegment err, String call, String subject) throws LinuxException {
        if (rc < 0) {
            throw new LinuxException(call, subject, Native.errno(err));
        }
    }

    private static MemorySegment path(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }

    private static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }
}
