package dev.strata.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.sys.Linux;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
    @TempDir
    Path dir;

    static List<TarEntry> entries(byte[] tar) throws Exception {
        List<TarEntry> out = new ArrayList<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
            for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
                out.add(e.get());
            }
        }
        return out;
    }

    @Test
    void sameTreeSameBytesAndRoundTrip() throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        byte[] first = Fixtures.write(src, WhiteoutFormat.deleting());
        byte[] again = Fixtures.write(src, WhiteoutFormat.deleting());
        assertThat(again).isEqualTo(first);

        Path applied = dir.resolve("applied");
        Fixtures.apply(first, applied, WhiteoutFormat.deleting());
        assertThat(TreeFixture.describe(applied)).isEqualTo(TreeFixture.describe(src));
        byte[] second = Fixtures.write(applied, WhiteoutFormat.deleting());
        Digest diffId = Digester.of(first);
        assertThat(Digester.of(second)).as("DiffID after apply -> write").isEqualTo(diffId);

        assertThat(first.length % 512).isZero();
        assertThat(java.util.Arrays.copyOfRange(first, first.length - 1024, first.length)).containsOnly(0);
    }

    @Test
    void entriesAreOrderedAndMinimal() throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        List<TarEntry> entries = entries(Fixtures.write(src, WhiteoutFormat.deleting()));
        List<String> names = entries.stream().map(TarEntry::name).toList();
        assertThat(names.subList(names.indexOf("dev/"), names.indexOf("dev/") + 4))
                .containsExactly("dev/", "dev/initctl", "dev/null", "dev/sda");
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(PathOrder.COMPARATOR);
        assertThat(names).isEqualTo(sorted);
        assertThat(names).contains("etc/", "usr/bin/", TreeFixture.LONG_NAME, TreeFixture.VERY_LONG_NAME);
        assertThat(names.indexOf("usr/")).isLessThan(names.indexOf("usr/bin/"));
        TarEntry su = entries.stream().filter(e -> e.name().equals("usr/bin/su")).findFirst().orElseThrow();
        TarEntry link = entries.stream().filter(e -> e.name().equals("usr/bin/su-hardlink")).findFirst().orElseThrow();
        assertThat(su.type()).isEqualTo(TarEntry.Type.FILE);
        assertThat(su.mode()).isEqualTo(04755);
        assertThat(su.xattrs()).containsKey("security.capability");
        assertThat(link.type()).isEqualTo(TarEntry.Type.HARDLINK);
        assertThat(link.linkName()).isEqualTo("usr/bin/su");
        TarEntry nul = entries.stream().filter(e -> e.name().equals("dev/null")).findFirst().orElseThrow();
        assertThat(nul.devMajor()).isEqualTo(1);
        assertThat(nul.devMinor()).isEqualTo(3);
    }

    @Test
    void paxOnlyWhereNeeded() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("plain"), "x");
        String fits = "a".repeat(100) + "/" + "b".repeat(99); // > 100 bytes: ustar prefix, no PAX
        Files.createDirectories(src.resolve(fits).getParent());
        Files.writeString(src.resolve(fits), "y");
        String longer = "c".repeat(200) + "/" + "d".repeat(150); // needs PAX path
        Files.createDirectories(src.resolve(longer).getParent());
        Files.writeString(src.resolve(longer), "z");
        Files.writeString(src.resolve("bigid"), "w");
        Linux.lchown(src.resolve("bigid"), 3_000_000, 3_000_001);
        Files.setLastModifiedTime(src.resolve("plain"), FileTime.from(Instant.ofEpochSecond(1_600_000_000L, 999_999_999)));
        byte[] tar = Fixtures.write(src, WhiteoutFormat.deleting());
        List<Integer> paxBlocks = new ArrayList<>();
        for (int off = 0; off < tar.length; off += 512) {
            if (tar[off + 156] == 'x' && tar[off + 257] == 'u') {
                paxBlocks.add(off);
            }
        }
        String text = new String(tar, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("path=" + longer).contains("uid=3000000").contains("gid=3000001");
        assertThat(text).doesNotContain("path=" + fits).doesNotContain("mtime=").doesNotContain("atime").doesNotContain("ctime");
        // PAX for: the 101-byte name of directory "aaa.../" (cannot be split), bigid, "ccc.../" and its file.
        assertThat(paxBlocks).hasSize(4);
        Map<String, TarEntry> byName = new LinkedHashMap<>();
        entries(tar).forEach(e -> byName.put(e.name(), e));
        assertThat(byName).containsKeys(fits, longer, "plain");
        assertThat(byName.get("plain").mtime()).isEqualTo(Instant.ofEpochSecond(1_600_000_000L));
        assertThat(byName.get("bigid").uid()).isEqualTo(3_000_000);

        // GNU tar agrees with our reading of it.
        Path tarFile = Files.write(dir.resolve("out.tar"), tar);
        Path x = Files.createDirectories(dir.resolve("gnu-extract"));
        Fixtures.run(x, "tar", "--numeric-owner", "-xpf", tarFile.toString());
        assertThat(x.resolve(longer)).hasContent("z");
        assertThat(x.resolve(fits)).hasContent("y");
        assertThat(Files.getAttribute(x.resolve("bigid"), "unix:uid")).isEqualTo(3_000_000);
    }

    @Test
    void gnuTarExtractsWhatWeWrite() throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        Path tarFile = Files.write(dir.resolve("layer.tar"), Fixtures.write(src, WhiteoutFormat.deleting()));
        Path x = Files.createDirectories(dir.resolve("x"));
        Fixtures.run(x, "tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", tarFile.toString());
        assertThat(TreeFixture.describe(x)).isEqualTo(TreeFixture.describe(src));
    }

    @Test
    void overlayMarkersBecomeWhiteoutEntries() throws Exception {
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Linux.mknod(upper.resolve("etc/motd"), Linux.S_IFCHR, 0);
        Linux.mknod(upper.resolve("etc/shadow-ish"), Linux.S_IFCHR, 0);
        Files.createDirectories(upper.resolve("cache"));
        Files.writeString(upper.resolve("cache/!first"), "sorted before the marker's name");
        Linux.setXattr(upper.resolve("cache"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(upper.resolve("cache-sibling"), "s");
        // overlayfs shares one whiteout inode between deletions (nlink > 1): still whiteouts, not hardlinks.
        Files.createLink(upper.resolve("etc/gone-too"), upper.resolve("etc/motd"));
        byte[] tar = Fixtures.write(upper, WhiteoutFormat.overlay());
        List<String> names = entries(tar).stream().map(TarEntry::name).toList();
        assertThat(names).containsExactly("cache/", "cache/.wh..wh..opq", "cache/!first", "cache-sibling", "etc/",
                "etc/.wh.gone-too", "etc/.wh.motd", "etc/.wh.shadow-ish");
        assertThat(new String(tar, StandardCharsets.ISO_8859_1)).doesNotContain("trusted.overlay");
        // The same deletions written by the vfs path give the same bytes for the whiteouts.
        TarEntry wh = entries(tar).get(5);
        assertThat(wh.type()).isEqualTo(TarEntry.Type.FILE);
        assertThat(wh.mode()).isZero();
        assertThat(wh.mtime()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void changesOfAVfsLayerApplyOntoTheParent() throws Exception {
        Path parent = dir.resolve("parent");
        TreeFixture.populate(parent);
        Fixtures.run(dir, "cp", "-a", "parent", "child");
        Fixtures.run(dir, "cp", "-a", "parent", "replay");
        Path child = dir.resolve("child");
        Files.delete(child.resolve("etc/passwd"));
        Files.writeString(child.resolve("etc/hostname"), "changed");
        Files.createDirectories(child.resolve("opt/app"));
        Files.writeString(child.resolve("opt/app/run"), "#!/bin/sh");
        Fixtures.run(child, "rm", "-rf", "home");
        List<Change> changes = Changes.between(parent, child);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.write(child, changes, out);
        Fixtures.apply(out.toByteArray(), dir.resolve("replay"), WhiteoutFormat.deleting());
        assertThat(TreeFixture.describe(dir.resolve("replay"))).isEqualTo(TreeFixture.describe(child));
        assertThat(entries(out.toByteArray()).stream().map(TarEntry::name)).contains("etc/.wh.passwd", ".wh.home");
    }

    @Test
    void realOverlayfsDiffReplaysOnAVfsCopy() throws Exception {
        Path lower = dir.resolve("lower");
        TreeFixture.populate(lower);
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path merged = Files.createDirectories(dir.resolve("merged"));
        Linux.mount("overlay", merged, "overlay", 0, "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            Files.delete(merged.resolve("etc/passwd"));
            Files.writeString(merged.resolve("etc/hostname"), "container");
            Fixtures.run(merged, "rm", "-rf", "home");
            Files.createDirectories(merged.resolve("home/fresh"));
            Files.writeString(merged.resolve("new-file"), "n");
        } finally {
            Linux.umount(merged, 0);
        }
        Linux.mount("overlay", merged, "overlay", Linux.MS_RDONLY, "lowerdir=" + upper + ":" + lower);
        Map<String, String> expected;
        try {
            expected = TreeFixture.describe(merged);
        } finally {
            Linux.umount(merged, 0);
        }
        byte[] tar = Fixtures.write(upper, WhiteoutFormat.overlay());
        Fixtures.run(dir, "cp", "-a", "lower", "replay");
        Fixtures.apply(tar, dir.resolve("replay"), WhiteoutFormat.deleting());
        Map<String, String> replayed = TreeFixture.describe(dir.resolve("replay"));
        // Directories copied up by overlayfs keep their metadata; only the listing is compared for them.
        assertThat(replayed.keySet()).isEqualTo(expected.keySet());
        assertThat(replayed.get("etc/hostname")).isEqualTo(expected.get("etc/hostname"));

        List<String> changes = Changes.overlay(upper, p -> Files.exists(lower.resolve(p.substring(1)),
                java.nio.file.LinkOption.NOFOLLOW_LINKS)).stream().map(Change::toString).toList();
        assertThat(changes).contains("D /etc/passwd", "C /etc/hostname", "C /home", "A /home/fresh", "A /new-file");
    }
}
