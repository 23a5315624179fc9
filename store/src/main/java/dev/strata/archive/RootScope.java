package dev.strata.archive;

import dev.strata.sys.Errno;
import dev.strata.sys.Linux;
import dev.strata.sys.LinuxException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A directory tree seen the way a process chrooted into it sees it, such as a container's root file system: a
 * symlink is followed inside the tree, an absolute symlink target starts again at the tree's root, and ".." stops
 * at the root. Nothing outside the tree is ever looked at.
 *
 * <p>Resolution walks one component at a time from directory fds opened with O_NOFOLLOW, and
 * {@link #openDirectory} hands out such an fd, so that what is read or written afterwards (through
 * {@link Dir#path()}) is pinned inside the tree even if a directory on the way is swapped for a symlink later.
 */
public final class RootScope implements AutoCloseable {
    /** Linux's limit on symlinks followed in one path resolution. */
    public static final int MAX_LINKS = 40;
    private static final int DIR_FLAGS = Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW;

    private final int root;

    private RootScope(int root) {
        this.root = root;
    }

    /** The tree under {@code root} (which itself is trusted: it is opened following symlinks). */
    public static RootScope open(Path root) throws IOException {
        return new RootScope(Linux.openAt(Linux.AT_FDCWD, root.toAbsolutePath().toString(), Linux.O_RDONLY | Linux.O_DIRECTORY, 0));
    }

    /**
     * Where a path leads.
     *
     * @param rel  the path relative to the root ("" for the root itself), with no symlink among its directories;
     *             only the final component may be a symlink, and only when it was not to be followed
     * @param type the final component's file type ({@link Linux#S_IFDIR}, {@link Linux#S_IFLNK}, ...), 0 when
     *             it does not exist (its parent does)
     */
    public record Resolved(String rel, int type) {
        public boolean exists() {
            return type != 0;
        }

        public boolean isDirectory() {
            return type == Linux.S_IFDIR;
        }

        public boolean isSymlink() {
            return type == Linux.S_IFLNK;
        }

        public boolean isRegularFile() {
            return type == Linux.S_IFREG;
        }

        /** The directory that holds the final component ("" for the root, and for the root itself). */
        public String parent() {
            int slash = rel.lastIndexOf('/');
            return slash < 0 ? "" : rel.substring(0, slash);
        }

        /** The final component ("" for the root). */
        public String name() {
            return rel.substring(rel.lastIndexOf('/') + 1);
        }

        /** The path as the tree itself sees it: "/" + rel. */
        public String absolute() {
            return "/" + rel;
        }
    }

    /**
     * Resolves {@code path} inside the tree; absolute and relative paths both start at the root. Symlinks among
     * the directories are always followed; a symlink in the final component only when {@code followLast}. A
     * missing final component is fine ({@link Resolved#exists()} is false).
     *
     * @throws NoSuchFileException   a directory on the way does not exist (the message is its path in the tree)
     * @throws NotDirectoryException a component on the way is not a directory
     * @throws FileSystemException   more than {@link #MAX_LINKS} symlinks on the way
     */
    public Resolved resolve(String path, boolean followLast) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components(path));
        List<String> names = new ArrayList<>();
        List<Integer> fds = new ArrayList<>(); // fds.get(i) is the directory names[0..i]
        int links = 0;
        try {
            while (!todo.isEmpty()) {
                String name = todo.removeFirst();
                if (name.equals("..")) {
                    if (!names.isEmpty()) {
                        names.removeLast();
                        Linux.close(fds.removeLast());
                    }
                    continue;
                }
                int dir = fds.isEmpty() ? root : fds.getLast();
                boolean last = todo.isEmpty();
                FileInfo info = lstat(dir, name);
                String here = join(names, name);
                if (info == null) {
                    if (last) {
                        return new Resolved(here, 0);
                    }
                    throw new NoSuchFileException("/" + here);
                }
                if (info.isSymlink() && (!last || followLast)) {
                    if (++links > MAX_LINKS) {
                        throw new FileSystemException("/" + here, null, "too many levels of symbolic links");
                    }
                    String target = Linux.readlink(Path.of("/proc/self/fd/" + dir, name));
                    if (target.isEmpty()) {
                        throw new NoSuchFileException("/" + here, null, "empty symlink");
                    }
                    List<String> parts = components(target);
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.addFirst(parts.get(i));
                    }
                    if (target.startsWith("/")) {
                        names.clear();
                        fds.forEach(Linux::close);
                        fds.clear();
                    }
                    continue;
                }
                if (last) {
                    return new Resolved(here, info.type());
                }
                if (!info.isDirectory()) {
                    throw new NotDirectoryException("/" + here);
                }
                try {
                    fds.add(Linux.openAt(dir, name, DIR_FLAGS, 0));
                } catch (LinuxException e) {
                    throw raced(here, e);
                }
                names.add(name);
            }
            return new Resolved(String.join("/", names), Linux.S_IFDIR); // the root, or a path that ended in ".."
        } finally {
            fds.forEach(Linux::close);
        }
    }

    /** An open directory of the tree; {@link #path()} names it for as long as it is open. */
    public static final class Dir implements AutoCloseable {
        private final int fd;

        private Dir(int fd) {
            this.fd = fd;
        }

        /** {@code /proc/self/fd/<fd>}: the directory itself, whatever happens to the names that led to it. */
        public Path path() {
            return Path.of("/proc/self/fd/" + fd);
        }

        @Override
        public void close() {
            Linux.close(fd);
        }
    }

    /**
     * Opens directory {@code rel} (as {@link #resolve} returns it) without following any symlink: a symlink or a
     * non-directory on the way is an error, never a way out of the tree.
     */
    public Dir openDirectory(String rel) throws IOException {
        int fd = Linux.openAt(root, ".", DIR_FLAGS, 0);
        String walked = "";
        for (String name : components(rel)) {
            if (name.equals("..")) {
                Linux.close(fd);
                throw new IllegalArgumentException("not a resolved path: " + rel);
            }
            walked = walked.isEmpty() ? name : walked + "/" + name;
            try {
                int next = Linux.openAt(fd, name, DIR_FLAGS, 0);
                Linux.close(fd);
                fd = next;
            } catch (LinuxException e) {
                Linux.close(fd);
                throw raced(walked, e);
            }
        }
        return new Dir(fd);
    }

    private static IOException raced(String rel, LinuxException e) {
        return switch (e.errno()) {
            case Errno.ENOENT -> new NoSuchFileException("/" + rel);
            case Errno.ENOTDIR, Errno.ELOOP -> new NotDirectoryException("/" + rel);
            default -> e;
        };
    }

    /** lstat of {@code name} in directory fd {@code dir}; null when it does not exist. */
    private static FileInfo lstat(int dir, String name) throws IOException {
        try {
            return FileInfo.of(Path.of("/proc/self/fd/" + dir, name));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String join(List<String> names, String name) {
        return names.isEmpty() ? name : String.join("/", names) + "/" + name;
    }

    /** The non-empty components other than "." of a path. */
    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                out.add(part);
            }
        }
        return out;
    }

    @Override
    public void close() {
        Linux.close(root);
    }
}
