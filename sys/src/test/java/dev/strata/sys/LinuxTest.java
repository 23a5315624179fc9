package dev.strata.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real system calls on a real file system; these tests run as root (CI does). */
class LinuxTest {
    @TempDir
    Path dir;

    @Test
    void runsAsRoot() {
        assertThat(Linux.isRoot()).as("Strata's tests run as root: mounts and device nodes need it").isTrue();
    }

    @Test
    void makedevRoundTrips() {
        long dev = Linux.makedev(259, 70000);
        assertThat(Linux.major(dev)).isEqualTo(259);
        assertThat(Linux.minor(dev)).isEqualTo(70000);
        assertThat(Linux.makedev(1, 3)).isEqualTo(0x103);
    }

    @Test
    void createsDeviceNodesAndFifos() throws Exception {
        Path whiteout = dir.resolve("wh");
        Linux.mknod(whiteout, Linux.S_IFCHR | 0, Linux.makedev(0, 0));
        assertThat(Files.readAttributes(whiteout, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS))
                .containsEntry("rdev", 0L)
                .hasEntrySatisfying("mode", m -> assertThat((int) m & Linux.S_IFMT).isEqualTo(Linux.S_IFCHR));
        Path nul = dir.resolve("null");
        Linux.mknod(nul, Linux.S_IFCHR | 0666, Linux.makedev(1, 3));
        assertThat((long) Files.getAttribute(nul, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(Linux.makedev(1, 3));
        Path fifo = dir.resolve("fifo");
        Linux.mkfifo(fifo, 0640);
        assertThat(Files.readAttributes(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS).get("mode"))
                .satisfies(m -> assertThat((int) m & Linux.S_IFMT).isEqualTo(Linux.S_IFIFO));
        assertThatThrownBy(() -> Linux.mknod(nul, Linux.S_IFCHR, 0))
                .isInstanceOf(LinuxException.class)
                .hasMessageContaining("mknod")
                .hasMessageContaining("EEXIST")
                .hasMessageContaining(nul.toString());
    }

    @Test
    void ownershipModeAndTimesApplyToTheLinkItself() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), file.getFileName());
        Linux.lchown(link, 1234, 5678);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1234);
        assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
        Linux.chmod(file, 04755);
        assertThat((int) Files.getAttribute(file, "unix:mode") & 07777).isEqualTo(04755);
        Linux.setTimes(link, 1000, 0, 1_500_000_000L, 123_000_000);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileTime.from(java.time.Instant.ofEpochSecond(1_500_000_000L, 123_000_000)));
    }

    @Test
    void extendedAttributes() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(Linux.getXattr(file, "user.strata")).isEmpty();
        Linux.setXattr(file, "user.strata", "value".getBytes(StandardCharsets.UTF_8));
        Linux.setXattr(file, "trusted.overlay.opaque", new byte[] {'y'});
        assertThat(Linux.getXattr(file, "user.strata")).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("value"));
        assertThat(Linux.listXattrs(file)).contains("user.strata", "trusted.overlay.opaque");
        Linux.removeXattr(file, "user.strata");
        assertThat(Linux.listXattrs(file)).doesNotContain("user.strata");
        byte[] big = new byte[3000];
        Linux.setXattr(file, "user.big", big);
        assertThat(Linux.getXattr(file, "user.big")).hasValueSatisfying(v -> assertThat(v).hasSize(3000));
    }

    @Test
    void reflinkReportsUnsupportedFileSystemsWithoutLeavingATarget() throws Exception {
        Path source = Files.writeString(dir.resolve("src"), "data");
        Path target = dir.resolve("dst");
        boolean cloned = Linux.reflink(source, target, 0644);
        if (cloned) {
            assertThat(target).hasContent("data");
        } else {
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void syncfsAndStatfs() throws Exception {
        Linux.syncfs(dir);
        Linux.fsyncDirectory(dir);
        assertThat(Linux.fileSystemType(Path.of("/proc"))).isEqualTo(0x9fa0L);
    }

    @Test
    void mountsTmpfsAndOverlayThroughBothApis() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        Linux.mount("tmpfs", mnt, "tmpfs", 0, "size=1m");
        try {
            assertThat(Linux.fileSystemType(mnt)).isEqualTo(0x01021994L);
            for (String d : List.of("l1", "l2", "upper", "work", "merged")) {
                Files.createDirectory(mnt.resolve(d));
            }
            Files.writeString(mnt.resolve("l1/a"), "from l1");
            Files.writeString(mnt.resolve("l2/b"), "from l2");
            Path merged = mnt.resolve("merged");
            Linux.mountFs("overlay", merged, List.of(
                    Map.entry("lowerdir+", mnt.resolve("l1").toString()),
                    Map.entry("lowerdir+", mnt.resolve("l2").toString()),
                    Map.entry("upperdir", mnt.resolve("upper").toString()),
                    Map.entry("workdir", mnt.resolve("work").toString())));
            try {
                assertThat(merged.resolve("a")).hasContent("from l1");
                assertThat(merged.resolve("b")).hasContent("from l2");
                Files.writeString(merged.resolve("a"), "changed");
                assertThat(mnt.resolve("upper/a")).hasContent("changed");
                assertThat(mnt.resolve("l1/a")).hasContent("from l1");
            } finally {
                Linux.umount(merged, 0);
            }
            assertThatThrownBy(() -> Linux.mountFs("overlay", merged, List.of(Map.entry("lowerdir+", "/does/not/exist"))))
                    .isInstanceOf(LinuxException.class)
                    .hasMessageContaining("lowerdir+");
        } finally {
            Linux.umount(mnt, Linux.MNT_DETACH);
        }
    }

    @Test
    void fdRelativeCallsNeverFollowSymlinks() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        int fd = Linux.openAt(Linux.AT_FDCWD, root.toString(), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
        try {
            assertThatThrownBy(() -> Linux.openAt(fd, "link", Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW, 0))
                    .isInstanceOf(LinuxException.class);
            assertThatThrownBy(() -> Linux.openAt(fd, "link", Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL, 0600))
                    .hasMessageContaining("EEXIST");
            Linux.mkdirAt(fd, "d", 0700);
            Linux.symlinkAt("../x", fd, "s");
            assertThat(Linux.readlink(root.resolve("s"))).isEqualTo("../x");
            Linux.chownAt(fd, "s", 12, 34);
            assertThat(Files.getAttribute(root.resolve("s"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(12);
            Linux.setTimesAt(fd, "s", 1000, 5);
            assertThat(Files.getLastModifiedTime(root.resolve("s"), LinkOption.NOFOLLOW_LINKS).toMillis()).isEqualTo(1_000_000);
            Linux.mknodAt(fd, "wh", Linux.S_IFCHR, 0);
            Linux.chmodAt(fd, "d", 01755);
            assertThat((int) Files.getAttribute(root.resolve("d"), "unix:mode") & 07777).isEqualTo(01755);
            int f = Linux.openAt(fd, "f", Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW, 0600);
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment buf = arena.allocateFrom("hello");
                Linux.writeFully(f, buf, 5);
                Linux.fchown(f, 1, 2);
                Linux.fchmod(f, 04711);
                Linux.fsetXattr(f, "user.k", "v".getBytes(StandardCharsets.UTF_8));
                Linux.futimens(f, 2000, 0);
            } finally {
                Linux.close(f);
            }
            assertThat(root.resolve("f")).hasContent("hello");
            assertThat((int) Files.getAttribute(root.resolve("f"), "unix:mode") & 07777).isEqualTo(04711);
            assertThat(Linux.getXattr(root.resolve("f"), "user.k")).isPresent();
            Linux.linkAt(fd, "f", fd, "f2");
            assertThat(Files.isSameFile(root.resolve("f"), root.resolve("f2"))).isTrue();
            assertThat(Linux.readDirectory(fd).stream().map(Linux.DirEntry::name))
                    .containsExactlyInAnyOrder("link", "d", "s", "wh", "f", "f2");
            assertThat(Linux.readDirectory(fd)).contains(new Linux.DirEntry("d", Linux.DT_DIR));
            Linux.unlinkAt(fd, "link", 0);
            Linux.unlinkAt(fd, "d", Linux.AT_REMOVEDIR);
            assertThat(outside).exists();
            assertThat(root.resolve("d")).doesNotExist();
        } finally {
            Linux.close(fd);
        }
    }
}
