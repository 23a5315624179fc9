package dev.strata.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.sys.Linux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangesTest {
    @TempDir
    Path dir;

    static List<String> strings(List<Change> changes) {
        return changes.stream().map(Change::toString).toList();
    }

    @Test
    void naiveComparisonFollowsDockerSemantics() throws Exception {
        Path parent = dir.resolve("parent");
        TreeFixture.populate(parent);
        Path child = dir.resolve("child");
        Fixtures.run(dir, "cp", "-a", "parent", "child");

        Files.writeString(child.resolve("etc/hostname"), "other\n"); // size + mtime -> C
        Files.delete(child.resolve("etc/passwd")); // D
        Files.writeString(child.resolve("etc/new"), "n"); // A
        Linux.chmod(child.resolve("usr/bin/big"), 0700); // mode -> C
        Linux.lchown(child.resolve("empty"), 7, 7); // owner -> C
        Linux.setXattr(child.resolve("usr/bin/wall"), "user.x", "1".getBytes(StandardCharsets.UTF_8)); // xattr -> C
        Files.delete(child.resolve("bin"));
        Files.createSymbolicLink(child.resolve("bin"), Path.of("usr/sbin")); // link target -> C
        Files.setLastModifiedTime(child.resolve("tmp"), FileTime.from(Instant.ofEpochSecond(42))); // dir mtime alone: nothing
        // Same seconds, nanos lost on one side (as after a tar round trip): not a change.
        Files.setLastModifiedTime(parent.resolve("usr/bin/su"), FileTime.from(Instant.ofEpochSecond(1_700_000_000L, 5)));
        Files.setLastModifiedTime(child.resolve("usr/bin/su"), FileTime.from(Instant.ofEpochSecond(1_700_000_000L)));
        Files.delete(child.resolve("home/user/.profile"));
        Files.delete(child.resolve("home/user"));
        Files.writeString(child.resolve("home/user"), "dir became a file"); // type -> C, no D for its old children
        Files.createDirectories(child.resolve("opt/new/deeper"));

        assertThat(strings(Changes.between(parent, child))).containsExactly(
                "C /bin",
                "C /empty",
                "C /etc",
                "C /etc/hostname",
                "A /etc/new",
                "D /etc/passwd",
                "C /home",
                "C /home/user",
                "A /opt",
                "A /opt/new",
                "A /opt/new/deeper",
                "C /usr",
                "C /usr/bin",
                "C /usr/bin/big",
                "C /usr/bin/wall");
    }

    @Test
    void overlayUpperDir() throws Exception {
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/hosts"), "changed");
        Files.writeString(upper.resolve("etc/new"), "added");
        Linux.mknod(upper.resolve("etc/motd"), Linux.S_IFCHR, 0);
        Files.createDirectories(upper.resolve("var/lib/opaque/sub"));
        Files.writeString(upper.resolve("var/lib/opaque/sub/f"), "x");
        Linux.setXattr(upper.resolve("var/lib/opaque"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
        Set<String> below = Set.of("/etc", "/etc/hosts", "/etc/motd", "/var", "/var/lib", "/var/lib/opaque",
                "/var/lib/opaque/sub");
        assertThat(strings(Changes.overlay(upper, below::contains))).containsExactly(
                "C /etc",
                "C /etc/hosts",
                "D /etc/motd",
                "A /etc/new",
                "C /var",
                "C /var/lib",
                "C /var/lib/opaque",
                "A /var/lib/opaque/sub",
                "A /var/lib/opaque/sub/f");
    }
}
