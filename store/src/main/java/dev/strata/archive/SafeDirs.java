package dev.strata.archive;

import dev.strata.sys.Errno;
import dev.strata.sys.Linux;
import dev.strata.sys.LinuxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Directory fds under a root, opened one path component at a time with O_NOFOLLOW, so that no symlink is ever
 * traversed: an archive that plants a symlink and then writes "through" it gets ELOOP instead of a write outside
 * the root. Opened directories are cached (archives list files directory by directory), least recently used out.
 */
public final class SafeDirs implements AutoCloseable {
    private static final int CACHE = 256;
    private static final int DIR_FLAGS = Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW;

    /** Why a directory could not be opened: a component is a symlink, is not a directory, or does not exist. */
    static final class BadPath extends IOException {
        final String path;
        final int errno;

        BadPath(String path, int errno) {
            super(path + ": " + switch (errno) {
                case Errno.ELOOP -> "is a symlink";
                case Errno.ENOTDIR -> "is not a directory";
                case Errno.ENOENT -> "does not exist";
                default -> "errno " + errno;
            });
            this.path = path;
            this.errno = errno;
        }
    }

    private final int root;
    private final LinkedHashMap<String, Integer> cache = new LinkedHashMap<>(CACHE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            if (size() > CACHE) {
                Linux.close(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    public SafeDirs(Path root) throws LinuxException {
        // The root itself is trusted (the caller made it); everything below it is not.
        this.root = Linux.openAt(Linux.AT_FDCWD, root.toAbsolutePath().toString(), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
    }

    int root() {
        return root;
    }

    /**
     * The fd of directory {@code rel} ("" for the root; components separated by '/', already cleaned). With
     * {@code create}, missing directories are made with mode 0755.
     */
    int dir(String rel, boolean create) throws IOException {
        if (rel.isEmpty()) {
            return root;
        }
        Integer cached = cache.get(rel);
        if (cached != null) {
            return cached;
        }
        int slash = rel.lastIndexOf('/');
        int parent = dir(slash < 0 ? "" : rel.substring(0, slash), create);
        String name = rel.substring(slash + 1);
        int fd;
        try {
            fd = Linux.openAt(parent, name, DIR_FLAGS, 0);
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOENT && create) {
                try {
                    Linux.mkdirAt(parent, name, 0755);
                } catch (LinuxException raced) {
                    if (raced.errno() != Errno.EEXIST) {
                        throw raced;
                    }
                }
                fd = openOrExplain(parent, name, rel);
            } else {
                throw explain(parent, name, rel, e);
            }
        }
        cache.put(rel, fd);
        return fd;
    }

    private int openOrExplain(int parent, String name, String rel) throws IOException {
        try {
            return Linux.openAt(parent, name, DIR_FLAGS, 0);
        } catch (LinuxException e) {
            throw explain(parent, name, rel, e);
        }
    }

    private static IOException explain(int parent, String name, String rel, LinuxException e) {
        if (e.errno() == Errno.ENOTDIR && isSymlink(parent, name)) {
            return new BadPath(rel, Errno.ELOOP); // O_DIRECTORY|O_NOFOLLOW on a symlink says ENOTDIR
        }
        if (e.errno() == Errno.ELOOP || e.errno() == Errno.ENOTDIR || e.errno() == Errno.ENOENT) {
            return new BadPath(rel, e.errno());
        }
        return e;
    }

    /** lstat of {@code name} in the pinned directory (the /proc magic link is the dir itself; name is not followed). */
    private static boolean isSymlink(int parent, String name) {
        return Files.isSymbolicLink(Path.of("/proc/self/fd/" + parent, name));
    }

    /** Drops (and closes) cached fds of {@code rel} and everything below it, before it is removed or replaced. */
    void forget(String rel) {
        String prefix = rel + "/";
        for (Iterator<Map.Entry<String, Integer>> it = cache.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Integer> e = it.next();
            if (rel.isEmpty() || e.getKey().equals(rel) || e.getKey().startsWith(prefix)) {
                Linux.close(e.getValue());
                it.remove();
            }
        }
    }

    /** Opens {@code rel} (a file) for reading without following any symlink on the way. */
    public int openFile(String rel) throws IOException {
        int slash = rel.lastIndexOf('/');
        int parent = dir(slash < 0 ? "" : rel.substring(0, slash), false);
        String name = rel.substring(slash + 1);
        try {
            return Linux.openAt(parent, name, Linux.O_RDONLY | Linux.O_NOFOLLOW, 0);
        } catch (LinuxException e) {
            throw explain(parent, name, rel, e);
        }
    }

    @Override
    public void close() {
        forget("");
        Linux.close(root);
    }
}
