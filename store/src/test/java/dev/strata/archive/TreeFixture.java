package dev.strata.archive;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A small rootfs-like tree with every kind of entry a layer can hold, and a way to describe a tree for comparison. */
final class TreeFixture {
    static final String LONG_NAME = "d".repeat(60) + "/" + "e".repeat(60) + "/long-file-name-" + "x".repeat(40);
    static final String VERY_LONG_NAME = ("segment-" + "y".repeat(50) + "/").repeat(5) + "file-" + "z".repeat(80);

    private TreeFixture() {
    }

    static void populate(Path root) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "strata\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.createDirectories(root.resolve("usr/bin"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        Files.write(root.resolve("usr/bin/big"), big);
        Files.writeString(root.resolve("usr/bin/su"), "#!/bin/sh\n");
        Linux.chmod(root.resolve("usr/bin/su"), 04755);
        Files.writeString(root.resolve("usr/bin/wall"), "w");
        Linux.lchown(root.resolve("usr/bin/wall"), 0, 5); // before chmod: chown clears setgid
        Linux.chmod(root.resolve("usr/bin/wall"), 02755);
        Files.createDirectories(root.resolve("tmp"));
        Linux.chmod(root.resolve("tmp"), 01777);
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("etc/localtime"), Path.of("/usr/share/zoneinfo/UTC"));
        Files.createLink(root.resolve("usr/bin/su-hardlink"), root.resolve("usr/bin/su"));
        Files.createDirectories(root.resolve("home/user"));
        Files.writeString(root.resolve("home/user/.profile"), "export PS1='$ '\n");
        Linux.lchown(root.resolve("home/user/.profile"), 1000, 1000);
        Linux.lchown(root.resolve("home/user"), 1000, 1000);
        Files.createDirectories(root.resolve("dev"));
        Linux.mknod(root.resolve("dev/null"), Linux.S_IFCHR | 0666, Linux.makedev(1, 3));
        Linux.mknod(root.resolve("dev/sda"), Linux.S_IFBLK | 0660, Linux.makedev(8, 0));
        Linux.mkfifo(root.resolve("dev/initctl"), 0600);
        Files.writeString(root.resolve("empty"), "");
        Path longFile = root.resolve(LONG_NAME);
        Files.createDirectories(longFile.getParent());
        Files.writeString(longFile, "long");
        Path veryLong = root.resolve(VERY_LONG_NAME);
        Files.createDirectories(veryLong.getParent());
        Files.writeString(veryLong, "very long");
        Linux.setXattr(root.resolve("etc/hostname"), "user.comment", "hello".getBytes(StandardCharsets.UTF_8));
        Linux.setXattr(root.resolve("usr/bin/su"), "security.capability", capability());
        Files.setLastModifiedTime(root.resolve("etc/passwd"), FileTime.from(Instant.ofEpochSecond(1_600_000_000L)));
        Files.setLastModifiedTime(root.resolve("etc"), FileTime.from(Instant.ofEpochSecond(1_500_000_000L)));
    }

    /** A VFS_CAP_REVISION_2 value granting cap_net_raw (what ping carries). */
    static byte[] capability() {
        // magic_etc 0x02000000 (little-endian), permitted bit 13 (CAP_NET_RAW), the rest zero
        return new byte[] {0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    /**
     * One line per path: type, mode, owner, size, whole-second mtime (dirs included), link target, device number,
     * xattrs and a content hash. Equal descriptions mean equal trees as far as a layer is concerned.
     */
    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                boolean dir = (mode & Linux.S_IFMT) == Linux.S_IFDIR;
                boolean reg = (mode & Linux.S_IFMT) == Linux.S_IFREG;
                boolean link = (mode & Linux.S_IFMT) == Linux.S_IFLNK;
                StringBuilder b = new StringBuilder();
                b.append(Integer.toOctalString(mode)).append(' ').append(a.get("uid")).append(':').append(a.get("gid"));
                if (!dir) {
                    b.append(" size=").append(a.get("size"));
                }
                if (!link) {
                    b.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
                }
                b.append(" rdev=").append(a.get("rdev"));
                if (link) {
                    b.append(" -> ").append(Linux.readlink(p));
                }
                if (reg) {
                    b.append(" sha=").append(dev.strata.digest.Digester.of(Files.readAllBytes(p)).shortHex());
                }
                for (Map.Entry<String, byte[]> x : Changes.xattrs(p).entrySet()) {
                    b.append(" xattr:").append(x.getKey()).append('=').append(java.util.HexFormat.of().formatHex(x.getValue()));
                }
                out.put(root.relativize(p).toString(), b.toString());
            }
        }
        return out;
    }
}
