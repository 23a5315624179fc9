package dev.strata.archive;

import static dev.strata.archive.RawTar.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile layer tars. Each must fail with an {@link ArchiveException} that names the offending entry,
 * and must not have touched anything outside the target (a sentinel directory next to it, and /etc/passwd).
 */
class HostileArchiveTest {
    @TempDir
    Path dir;
    Path target;
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        target = Files.createDirectories(dir.resolve("layer"));
        outside = Files.createDirectories(dir.resolve("sentinel"));
        Files.writeString(outside.resolve("keep"), "untouched");
        // A vfs copy of a parent layer may already hold a symlink pointing out of the root.
        Files.createSymbolicLink(target.resolve("preexisting-escape"), outside);
    }

    static Stream<Arguments> corpus() {
        byte[] badChecksum = new RawTar().add(h("bad-sum").content("x")).bytes();
        badChecksum[148] = '7';
        RawTar.Header huge = h("huge-size").content("short");
        huge.sizeField = 077777777777L;
        return Stream.of(
                Arguments.of("dot-dot escape", new RawTar().file("../sentinel/pwned", "x").bytes(), "../sentinel/pwned",
                        "climbs out"),
                Arguments.of("nested dot-dot escape", new RawTar().file("a/b/../../../sentinel/pwned", "x").bytes(),
                        "a/b/../../../sentinel/pwned", "climbs out"),
                Arguments.of("absolute path", new RawTar().file("/etc/pwned", "x").bytes(), "/etc/pwned", "absolute"),
                Arguments.of("file through a symlink planted in the archive",
                        new RawTar().symlink("link", "/").file("link/pwned", "x").bytes(), "link/pwned", "symlink"),
                Arguments.of("file through a relative symlink planted in the archive",
                        new RawTar().dir("a/").symlink("a/up", "../").file("a/up/x", "x").bytes(), "a/up/x", "symlink"),
                Arguments.of("dir through a symlink already in the target",
                        new RawTar().dir("preexisting-escape/newdir/").bytes(), "preexisting-escape/newdir/", "symlink"),
                Arguments.of("file through a symlink already in the target",
                        new RawTar().file("preexisting-escape/pwned", "x").bytes(), "preexisting-escape/pwned", "symlink"),
                Arguments.of("symlink escaping by a relative target",
                        new RawTar().symlink("etc/evil", "../../sentinel").bytes(), "etc/evil", "climbs out"),
                Arguments.of("hardlink to an absolute path", new RawTar().hardlink("passwd", "/etc/passwd").bytes(), "passwd",
                        "absolute"),
                Arguments.of("hardlink climbing out", new RawTar().hardlink("x", "../sentinel/keep").bytes(), "x", "climbs out"),
                Arguments.of("hardlink to a missing file", new RawTar().hardlink("x", "nope").bytes(), "x", "does not exist"),
                Arguments.of("hardlink through a symlink", new RawTar().symlink("s", "/etc").hardlink("x", "s/passwd").bytes(),
                        "x", "symlink"),
                Arguments.of("hardlink through a preexisting symlink",
                        new RawTar().hardlink("x", "preexisting-escape/keep").bytes(), "x", "symlink"),
                Arguments.of("whiteout of ..", new RawTar().file("a/.wh...", "").bytes(), "a/.wh...", "not a file name"),
                Arguments.of("whiteout of .", new RawTar().file(".wh..", "").bytes(), ".wh..", "not a file name"),
                Arguments.of("whiteout through a preexisting symlink",
                        new RawTar().file("preexisting-escape/.wh.keep", "").bytes(), "preexisting-escape/.wh.keep", "symlink"),
                Arguments.of("opaque through a preexisting symlink",
                        new RawTar().file("preexisting-escape/.wh..wh..opq", "").bytes(), "preexisting-escape/.wh..wh..opq",
                        "symlink"),
                Arguments.of("name with NUL (PAX)", new RawTar().add(h("x").content("x").pax("path", "ok\0../../evil")).bytes(),
                        "ok\\x00../../evil", "NUL"),
                Arguments.of("truncated archive",
                        java.util.Arrays.copyOf(new RawTar().file("cut", "y".repeat(5000)).bytes(), 2048), "cut", "truncated"),
                Arguments.of("bad checksum", badChecksum, "bad-sum", "checksum"),
                Arguments.of("huge size field", new RawTar().add(huge).bytes(), "huge-size", "truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rejected(String what, byte[] tar, String entry, String reason) throws IOException {
        for (WhiteoutFormat format : List.of(WhiteoutFormat.deleting(), WhiteoutFormat.overlay())) {
            assertThatThrownBy(() -> LayerApplier.apply(new ByteArrayInputStream(tar), target, format, new ApplyOptions(true)))
                    .as(what + " in " + format)
                    .isInstanceOf(ArchiveException.class)
                    .hasMessageContaining("\"" + entry + "\"")
                    .hasMessageContaining(reason);
            try (Stream<Path> s = Files.list(outside)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep");
            }
            assertThat(Files.readString(outside.resolve("keep"))).isEqualTo("untouched");
            assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("pwned");
            assertThat(Files.exists(Path.of("/etc/pwned"))).isFalse();
        }
    }
}
