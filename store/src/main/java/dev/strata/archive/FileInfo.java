package dev.strata.archive;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/** The lstat(2) fields the writer and the change detector look at (one stat call per file). */
record FileInfo(int mode, int uid, int gid, long size, long rdev, long dev, long ino, int nlink, Instant mtime) {
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,rdev,dev,ino,nlink,lastModifiedTime";

    static FileInfo of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new FileInfo((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                (Long) a.get("rdev"), (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"),
                ((FileTime) a.get("lastModifiedTime")).toInstant());
    }

    int type() {
        return mode & Linux.S_IFMT;
    }

    boolean isDirectory() {
        return type() == Linux.S_IFDIR;
    }

    boolean isSymlink() {
        return type() == Linux.S_IFLNK;
    }

    boolean isRegular() {
        return type() == Linux.S_IFREG;
    }

    boolean isOverlayWhiteout() {
        return WhiteoutFormat.Overlay.isWhiteout(mode, rdev);
    }
}
