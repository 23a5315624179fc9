package dev.strata.driver;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a directory tree exactly: file types (devices and fifos too), ownership, all mode bits, times, xattrs
 * and hardlinks within the tree. File data is reflinked where the file system can (btrfs, xfs) and copied
 * otherwise. Used by vfs to give each layer a full copy of its parent.
 */
public final class TreeCopy {
    private static final String UNIX_ATTRS = "unix:mode,uid,gid,ino,dev,nlink,rdev,lastModifiedTime,lastAccessTime";

    private final boolean privileged = Linux.isRoot();
    private boolean tryReflink = true;
    private final Map<String, Path> linked = new HashMap<>();

    private TreeCopy() {
    }

    /** Copies the contents of {@code source} into the existing, empty directory {@code target}. */
    public static void copy(Path source, Path target) throws IOException {
        new TreeCopy().run(source, target);
    }

    private void run(Path source, Path target) throws IOException {
        Deque<Map<String, Object>> dirAttrs = new ArrayDeque<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes basic) throws IOException {
                Path to = target.resolve(source.relativize(dir).toString());
                if (!dir.equals(source)) {
                    Files.createDirectory(to);
                }
                dirAttrs.push(Files.readAttributes(dir, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Path to = target.resolve(source.relativize(dir).toString());
                // Times last: creating children changed the directory's mtime.
                finish(dir, to, dirAttrs.pop(), false);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes basic) throws IOException {
                copyEntry(file, target.resolve(source.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void copyEntry(Path from, Path to) throws IOException {
        Map<String, Object> a = Files.readAttributes(from, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode");
        int type = mode & Linux.S_IFMT;
        if (type != Linux.S_IFDIR && (int) a.get("nlink") > 1) {
            String key = a.get("dev") + ":" + a.get("ino");
            Path first = linked.putIfAbsent(key, to);
            if (first != null) {
                Files.createLink(to, first);
                return;
            }
        }
        switch (type) {
            case Linux.S_IFREG -> copyData(from, to, mode);
            case Linux.S_IFLNK -> Files.createSymbolicLink(to, Files.readSymbolicLink(from));
            case Linux.S_IFCHR, Linux.S_IFBLK -> Linux.mknod(to, mode, (long) a.get("rdev"));
            case Linux.S_IFIFO -> Linux.mkfifo(to, mode & 07777);
            case Linux.S_IFSOCK -> {
                return; // sockets belong to a running process; they are not layer content
            }
            default -> throw new IOException("cannot copy " + from + ": unknown file type " + Integer.toOctalString(type));
        }
        finish(from, to, a, type == Linux.S_IFLNK);
    }

    private void copyData(Path from, Path to, int mode) throws IOException {
        if (tryReflink) {
            if (Linux.reflink(from, to, mode & 0777)) {
                return;
            }
            tryReflink = false; // the file system cannot; don't ask again for every file
        }
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    private void finish(Path from, Path to, Map<String, Object> a, boolean symlink) throws IOException {
        if (privileged) {
            Linux.lchown(to, (int) a.get("uid"), (int) a.get("gid"));
        }
        for (String name : Linux.listXattrs(from)) {
            Optional<byte[]> value = Linux.getXattr(from, name);
            if (value.isPresent()) {
                Linux.setXattr(to, name, value.get());
            }
        }
        if (!symlink) {
            Linux.chmod(to, (int) a.get("mode"));
        }
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        FileTime atime = (FileTime) a.get("lastAccessTime");
        Linux.setTimes(to, atime.toInstant().getEpochSecond(), atime.toInstant().getNano(),
                mtime.toInstant().getEpochSecond(), mtime.toInstant().getNano());
    }
}
