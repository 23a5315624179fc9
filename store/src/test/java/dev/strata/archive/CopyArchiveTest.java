package dev.strata.archive;

import static dev.strata.archive.RawTar.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The archives of copies ({@code docker cp}): written under another name, checked whole, extracted into a directory. */
class CopyArchiveTest {
    static final ApplyOptions COPY = new ApplyOptions(true, Optional.empty(), true, Optional.empty());

    @TempDir
    Path dir;
    Path target;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        target = Files.createDirectories(dir.resolve("target"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(target.resolve("existing-dir"));
        Files.writeString(target.resolve("existing-file"), "old");
        Files.createSymbolicLink(target.resolve("escape"), outside);
    }

    static byte[] writeCopy(Path dir, String name, String entryName) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.writeCopy(dir, name, entryName, out);
        return out.toByteArray();
    }

    static List<String> names(byte[] tar) throws Exception {
        return LayerWriterTest.entries(tar).stream().map(TarEntry::name).toList();
    }

    @Test
    void aCopyIsWrittenUnderTheNameItGoesBy() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/d/sub"));
        Files.writeString(src.resolve("f"), "x");
        Files.createLink(dir.resolve("src/d/hard"), src.resolve("f"));
        Files.createSymbolicLink(dir.resolve("src/d/link"), Path.of("/etc/passwd"));
        Path parent = dir.resolve("src");

        assertThat(names(writeCopy(parent, "d", "d"))).containsExactly("d/", "d/hard", "d/link", "d/sub/", "d/sub/f");
        assertThat(names(writeCopy(parent, "d", "renamed"))).containsExactly("renamed/", "renamed/hard", "renamed/link",
                "renamed/sub/", "renamed/sub/f");
        assertThat(names(writeCopy(parent.resolve("d"), ".", "."))).containsExactly("./", "./hard", "./link", "./sub/", "./sub/f");
        List<TarEntry> entries = LayerWriterTest.entries(writeCopy(parent, "d", "new"));
        assertThat(entries.get(4)).satisfies(e -> {
            assertThat(e.type()).isEqualTo(TarEntry.Type.HARDLINK);
            assertThat(e.linkName()).isEqualTo("new/hard"); // hardlinks point at names of the same archive
        });
        TarEntry link = LayerWriterTest.entries(writeCopy(parent.resolve("d"), "link", "other")).getFirst();
        assertThat(link.type()).isEqualTo(TarEntry.Type.SYMLINK); // never followed
        assertThat(link.name()).isEqualTo("other");
        assertThat(link.linkName()).isEqualTo("/etc/passwd");
        assertThat(names(writeCopy(src, "f", "g"))).containsExactly("g");
        assertThat(writeCopy(parent, "d", "d")).as("deterministic").isEqualTo(writeCopy(parent, "d", "d"));
    }

    @Test
    void copyModeKeepsTheTargetAndTakesNamesLiterally() throws Exception {
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        byte[] tar = new RawTar().add(h("./").type('5').mode(0777).owner(5, 5))
                .add(h(".wh.not-a-whiteout").content("w").owner(7, 8).mode(0640))
                .add(h(".wh..wh..opq").content("o"))
                .symlink("up", "../../../anywhere")
                .add(h("existing-dir/").type('5').mode(0750).owner(9, 9))
                .bytes();
        LayerApplier.check(new ByteArrayInputStream(tar), target, COPY);
        LayerApplier.apply(new ByteArrayInputStream(tar), target, WhiteoutFormat.overlay(), COPY);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(target.resolve(".wh.not-a-whiteout")).hasContent("w");
        assertThat(target.resolve(".wh..wh..opq")).hasContent("o");
        assertThat(Files.readSymbolicLink(target.resolve("up"))).isEqualTo(Path.of("../../../anywhere"));
        assertThat(Files.getAttribute(target.resolve(".wh.not-a-whiteout"), "unix:uid")).isEqualTo(7);
        assertThat(Files.getAttribute(target.resolve("existing-dir"), "unix:gid")).isEqualTo(9);
        assertThat(target.resolve("existing-file")).hasContent("old");
    }

    @Test
    void anOwnerOverridesTheArchives() throws Exception {
        byte[] tar = new RawTar().add(h("d/").type('5').mode(0700).owner(5, 6)).add(h("d/f").content("x").owner(7, 8).mode(04755))
                .symlink("d/l", "f").bytes();
        LayerApplier.apply(new ByteArrayInputStream(tar), target, WhiteoutFormat.deleting(),
                new ApplyOptions(true, Optional.of(new ApplyOptions.Owner(0, 0)), true, Optional.empty()));
        for (String p : List.of("d", "d/f", "d/l")) {
            assertThat(Files.getAttribute(target.resolve(p), "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(p).isEqualTo(0);
            assertThat(Files.getAttribute(target.resolve(p), "unix:gid", LinkOption.NOFOLLOW_LINKS)).as(p).isEqualTo(0);
        }
        assertThat((int) Files.getAttribute(target.resolve("d/f"), "unix:mode") & 07777).isEqualTo(04755);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("a file over a directory", new RawTar().file("existing-dir", "x").bytes(), "existing-dir",
                        "cannot overwrite a directory with a non-directory", true),
                Arguments.of("a symlink over a directory", new RawTar().symlink("existing-dir", "/").bytes(), "existing-dir",
                        "cannot overwrite a directory with a non-directory", true),
                Arguments.of("a directory over a file", new RawTar().dir("existing-file/").bytes(), "existing-file/",
                        "cannot overwrite a non-directory with a directory", true),
                Arguments.of("a directory over a symlink", new RawTar().dir("escape/").bytes(), "escape/",
                        "cannot overwrite a non-directory with a directory", true),
                Arguments.of("a file where the archive made a directory", new RawTar().dir("n/").file("n", "x").bytes(), "n",
                        "cannot overwrite a directory with a non-directory", true),
                Arguments.of("the target itself as a file", new RawTar().file("./", "x").bytes(), "./",
                        "cannot overwrite a directory with a non-directory", true),
                Arguments.of("through a symlink in the target", new RawTar().file("ok", "1").file("escape/pwned", "x").bytes(),
                        "escape/pwned", "symlink", false),
                Arguments.of("through a symlink made by the archive",
                        new RawTar().file("ok", "1").symlink("l", "/").file("l/pwned", "x").bytes(), "l/pwned", "symlink", false),
                Arguments.of("through a file", new RawTar().file("existing-file/x", "x").bytes(), "existing-file/x",
                        "not a directory", false),
                Arguments.of("climbing out", new RawTar().file("ok", "1").file("../outside/pwned", "x").bytes(), "../outside/pwned",
                        "climbs out", false),
                Arguments.of("absolute", new RawTar().file("/pwned", "x").bytes(), "/pwned", "absolute", false),
                Arguments.of("a hardlink to nothing", new RawTar().file("ok", "1").hardlink("h", "missing").bytes(), "h",
                        "does not exist", false),
                Arguments.of("a hardlink through a symlink", new RawTar().hardlink("h", "escape/secret").bytes(), "h", "symlink",
                        false),
                Arguments.of("truncated", java.util.Arrays.copyOf(new RawTar().file("ok", "1").file("cut", "y".repeat(5000)).bytes(),
                        2560), "cut", "truncated", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void theCheckRefusesWhatApplyWouldWithoutWriting(String what, byte[] tar, String entry, String reason, boolean clash)
            throws Exception {
        Files.writeString(outside.resolve("secret"), "host");
        Map<String, String> before = TreeFixture.describe(target);
        assertThatThrownBy(() -> LayerApplier.check(new ByteArrayInputStream(tar), target, COPY))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("\"" + entry + "\"")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ArchiveException) e).isClash()).isEqualTo(clash));
        assertThat(TreeFixture.describe(target)).as("the check wrote nothing").isEqualTo(before);
        // apply refuses the same entry (having written what came before it: that is what the check is for).
        assertThatThrownBy(() -> LayerApplier.apply(new ByteArrayInputStream(tar), target, WhiteoutFormat.deleting(), COPY))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("\"" + entry + "\"");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
    }

    @Test
    void theCheckFollowsWhatTheArchiveItselfDoes() throws Exception {
        byte[] tar = new RawTar().dir("new/").dir("new/deeper/").file("new/deeper/f", "x")
                .file("existing-file", "replaced").symlink("existing-file", "elsewhere") // a non-directory over another
                .hardlink("new/h", "new/deeper/f").hardlink("h2", "existing-file")
                .dir("existing-dir/").file("existing-dir/g", "y")
                .bytes();
        LayerApplier.check(new ByteArrayInputStream(tar), target, COPY);
        LayerApplier.apply(new ByteArrayInputStream(tar), target, WhiteoutFormat.deleting(), COPY);
        assertThat(target.resolve("new/h")).hasContent("x");
        assertThat(Files.isSymbolicLink(target.resolve("h2"))).isTrue();
        assertThat(target.resolve("existing-dir/g")).hasContent("y");
    }

    @Test
    void onlyCopiesAreChecked() {
        assertThatThrownBy(() -> LayerApplier.check(new ByteArrayInputStream(new RawTar().bytes()), target, new ApplyOptions(true)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
