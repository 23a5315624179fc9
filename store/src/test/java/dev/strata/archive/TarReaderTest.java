package dev.strata.archive;

import static dev.strata.archive.RawTar.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarReaderTest {
    @TempDir
    Path dir;

    /** Reads everything, returning entries by name and checking that raw bytes + contents give back the archive. */
    static Map<String, TarEntry> readAll(byte[] tar, Map<String, byte[]> contents) throws IOException {
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        Map<String, TarEntry> entries = new LinkedHashMap<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar), (b, off, len) -> rebuilt.write(b, off, len))) {
            for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
                byte[] content = r.content().readAllBytes();
                rebuilt.writeBytes(content);
                entries.put(e.get().name(), e.get());
                contents.put(e.get().name(), content);
            }
            assertThat(r.offset()).isEqualTo(tar.length);
        }
        assertThat(rebuilt.toByteArray()).as("raw sink + contents rebuild the archive").isEqualTo(tar);
        return entries;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix", "ustar", "oldgnu"})
    void readsGnuTarFormats(String format) throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        byte[] tar = format.equals("ustar")
                ? Fixtures.run(src, "tar", "--format=ustar", "--numeric-owner", "-cf", "-", "etc", "usr", "dev", "tmp", "bin")
                : Fixtures.gnuTar(src, format, "--xattrs", "--xattrs-include=*");
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, TarEntry> entries = readAll(tar, contents);
        String prefix = format.equals("ustar") ? "" : "./";
        TarEntry su = entries.get(prefix + "usr/bin/su");
        TarEntry suLink = entries.get(prefix + "usr/bin/su-hardlink");
        // GNU tar stores whichever name it meets first (directory order) and links the other to it.
        TarEntry stored = su.type() == TarEntry.Type.FILE ? su : suLink;
        TarEntry linked = stored == su ? suLink : su;
        assertThat(stored.type()).isEqualTo(TarEntry.Type.FILE);
        assertThat(stored.mode()).isEqualTo(04755);
        assertThat(linked.type()).isEqualTo(TarEntry.Type.HARDLINK);
        assertThat(linked.linkName()).isEqualTo(stored.name());
        TarEntry wall = entries.get(prefix + "usr/bin/wall");
        assertThat(wall.mode()).isEqualTo(02755);
        assertThat(wall.gid()).isEqualTo(5);
        assertThat(contents.get(prefix + "usr/bin/big")).hasSize(3 * 1024 * 1024 + 17);
        assertThat(entries.get(prefix + "bin").linkName()).isEqualTo("usr/bin");
        TarEntry nul = entries.get(prefix + "dev/null");
        assertThat(nul.type()).isEqualTo(TarEntry.Type.CHAR_DEVICE);
        assertThat(nul.devMajor()).isEqualTo(1);
        assertThat(nul.devMinor()).isEqualTo(3);
        assertThat(entries.get(prefix + "dev/sda").type()).isEqualTo(TarEntry.Type.BLOCK_DEVICE);
        assertThat(entries.get(prefix + "dev/initctl").type()).isEqualTo(TarEntry.Type.FIFO);
        assertThat(entries.get(prefix + "tmp/").mode()).isEqualTo(01777);
        assertThat(entries.get(prefix + "etc/passwd").mtime()).isEqualTo(Instant.ofEpochSecond(1_600_000_000L));
        if (!format.equals("ustar")) {
            assertThat(entries).containsKey("./" + TreeFixture.LONG_NAME);
            assertThat(entries).containsKey("./" + TreeFixture.VERY_LONG_NAME);
            assertThat(contents.get("./" + TreeFixture.VERY_LONG_NAME)).asString().isEqualTo("very long");
        }
        if (format.equals("posix")) {
            assertThat(entries.get("./etc/hostname").xattrs()).containsKey("user.comment");
            assertThat(entries.get("./etc/hostname").xattrs().get("user.comment")).asString().isEqualTo("hello");
            assertThat(stored.xattrs().get("security.capability")).isEqualTo(TreeFixture.capability());
        }
    }

    @Test
    void readsBusyboxAndV7Tars() throws Exception {
        Path src = dir.resolve("src");
        TreeFixture.populate(src);
        byte[] busybox = Fixtures.run(src, "busybox", "tar", "-cf", "-", "etc", "usr", "home", TreeFixture.LONG_NAME);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, TarEntry> entries = readAll(busybox, contents);
        assertThat(entries).containsKeys("etc/hostname", "usr/bin/big", TreeFixture.LONG_NAME);
        assertThat(entries.get("home/user/.profile").uid()).isEqualTo(1000);

        byte[] v7 = Fixtures.run(src, "tar", "--format=v7", "-cf", "-", "etc", "usr/bin/su");
        entries = readAll(v7, new LinkedHashMap<>());
        assertThat(entries.get("etc/").type()).isEqualTo(TarEntry.Type.DIRECTORY);
        assertThat(entries.get("etc/passwd").type()).isEqualTo(TarEntry.Type.FILE);
    }

    @Test
    void paxOverridesAndGlobalHeaders() throws Exception {
        byte[] global = "30 mtime=1234567890.123456789\n".getBytes(StandardCharsets.UTF_8);
        RawTar t = new RawTar()
                .add(h("PaxGlobal").type('g').content(global))
                .add(h("short").content("abc").pax("path", "a/much/longer/name").pax("uid", "3000000000")
                        .xattr("user.x", new byte[] {0, 1, 2, '\n', '='}))
                .add(h("second").content("z"));
        Map<String, byte[]> contents = new LinkedHashMap<>();
        Map<String, TarEntry> entries = readAll(t.bytes(), contents);
        TarEntry e = entries.get("a/much/longer/name");
        assertThat(e.uid()).isEqualTo(3_000_000_000L);
        assertThat(e.xattrs().get("user.x")).containsExactly(0, 1, 2, '\n', '=');
        assertThat(e.mtime()).isEqualTo(Instant.ofEpochSecond(1234567890L, 123456789));
        assertThat(entries.get("second").mtime()).isEqualTo(Instant.ofEpochSecond(1234567890L, 123456789));
        assertThat(contents.get("a/much/longer/name")).asString().isEqualTo("abc");
    }

    @Test
    void base256NumbersAndTrailingGarbage() throws Exception {
        RawTar t = new RawTar().file("x", "1");
        byte[] tar = t.bytes();
        // uid 0x80 00..01 00 00 00 00 (base-256 = 2^32) is too big for Linux; 0x80 + 2000000 is fine
        byte[] field = new byte[8];
        field[0] = (byte) 0x80;
        long big = 2_000_000_000L;
        for (int i = 7; i > 0; i--) {
            field[i] = (byte) big;
            big >>= 8;
        }
        System.arraycopy(field, 0, tar, 108, 8);
        fixChecksum(tar, 0);
        byte[] withTrailer = java.util.Arrays.copyOf(tar, tar.length + 10240 + 7);
        withTrailer[withTrailer.length - 1] = 'G';
        Map<String, TarEntry> entries = readAll(withTrailer, new LinkedHashMap<>());
        assertThat(entries.get("x").uid()).isEqualTo(2_000_000_000L);
    }

    @Test
    void corruptHeadersNameTheEntryOrOffset() {
        byte[] bad = new RawTar().add(h("evil").content("x")).bytes();
        bad[148] = '1'; // break the checksum
        assertThatThrownBy(() -> readAll(bad, new LinkedHashMap<>())).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("\"evil\"").hasMessageContaining("checksum");

        byte[] truncated = java.util.Arrays.copyOf(new RawTar().file("t", "x".repeat(2000)).bytes(), 1000);
        assertThatThrownBy(() -> readAll(truncated, new LinkedHashMap<>())).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("\"t\"").hasMessageContaining("truncated");

        byte[] halfHeader = java.util.Arrays.copyOf(new RawTar().file("a", "x").bytes(), 1024 + 100);
        halfHeader[1024] = 'b';
        assertThatThrownBy(() -> readAll(halfHeader, new LinkedHashMap<>())).isInstanceOf(ArchiveException.class)
                .hasMessageContaining("byte 1024");

        RawTar.Header junk = h("junk").content("x");
        junk.sizeText = "12x4";
        assertThatThrownBy(() -> readAll(new RawTar().add(junk).bytes(), new LinkedHashMap<>()))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("\"junk\"").hasMessageContaining("size");

        assertThatThrownBy(() -> readAll(new RawTar().add(h("sparse").type('S')).bytes(), new LinkedHashMap<>()))
                .hasMessageContaining("\"sparse\"").hasMessageContaining("sparse");
        assertThatThrownBy(() -> readAll(new RawTar().add(h("vol").type('V')).bytes(), new LinkedHashMap<>()))
                .hasMessageContaining("\"vol\"").hasMessageContaining("unsupported tar entry type 'V'");
        assertThatThrownBy(() -> readAll(new RawTar().add(h("p").content("x").pax("GNU.sparse.major", "1")).bytes(),
                new LinkedHashMap<>())).hasMessageContaining("\"p\"").hasMessageContaining("sparse");

        RawTar.Header huge = h("huge").type('x');
        huge.sizeField = 077777777777L;
        assertThatThrownBy(() -> readAll(new RawTar().add(huge).bytes(), new LinkedHashMap<>()))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("extended header");
    }

    @Test
    void endWithoutZeroBlocksIsAccepted() throws Exception {
        byte[] tar = new RawTar().file("a", "x").bytesWithoutEnd();
        assertThat(readAll(tar, new LinkedHashMap<>())).containsKey("a");
    }

    @Test
    void unreadContentGoesToTheSink() throws Exception {
        byte[] tar = new RawTar().file("a", "hello").file("b", "world").bytes();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar), (b, off, len) -> sink.write(b, off, len))) {
            for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
                names.add(e.get().name());
            }
        }
        assertThat(names).containsExactly("a", "b");
        assertThat(sink.toByteArray()).isEqualTo(tar);
    }

    static void fixChecksum(byte[] tar, int offset) {
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : tar[offset + i] & 0xff;
        }
        byte[] d = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, 0, tar, offset + 148, 6);
        tar[offset + 154] = 0;
        tar[offset + 155] = ' ';
    }
}
