package dev.strata.archive;

import static dev.strata.archive.RawTar.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarSplitTest {
    @TempDir
    Path dir;

    private void assertRoundTrip(byte[] tar, WhiteoutFormat format) throws Exception {
        Path layer = dir.resolve("layer-" + format.getClass().getSimpleName() + "-" + System.nanoTime());
        ApplyResult r = Fixtures.apply(tar, layer, format);
        assertThat(Fixtures.reassemble(r, layer)).as("reassembled tar").isEqualTo(tar);
        // The serialized form is small: headers compress well and contents are only referenced.
        assertThat(r.tarSplit().length()).isLessThan(tar.length / 2 + 4096);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix", "ustar-busybox"})
    void rebuildsRealTarsByteForByte(String kind) throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        byte[] tar = switch (kind) {
            case "gnu" -> Fixtures.gnuTar(src, "gnu");
            case "posix" -> Fixtures.gnuTar(src, "posix", "--xattrs", "--xattrs-include=*");
            default -> Fixtures.run(src, "busybox", "tar", "-cf", "-", ".");
        };
        assertRoundTrip(tar, WhiteoutFormat.overlay());
        assertRoundTrip(tar, WhiteoutFormat.deleting());
    }

    @Test
    void duplicateEntriesFromTarAppend() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("a"), "first version, longer than the second");
        Path tarFile = dir.resolve("dup.tar");
        Fixtures.run(src, "tar", "-cf", tarFile.toString(), "a");
        Files.writeString(src.resolve("a"), "second");
        Fixtures.run(src, "tar", "-rf", tarFile.toString(), "a");
        byte[] tar = Files.readAllBytes(tarFile);
        Path layer = dir.resolve("layer");
        ApplyResult r = Fixtures.apply(tar, layer, WhiteoutFormat.overlay());
        assertThat(layer.resolve("a")).hasContent("second");
        assertThat(Fixtures.reassemble(r, layer)).isEqualTo(tar);
    }

    @Test
    void contentGoneFromDiskIsInlined() throws Exception {
        byte[] tar = new RawTar()
                .file("overwritten", "v1")
                .file("overwritten", "v2")
                .file("deleted", "gone soon")
                .file(".wh.deleted", "")
                .file("becomes-dir", "was a file")
                .add(h("becomes-dir/").type('5').mode(0755))
                .file("dir/a", "under a dir that is replaced")
                .file("dir/b/c", "deeper")
                .file("dir", "now a file")
                .file("linked", "shared")
                .hardlink("alias", "linked")
                .file(".wh.linked", "")
                .add(h("whiteout-with-content/.wh.x").content("payload of a marker"))
                .file("keep", "kept")
                .bytes();
        assertRoundTrip(tar, WhiteoutFormat.deleting());
        assertRoundTrip(tar, WhiteoutFormat.overlay());
    }

    @Test
    void opaqueDeletionInlinesOnlyOlderContent() throws Exception {
        Path layer = Files.createDirectories(dir.resolve("layer"));
        Files.createDirectories(layer.resolve("d"));
        Files.writeString(layer.resolve("d/lower"), "from the parent layer");
        byte[] tar = new RawTar().file("d/mine", "mine").file("d/.wh..wh..opq", "").file("d/later", "later").bytes();
        ApplyResult r = Fixtures.apply(tar, layer, WhiteoutFormat.deleting());
        assertThat(layer.resolve("d/lower")).doesNotExist();
        assertThat(Fixtures.reassemble(r, layer)).isEqualTo(tar);
    }

    @Test
    void refusesChangedContentAndSymlinkedPaths() throws Exception {
        byte[] tar = new RawTar().file("dir/f", "original").bytes();
        Path layer = dir.resolve("layer");
        ApplyResult r = Fixtures.apply(tar, layer, WhiteoutFormat.overlay());
        Files.writeString(layer.resolve("dir/f"), "ORIGINAL");
        assertThatThrownBy(() -> Fixtures.reassemble(r, layer)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("\"dir/f\"").hasMessageContaining("changed");

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("f"), "original");
        Files.delete(layer.resolve("dir/f"));
        Files.delete(layer.resolve("dir"));
        Files.createSymbolicLink(layer.resolve("dir"), elsewhere);
        assertThatThrownBy(() -> Fixtures.reassemble(r, layer)).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("\"dir/f\"").hasMessageContaining("symlink");
    }

    @Test
    void rejectsForeignData() {
        assertThatThrownBy(() -> TarSplit.reassemble(new java.io.ByteArrayInputStream("hello".getBytes()), dir,
                new ByteArrayOutputStream())).isInstanceOf(ArchiveException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> TarSplit.reassemble(new java.io.ByteArrayInputStream(new byte[] {'S', 'T', 'S', 'P', 9}), dir,
                new ByteArrayOutputStream())).isInstanceOf(ArchiveException.class).hasMessageContaining("version 9");
    }
}
