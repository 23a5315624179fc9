package dev.strata.archive;

import static dev.strata.archive.RawTar.h;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.sys.Linux;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerApplierTest {
    @TempDir
    Path dir;

    @Test
    void appliesAGnuTarFaithfully() throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        byte[] tar = Fixtures.gnuTar(src, "posix", "--xattrs", "--xattrs-include=*");
        Path dst = dir.resolve("dst");
        ApplyResult r = Fixtures.apply(tar, dst, WhiteoutFormat.overlay());

        Map<String, String> expected = TreeFixture.describe(src);
        Map<String, String> actual = TreeFixture.describe(dst);
        assertThat(actual).isEqualTo(expected);
        assertThat(r.skipped()).isZero();
        assertThat(r.size()).isEqualTo(sumOfRegularFileSizes(tar));
        assertThat(Files.isSameFile(dst.resolve("usr/bin/su"), dst.resolve("usr/bin/su-hardlink"))).isTrue();
        assertThat(Files.getAttribute(dst.resolve("etc/passwd"), "lastModifiedTime").toString())
                .isEqualTo("2020-09-13T12:26:40Z");
    }

    @Test
    void longNamesBeyond100And255Bytes() throws Exception {
        String name255 = "n".repeat(120) + "/" + "m".repeat(200);
        String name300 = ("p".repeat(99) + "/").repeat(3) + "leaf";
        byte[] tar = new RawTar().add(h("x").content("a").pax("path", name255)).add(h("y").content("b").pax("path", name300))
                .bytes();
        Path dst = dir.resolve("dst");
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(dst.resolve(name255)).hasContent("a");
        assertThat(dst.resolve(name300)).hasContent("b");
    }

    @Test
    void xattrsAreAppliedExceptOverlayOnes() throws Exception {
        byte[] tar = new RawTar()
                .add(h("f").content("x").xattr("user.a", "1".getBytes(StandardCharsets.UTF_8))
                        .xattr("trusted.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8))
                        .xattr("security.capability", TreeFixture.capability()))
                .add(h("d/").type('5').mode(0755).xattr("trusted.overlay.redirect", "/x".getBytes(StandardCharsets.UTF_8))
                        .xattr("user.d", "2".getBytes(StandardCharsets.UTF_8)))
                .bytes();
        Path dst = dir.resolve("dst");
        ApplyResult r = Fixtures.apply(tar, dst, WhiteoutFormat.overlay());
        assertThat(Linux.getXattr(dst.resolve("f"), "user.a")).hasValueSatisfying(v -> assertThat(v).asString().isEqualTo("1"));
        assertThat(Linux.getXattr(dst.resolve("f"), "security.capability")).hasValue(TreeFixture.capability());
        assertThat(Linux.getXattr(dst.resolve("f"), "trusted.overlay.opaque")).isEmpty();
        assertThat(Linux.getXattr(dst.resolve("d"), "trusted.overlay.redirect")).isEmpty();
        assertThat(Linux.getXattr(dst.resolve("d"), "user.d")).isPresent();
        assertThat(r.skipped()).isEqualTo(2);
    }

    @Test
    void devicesFifosAndSetuidAsRoot() throws Exception {
        byte[] tar = new RawTar()
                .add(h("dev/null").type('3').mode(0666).device(1, 3))
                .add(h("dev/loop0").type('4').mode(0660).device(7, 0).owner(0, 6))
                .add(h("run/fifo").type('6').mode(0620))
                .add(h("bin/su").content("x").mode(04755))
                .add(h("bin/wall").content("x").mode(02711).owner(0, 5))
                .add(h("tmp/").type('5').mode(01777))
                .bytes();
        Path dst = dir.resolve("dst");
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(mode(dst.resolve("dev/null"))).isEqualTo(Linux.S_IFCHR | 0666);
        assertThat((long) Files.getAttribute(dst.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(Linux.makedev(1, 3));
        assertThat(mode(dst.resolve("dev/loop0"))).isEqualTo(Linux.S_IFBLK | 0660);
        assertThat(Files.getAttribute(dst.resolve("dev/loop0"), "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(6);
        assertThat(mode(dst.resolve("run/fifo"))).isEqualTo(Linux.S_IFIFO | 0620);
        assertThat(mode(dst.resolve("bin/su")) & 07777).isEqualTo(04755);
        assertThat(mode(dst.resolve("bin/wall")) & 07777).isEqualTo(02711);
        assertThat(mode(dst.resolve("tmp")) & 07777).isEqualTo(01777);
    }

    @Test
    void unprivilegedSkipsDevicesAndOwners() throws Exception {
        byte[] tar = new RawTar().add(h("dev/null").type('3').mode(0666).device(1, 3)).add(h("f").content("x").owner(1000, 1000))
                .add(h("fifo").type('6')).bytes();
        Path dst = Files.createDirectories(dir.resolve("dst"));
        ApplyResult r = LayerApplier.apply(new ByteArrayInputStream(tar), dst, WhiteoutFormat.deleting(), new ApplyOptions(false));
        assertThat(dst.resolve("dev/null")).doesNotExist();
        assertThat(Files.getAttribute(dst.resolve("f"), "unix:uid")).isEqualTo(0);
        assertThat(mode(dst.resolve("fifo")) & Linux.S_IFMT).isEqualTo(Linux.S_IFIFO);
        assertThat(r.skipped()).isEqualTo(2);
        assertThat(r.entries()).isEqualTo(3);
    }

    @Test
    void existingPathsAreReplacedButDirectoriesMerge() throws Exception {
        Path dst = Files.createDirectories(dir.resolve("dst"));
        Files.createDirectories(dst.resolve("etc/ssl"));
        Files.writeString(dst.resolve("etc/ssl/cert"), "lower");
        Files.createDirectories(dst.resolve("was-dir/deep"));
        Files.writeString(dst.resolve("was-dir/deep/f"), "x");
        Files.writeString(dst.resolve("was-file"), "x");
        Files.createSymbolicLink(dst.resolve("was-link"), Path.of("/nowhere"));
        byte[] tar = new RawTar()
                .add(h("etc/").type('5').mode(0700))
                .file("was-dir", "now a file")
                .dir("was-file/")
                .file("was-link", "now a file too")
                .bytes();
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(dst.resolve("etc/ssl/cert")).hasContent("lower");
        assertThat(mode(dst.resolve("etc")) & 07777).isEqualTo(0700);
        assertThat(dst.resolve("was-dir")).isRegularFile().hasContent("now a file");
        assertThat(dst.resolve("was-file")).isDirectory();
        assertThat(Files.isSymbolicLink(dst.resolve("was-link"))).isFalse();
        assertThat(dst.resolve("was-link")).hasContent("now a file too");
    }

    @Test
    void deletingFormatOnAVfsCopy() throws Exception {
        Path dst = Files.createDirectories(dir.resolve("dst"));
        Files.createDirectories(dst.resolve("etc/apt/sources.list.d"));
        Files.writeString(dst.resolve("etc/apt/sources.list.d/old.list"), "x");
        Files.writeString(dst.resolve("etc/apt/keep"), "x");
        Files.writeString(dst.resolve("etc/motd"), "hi");
        Files.createDirectories(dst.resolve("var/cache/deep/er"));
        Files.writeString(dst.resolve("var/cache/deep/er/f"), "x");
        Files.writeString(dst.resolve("var/cache/top"), "x");
        byte[] tar = new RawTar()
                .file("etc/.wh.motd", "")
                .file("etc/apt/sources.list.d/.wh.old.list", "")
                .file("etc/.wh.not-there", "")
                .file("nowhere/.wh.x", "")
                .dir("var/cache/")
                .file("var/cache/new-before-marker", "kept")
                .add(h("var/cache/deep/er/mine").content("kept too"))
                .file("var/cache/.wh..wh..opq", "")
                .file("var/cache/new-after-marker", "kept")
                .file(".wh..wh.plnk/123.456", "aufs")
                .bytes();
        ApplyResult r = Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(dst.resolve("etc/motd")).doesNotExist();
        assertThat(dst.resolve("etc/apt/sources.list.d/old.list")).doesNotExist();
        assertThat(dst.resolve("etc/apt/keep")).exists();
        assertThat(dst.resolve("nowhere")).doesNotExist();
        assertThat(dst.resolve("var/cache/top")).doesNotExist();
        assertThat(dst.resolve("var/cache/deep/er/f")).doesNotExist();
        assertThat(dst.resolve("var/cache/deep/er/mine")).hasContent("kept too");
        assertThat(dst.resolve("var/cache/new-before-marker")).hasContent("kept");
        assertThat(dst.resolve("var/cache/new-after-marker")).hasContent("kept");
        assertThat(dst.resolve(".wh..wh.plnk")).doesNotExist();
        assertThat(r.skipped()).isEqualTo(1);
        try (var s = Files.list(dst.resolve("etc"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".wh."));
        }
    }

    @Test
    void repeatedOpaqueMarkersInOneDirectory() throws Exception {
        Path dst = Files.createDirectories(dir.resolve("dst"));
        Files.createDirectories(dst.resolve("d"));
        Files.writeString(dst.resolve("d/lower"), "x");
        byte[] tar = new RawTar().file("d/.wh..wh..opq", "").file("d/mine", "m").file("d/.wh..wh..opq", "").bytes();
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        try (var s = Files.list(dst.resolve("d"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("mine");
        }
    }

    @Test
    void overlayFormatWritesKernelMarkers() throws Exception {
        byte[] tar = new RawTar()
                .dir("etc/")
                .file("etc/.wh.motd", "")
                .file("etc/replaced", "first")
                .file("etc/.wh.replaced", "")
                .file("newdir/.wh..wh..opq", "")
                .file("newdir/inside", "x")
                .bytes();
        Path dst = dir.resolve("dst");
        Fixtures.apply(tar, dst, WhiteoutFormat.overlay());
        WhiteoutFormat overlay = WhiteoutFormat.overlay();
        assertThat(overlay.isWhiteout(dst.resolve("etc/motd"))).isTrue();
        assertThat(overlay.isWhiteout(dst.resolve("etc/replaced"))).isTrue();
        assertThat(overlay.isOpaque(dst.resolve("newdir"))).isTrue();
        assertThat(overlay.isOpaque(dst.resolve("etc"))).isFalse();
        assertThat(dst.resolve("newdir/inside")).hasContent("x");
        assertThat(dst.resolve("newdir/.wh..wh..opq")).doesNotExist();
        assertThat(dst.resolve("etc/.wh.motd")).doesNotExist();
    }

    @Test
    void directoryTimesAreSetAfterTheirChildren() throws Exception {
        RawTar.Header d = h("d/").type('5').mode(0755);
        d.mtime = 1_000_000_000L;
        RawTar.Header f = h("d/f").content("x");
        byte[] tar = new RawTar().add(d).add(f).add(h("d/sub/").type('5').mode(0555)).add(h("d/sub/g").content("y")).bytes();
        Path dst = dir.resolve("dst");
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(Files.getLastModifiedTime(dst.resolve("d")).toInstant()).isEqualTo(Instant.ofEpochSecond(1_000_000_000L));
        assertThat(mode(dst.resolve("d/sub")) & 07777).isEqualTo(0555);
        assertThat(dst.resolve("d/sub/g")).hasContent("y");
    }

    @Test
    void rootEntryUpdatesTheTargetItself() throws Exception {
        byte[] tar = new RawTar().add(h("./").type('5').mode(0711)).file("./a", "x").bytes();
        Path dst = dir.resolve("dst");
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(mode(dst) & 07777).isEqualTo(0711);
        assertThat(dst.resolve("a")).hasContent("x");
    }

    @Test
    void symlinkTargetsAreNotFollowedWhenOverwriting() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside"), "secret");
        Path dst = Files.createDirectories(dir.resolve("dst"));
        Files.createSymbolicLink(dst.resolve("link"), outside);
        // An entry named like an existing symlink replaces the link; it never writes through it.
        byte[] tar = new RawTar().file("link", "new").add(h("link2").type('2').link("/etc/shadow")).file("link2", "x").bytes();
        Fixtures.apply(tar, dst, WhiteoutFormat.deleting());
        assertThat(outside).hasContent("secret");
        assertThat(dst.resolve("link")).hasContent("new");
        assertThat(Files.isSymbolicLink(dst.resolve("link"))).isFalse();
    }

    @Test
    void nonUtf8NamesDoNotCrash() throws Exception {
        RawTar.Header bad = h("x").content("latin-1 name");
        bad.name = new byte[] {'c', 'a', 'f', (byte) 0xe9};
        byte[] tar = new RawTar().add(bad).bytes();
        Path dst = dir.resolve("dst");
        ApplyResult r = Fixtures.apply(tar, dst, WhiteoutFormat.overlay());
        assertThat(r.entries()).isEqualTo(1);
        assertThat(Fixtures.reassemble(r, dst)).isEqualTo(tar);
    }

    static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    static long sumOfRegularFileSizes(byte[] tar) throws Exception {
        long sum = 0;
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
            for (var e = r.next(); e.isPresent(); e = r.next()) {
                if (e.get().type() == TarEntry.Type.FILE) {
                    sum += e.get().size();
                }
            }
        }
        return sum;
    }
}
