package dev.strata.engine.container;

import static dev.strata.testing.StoreAssertions.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.archive.Change;
import dev.strata.archive.TarEntry;
import dev.strata.archive.TarReader;
import dev.strata.archive.TarWriter;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.image.ImportOptions;
import dev.strata.error.BadContentException;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.testing.TarFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cp} both ways through a container's union view, on real mounts, with docker cp's rules: what goes where,
 * owners and modes, symlinks resolved inside the container (hostile ones too), tar streams, and what {@code diff}
 * shows afterwards.
 */
@ParameterizedClass
@ValueSource(strings = {"overlay2", "vfs"})
class ContainerCopyTest {
    static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n";
    static final String SECRET_NAME = "strata-cp-test-secret-" + Long.toHexString(new java.util.Random().nextLong());
    /** A path no host has: what the hostile symlinks aim at, which must never appear on the host. */
    static final Path HOST_SECRET = Path.of("/" + SECRET_NAME);

    @Parameter
    String driver;
    @TempDir
    Path work;
    Strata strata;
    ContainerCopy cp;
    Path host;

    @BeforeEach
    void open() throws Exception {
        strata = Strata.open(new StrataOptions(work.resolve("root"), Optional.of(driver), m -> { }));
        cp = strata.containers().copy();
        Path tree = TarFixtures.tree(work.resolve("image"), Map.of(
                "bin/sh", "#!fake shell\n",
                "etc/passwd", PASSWD,
                "etc/hosts", "127.0.0.1 from-the-image\n",
                "usr/share/data/a.txt", "lower content\n",
                "tmp/", "",
                "srv/", ""));
        try (InputStream in = Files.newInputStream(TarFixtures.tar(tree, work.resolve("image.tar")))) {
            strata.images().importImage(in, new ImportOptions(Optional.of("base:1"), List.of("CMD [\"/bin/sh\"]"), Optional.empty(), "-"));
        }
        strata.containers().create(CreateOptions.of("base:1").withName("box"));

        host = TarFixtures.tree(work.resolve("host"), Map.of(
                "file.txt", "host file\n",
                "dir/a.txt", "a\n",
                "dir/sub/b.txt", "b\n"));
        Files.createSymbolicLink(host.resolve("link"), Path.of("file.txt"));
        try (Stream<Path> s = Files.walk(host)) {
            for (Path p : s.toList()) {
                Files.setAttribute(p, "unix:uid", 1234, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", 1234, LinkOption.NOFOLLOW_LINKS);
            }
        }
        Files.setPosixFilePermissions(host.resolve("file.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(host.resolve("dir"), PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(HOST_SECRET).as("this host has no " + HOST_SECRET + " for the hostile-symlink tests to create").doesNotExist();
    }

    @AfterEach
    void close() throws Exception {
        for (ContainerSummary c : strata.containers().views().list(true, false)) {
            strata.containers().unmount(c.id());
        }
        strata.close();
        assertThat(HOST_SECRET).as("nothing ever lands on the host's " + HOST_SECRET).doesNotExist();
    }

    // ---- helpers ----

    long copy(String src, String dst) throws IOException, StrataException {
        return cp.copy(src, dst, CopyOptions.defaults(), InputStream.nullInputStream(), OutputStream.nullOutputStream());
    }

    long copy(String src, String dst, CopyOptions options) throws IOException, StrataException {
        return cp.copy(src, dst, options, InputStream.nullInputStream(), OutputStream.nullOutputStream());
    }

    String h(String rel) {
        return host.resolve(rel).toString();
    }

    Path view() throws IOException, StrataException {
        return strata.containers().mount("box");
    }

    List<String> diff() throws IOException, StrataException {
        return strata.containers().diff("box").stream().map(Change::toString).toList();
    }

    static int uid(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    static int gid(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    /** A tar of {@code name -> content} files ("/"-ending names: directories), each owned by 55:56. */
    static byte[] tar(String... namesAndContents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        for (int i = 0; i < namesAndContents.length; i += 2) {
            String name = namesAndContents[i];
            byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
            boolean dir = name.endsWith("/");
            w.writeHeader(new TarWriter.Header(name, (byte) (dir ? '5' : '0'), dir ? 0755 : 0644, 55, 56, dir ? 0 : content.length,
                    1_700_000_000L, "", 0, 0, new TreeMap<>()));
            if (!dir) {
                out.write(content);
                w.pad(content.length);
            }
        }
        w.finish();
        return out.toByteArray();
    }

    /** Entry name to "type uid:gid content-or-link" of a tar. */
    static Map<String, String> read(byte[] tar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
            for (TarEntry e = r.next().orElse(null); e != null; e = r.next().orElse(null)) {
                String what = switch (e.type()) {
                    case FILE -> new String(r.content().readAllBytes(), StandardCharsets.UTF_8);
                    case SYMLINK, HARDLINK -> "-> " + e.linkName();
                    default -> "";
                };
                out.put(e.name(), e.type() + " " + e.uid() + ":" + e.gid() + (what.isEmpty() ? "" : " " + what));
            }
        }
        return out;
    }

    byte[] archive(String path, CopyOptions options) throws IOException, StrataException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cp.copy("box:" + path, "-", options, InputStream.nullInputStream(), out);
        return out.toByteArray();
    }

    void extract(byte[] tar, String dir, CopyOptions options) throws IOException, StrataException {
        cp.copy("-", "box:" + dir, options, new ByteArrayInputStream(tar), OutputStream.nullOutputStream());
    }

    // ---- into the container ----

    @Test
    void aFileToAMissingPathIsCreatedAsThatFileOwnedByRoot() throws Exception {
        assertThat(copy(h("file.txt"), "box:/tmp/new.txt")).isEqualTo(10);
        if (driver.equals("overlay2")) {
            assertThat(strata.store().driver().isMounted(strata.containers().find("box").id()))
                    .as("the copy released the mount it took").isFalse();
        }
        Path f = view().resolve("tmp/new.txt");
        assertThat(f).hasContent("host file");
        assertThat(mode(f)).isEqualTo(0640);
        assertThat(uid(f)).isZero();
        assertThat(gid(f)).isZero();
        assertThat(diff()).containsExactly("C /tmp", "A /tmp/new.txt");
    }

    @Test
    void aFileOverAnExistingFileReplacesIt() throws Exception {
        copy(h("file.txt"), "box:/etc/hosts");
        assertThat(view().resolve("etc/hosts")).hasContent("host file");
        assertThat(diff()).containsExactly("C /etc", "C /etc/hosts");
    }

    @Test
    void aFileIntoAnExistingDirectoryKeepsItsName() throws Exception {
        copy(h("file.txt"), "box:/tmp");
        copy(h("file.txt"), "box:srv/");
        assertThat(view().resolve("tmp/file.txt")).hasContent("host file");
        assertThat(view().resolve("srv/file.txt")).hasContent("host file");
        assertThat(diff()).containsExactly("C /srv", "A /srv/file.txt", "C /tmp", "A /tmp/file.txt");
    }

    @Test
    void aFileToADirectoryThatDoesNotExistIsAnError() throws Exception {
        assertThatThrownBy(() -> copy(h("file.txt"), "box:/tmp/nope/")).isInstanceOf(NotFoundException.class)
                .hasMessage("destination directory does not exist: box:/tmp/nope/");
        assertThatThrownBy(() -> copy(h("file.txt"), "box:/nope/file.txt")).isInstanceOf(NotFoundException.class)
                .hasMessage("Could not find the file /nope in container box");
        assertThatThrownBy(() -> copy(h("file.txt"), "box:/etc/passwd/")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("not a directory: box:/etc/passwd/");
        assertThat(diff()).isEmpty();
    }

    @Test
    void aDirectoryToAMissingPathIsCreatedWithItsContents() throws Exception {
        assertThat(copy(h("dir"), "box:/srv/app")).isEqualTo(4);
        copy(h("dir"), "box:/srv/app2/"); // a trailing slash is fine for a directory source
        Path app = view().resolve("srv/app");
        assertThat(app.resolve("a.txt")).hasContent("a");
        assertThat(app.resolve("sub/b.txt")).hasContent("b");
        assertThat(mode(app)).isEqualTo(0750);
        assertThat(view().resolve("srv/app2/sub/b.txt")).hasContent("b");
        assertThat(diff()).containsExactly("C /srv", "A /srv/app", "A /srv/app/a.txt", "A /srv/app/sub", "A /srv/app/sub/b.txt",
                "A /srv/app2", "A /srv/app2/a.txt", "A /srv/app2/sub", "A /srv/app2/sub/b.txt");
    }

    @Test
    void aDirectoryIntoAnExistingDirectoryKeepsItsName() throws Exception {
        copy(h("dir"), "box:/srv");
        assertThat(view().resolve("srv/dir/sub/b.txt")).hasContent("b");
        assertThat(diff()).containsExactly("C /srv", "A /srv/dir", "A /srv/dir/a.txt", "A /srv/dir/sub", "A /srv/dir/sub/b.txt");
    }

    @Test
    void slashDotCopiesTheContentsOfADirectory() throws Exception {
        copy(h("dir") + "/.", "box:/srv");
        copy(h("dir") + "/.", "box:/tmp/fresh");
        assertThat(entries(view().resolve("srv"))).containsExactly("a.txt", "sub");
        assertThat(mode(view().resolve("srv"))).as("an existing directory keeps its mode").isEqualTo(0755);
        assertThat(view().resolve("tmp/fresh/sub/b.txt")).hasContent("b");
        assertThat(diff()).containsExactly("C /srv", "A /srv/a.txt", "A /srv/sub", "A /srv/sub/b.txt", "C /tmp", "A /tmp/fresh",
                "A /tmp/fresh/a.txt", "A /tmp/fresh/sub", "A /tmp/fresh/sub/b.txt");
    }

    @Test
    void aDirectoryOverAFileIsAnError() throws Exception {
        assertThatThrownBy(() -> copy(h("dir"), "box:/etc/passwd")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("cannot copy a directory to a file");
        assertThat(view().resolve("etc/passwd")).hasContent(PASSWD.strip());
        assertThat(diff()).isEmpty();
    }

    @Test
    void archiveModeKeepsOwnersAndModesAreAlwaysKept() throws Exception {
        copy(h("dir"), "box:/srv", CopyOptions.defaults().withArchive());
        copy(h("file.txt"), "box:/srv", CopyOptions.defaults().withArchive());
        copy(h("dir"), "box:/tmp");
        for (String p : List.of("srv/dir", "srv/dir/a.txt", "srv/dir/sub/b.txt", "srv/file.txt")) {
            assertThat(uid(view().resolve(p))).as(p).isEqualTo(1234);
            assertThat(gid(view().resolve(p))).as(p).isEqualTo(1234);
        }
        for (String p : List.of("tmp/dir", "tmp/dir/a.txt", "tmp/dir/sub/b.txt")) {
            assertThat(uid(view().resolve(p))).as(p).isZero();
            assertThat(gid(view().resolve(p))).as(p).isZero();
        }
        assertThat(mode(view().resolve("srv/file.txt"))).isEqualTo(0640);
        assertThat(mode(view().resolve("tmp/dir"))).isEqualTo(0750);
    }

    @Test
    void aSymlinkSourceIsCopiedAsALinkUnlessFollowed() throws Exception {
        copy(h("link"), "box:/tmp");
        copy(h("link"), "box:/srv", CopyOptions.defaults().withFollowLink());
        assertThat(Files.readSymbolicLink(view().resolve("tmp/link"))).isEqualTo(Path.of("file.txt"));
        assertThat(Files.isRegularFile(view().resolve("srv/link"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(view().resolve("srv/link")).hasContent("host file");
        assertThat(diff()).containsExactly("C /srv", "A /srv/link", "C /tmp", "A /tmp/link");
    }

    @Test
    void aSymlinkDestinationMeansWhereItLeadsInsideTheContainer() throws Exception {
        Files.createSymbolicLink(view().resolve("srv/to-tmp"), Path.of("/tmp"));
        Files.createSymbolicLink(view().resolve("srv/new-name"), Path.of("../tmp/renamed.txt"));
        copy(h("file.txt"), "box:/srv/to-tmp");
        copy(h("file.txt"), "box:/srv/new-name");
        assertThat(view().resolve("tmp/file.txt")).hasContent("host file");
        assertThat(view().resolve("tmp/renamed.txt")).hasContent("host file");
        assertThat(Files.isSymbolicLink(view().resolve("srv/new-name"))).isTrue();
    }

    @Test
    void aFailedCopyInLeavesNothingBehind() throws Exception {
        // "aaa.txt" comes first in the archive and is fine; "bin" is a file where the container has a directory.
        Path clash = TarFixtures.tree(work.resolve("clash"), Map.of("aaa.txt", "first\n", "bin", "not a dir\n"));
        assertThatThrownBy(() -> copy(clash + "/.", "box:/")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("\"./bin\"").hasMessageContaining("cannot overwrite a directory with a non-directory");
        assertThat(view().resolve("aaa.txt")).doesNotExist();
        assertThat(diff()).isEmpty();
        assertThat(entries(work.resolve("root/ingest"))).as("the spooled archive is gone").isEmpty();
    }

    // ---- tar streams ----

    @Test
    void aTarFromStdinIsExtractedIntoADirectoryOwnedByRootUnlessArchiveMode() throws Exception {
        extract(tar("d/", "", "d/x.txt", "x\n", "y.txt", "y\n"), "/srv", CopyOptions.defaults());
        extract(tar("z.txt", "z\n"), "/tmp", CopyOptions.defaults().withArchive());
        assertThat(view().resolve("srv/d/x.txt")).hasContent("x");
        assertThat(uid(view().resolve("srv/d/x.txt"))).isZero();
        assertThat(uid(view().resolve("tmp/z.txt"))).isEqualTo(55);
        assertThat(gid(view().resolve("tmp/z.txt"))).isEqualTo(56);
        assertThat(diff()).containsExactly("C /srv", "A /srv/d", "A /srv/d/x.txt", "A /srv/y.txt", "C /tmp", "A /tmp/z.txt");

        assertThatThrownBy(() -> extract(tar("a", "a"), "/etc/passwd", CopyOptions.defaults()))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("destination \"box:/etc/passwd\" must be a directory");
        assertThatThrownBy(() -> extract(tar("a", "a"), "/nope", CopyOptions.defaults()))
                .isInstanceOf(NotFoundException.class).hasMessage("Could not find the file /nope in container box");
    }

    @Test
    void aBrokenOrHostileTarFromStdinWritesNothing() throws Exception {
        byte[] good = tar("good.txt", "fine\n");
        byte[] truncated = Arrays.copyOf(tar("good.txt", "fine\n", "cut.txt", "y".repeat(4000)), 2048);
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("truncated", truncated);
        bad.put("climbing out", concat(good, tar("../escape.txt", "x")));
        bad.put("absolute", concat(good, tar("/abs.txt", "x")));
        bad.put("a file over a directory", concat(good, tar("etc", "x")));
        bad.put("a hardlink to nothing", concat(good, hardlink("h", "missing")));
        for (Map.Entry<String, byte[]> b : bad.entrySet()) {
            assertThatThrownBy(() -> extract(b.getValue(), "/", CopyOptions.defaults())).as(b.getKey())
                    .isInstanceOfAny(BadContentException.class, ConflictException.class)
                    .hasMessageStartingWith("cannot copy to box:/: ");
            assertThat(diff()).as(b.getKey()).isEmpty();
        }
        assertThat(work.resolve("escape.txt")).doesNotExist();
    }

    /** {@code a} with its two end blocks cut off, then {@code b}. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length - 1024 + b.length);
        System.arraycopy(b, 0, out, a.length - 1024, b.length);
        return out;
    }

    static byte[] hardlink(String name, String target) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        w.writeHeader(new TarWriter.Header(name, (byte) '1', 0644, 0, 0, 0, 0, target, 0, 0, new TreeMap<>()));
        w.finish();
        return out.toByteArray();
    }

    @Test
    void aTarOfAContainerPathGoesToStdoutWithTheContainersOwners() throws Exception {
        Files.setAttribute(view().resolve("etc/hosts"), "unix:uid", 77);
        strata.containers().unmount("box");
        assertThat(read(archive("/etc/passwd", CopyOptions.defaults()))).containsExactly(Map.entry("passwd", "FILE 0:0 " + PASSWD));
        assertThat(read(archive("usr/share", CopyOptions.defaults())).keySet()).containsExactly("share/", "share/data/",
                "share/data/a.txt");
        assertThat(read(archive("/usr/share/.", CopyOptions.defaults())).keySet()).containsExactly("./", "./data/", "./data/a.txt");
        assertThat(read(archive("etc", CopyOptions.defaults())).get("etc/hosts")).isEqualTo("FILE 77:0"); // empty: the init layer's
        // etc/mtab -> /proc/mounts comes with every container (the init layer).
        assertThat(read(archive("/etc/mtab", CopyOptions.defaults()))).containsExactly(Map.entry("mtab", "SYMLINK 0:0 -> /proc/mounts"));
        Files.createSymbolicLink(view().resolve("srv/pw"), Path.of("../etc/passwd"));
        assertThat(read(archive("/srv/pw", CopyOptions.defaults().withFollowLink())))
                .as("-L: what the link points to, under the link's name").containsExactly(Map.entry("pw", "FILE 0:0 " + PASSWD));
        assertThat(read(archive("/", CopyOptions.defaults())).keySet()).contains("./", "./etc/", "./etc/passwd", "./.dockerenv");
    }

    @Test
    void statSaysWhatAPathIs() throws Exception {
        PathStat mtab = cp.stat("box", "/etc/mtab");
        assertThat(mtab.isSymlink()).isTrue();
        assertThat(mtab.name()).isEqualTo("mtab");
        assertThat(mtab.linkTarget()).isEqualTo("/proc/mounts");
        assertThat(cp.stat("box", "etc/").isDirectory()).isTrue();
        assertThat(cp.stat("box", "/etc/passwd").size()).isEqualTo(PASSWD.length());
        assertThat(cp.stat("box", "/").name()).isEqualTo("/");
    }

    // ---- out of the container ----

    @Test
    void copyOutFollowsTheSameRules() throws Exception {
        Path out = Files.createDirectories(work.resolve("out"));
        copy("box:/etc/passwd", out.resolve("new.txt").toString());
        assertThat(out.resolve("new.txt")).hasContent(PASSWD.strip());
        Files.writeString(out.resolve("existing.txt"), "old");
        copy("box:/etc/passwd", out.resolve("existing.txt").toString());
        assertThat(out.resolve("existing.txt")).hasContent(PASSWD.strip());
        copy("box:/etc/passwd", out.toString());
        assertThat(out.resolve("passwd")).hasContent(PASSWD.strip());
        assertThatThrownBy(() -> copy("box:/etc/passwd", out.resolve("nope") + "/")).isInstanceOf(NotFoundException.class)
                .hasMessage("destination directory does not exist: " + out.resolve("nope") + "/");

        copy("box:/usr/share", out.resolve("share-copy").toString());
        assertThat(out.resolve("share-copy/data/a.txt")).hasContent("lower content");
        copy("box:/usr/share", out.toString());
        assertThat(out.resolve("share/data/a.txt")).hasContent("lower content");
        Path contents = Files.createDirectories(work.resolve("contents"));
        copy("box:/usr/share/.", contents.toString());
        assertThat(entries(contents)).containsExactly("data");
        assertThatThrownBy(() -> copy("box:/usr/share", out.resolve("new.txt").toString())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("cannot copy a directory to a file");
        assertThat(diff()).as("copying out changes nothing in the container").isEmpty();
    }

    @Test
    void copyOutBelongsToTheCallerUnlessArchiveMode() throws Exception {
        Path f = view().resolve("srv/owned.txt");
        Files.writeString(f, "owned\n");
        Files.setAttribute(f, "unix:uid", 77);
        Files.setAttribute(f, "unix:gid", 78);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        strata.containers().unmount("box");
        Path out = Files.createDirectories(work.resolve("out"));
        copy("box:/srv/owned.txt", out.resolve("plain").toString());
        copy("box:/srv/owned.txt", out.resolve("archived").toString(), CopyOptions.defaults().withArchive());
        assertThat(uid(out.resolve("plain"))).isZero(); // the tests run as root
        assertThat(uid(out.resolve("archived"))).isEqualTo(77);
        assertThat(gid(out.resolve("archived"))).isEqualTo(78);
        assertThat(mode(out.resolve("plain"))).isEqualTo(0600);
    }

    @Test
    void aSymlinkInTheContainerIsCopiedOutAsALinkUnlessFollowed() throws Exception {
        Files.createSymbolicLink(view().resolve("srv/pw"), Path.of("/etc/passwd"));
        Path out = Files.createDirectories(work.resolve("out"));
        copy("box:/srv/pw", out.toString());
        assertThat(Files.readSymbolicLink(out.resolve("pw"))).isEqualTo(Path.of("/etc/passwd"));
        copy("box:/srv/pw", out.resolve("followed").toString(), CopyOptions.defaults().withFollowLink());
        assertThat(Files.isSymbolicLink(out.resolve("followed"))).isFalse();
        assertThat(out.resolve("followed")).hasContent(PASSWD.strip()); // the container's passwd, not the host's
    }

    @Test
    void missingThingsAreNamed() throws Exception {
        assertThatThrownBy(() -> copy("box:/nope", work.toString())).isInstanceOf(NotFoundException.class)
                .hasMessage("Could not find the file /nope in container box");
        assertThatThrownBy(() -> copy("box:/nope/deeper", work.toString())).isInstanceOf(NotFoundException.class)
                .hasMessage("Could not find the file /nope/deeper in container box");
        assertThatThrownBy(() -> copy(h("nope"), "box:/tmp")).isInstanceOf(NotFoundException.class)
                .hasMessage("Could not find the local file " + h("nope"));
        assertThatThrownBy(() -> copy(h("file.txt"), "ghost:/tmp")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such container: ghost");
        assertThatThrownBy(() -> copy("box:/etc/passwd", work.resolve("no/such/dir/x").toString())).isInstanceOf(NotFoundException.class)
                .hasMessage("Could not find the local file /" + work.getRoot().relativize(work.resolve("no")));
    }

    @Test
    void argumentsNameOneContainerAsDockerDoes() throws Exception {
        assertThatThrownBy(() -> copy(h("file.txt"), work.toString())).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("must specify at least one container source");
        assertThatThrownBy(() -> copy("box:/etc", "box:/tmp")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("copying between containers is not supported");
        assertThatThrownBy(() -> copy("", "box:/tmp")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("source can not be empty");
        assertThatThrownBy(() -> copy("-", work.toString())).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("must specify at least one container source");
        assertThat(ContainerCopy.Endpoint.parse("box:/etc")).isEqualTo(new ContainerCopy.Endpoint(Optional.of("box"), "/etc"));
        assertThat(ContainerCopy.Endpoint.parse("box:")).isEqualTo(new ContainerCopy.Endpoint(Optional.of("box"), ""));
        assertThat(ContainerCopy.Endpoint.parse("/a:b")).isEqualTo(new ContainerCopy.Endpoint(Optional.empty(), "/a:b"));
        assertThat(ContainerCopy.Endpoint.parse("./a:b")).isEqualTo(new ContainerCopy.Endpoint(Optional.empty(), "./a:b"));
        assertThat(ContainerCopy.Endpoint.parse("plain")).isEqualTo(new ContainerCopy.Endpoint(Optional.empty(), "plain"));
        // "box:" is the container's root.
        copy(h("file.txt"), "box:");
        assertThat(view().resolve("file.txt")).hasContent("host file");
    }

    @Test
    void theMountIsReleasedOnlyIfTheCopyTookIt() throws Exception {
        String layer = strata.containers().find("box").id(); // its writable layer's directory
        copy(h("file.txt"), "box:/tmp");
        archive("/tmp/file.txt", CopyOptions.defaults());
        assertThat(strata.store().driver().isMounted(layer)).isFalse();
        Path mounted = view();
        copy(h("dir"), "box:/tmp");
        assertThat(strata.store().driver().isMounted(layer)).isEqualTo(driver.equals("overlay2"));
        assertThat(mounted.resolve("tmp/dir/a.txt")).hasContent("a");
    }

    // ---- hostile symlinks in the container ----

    @Test
    void hostileSymlinksInTheContainerNeverLeadOntoTheHost() throws Exception {
        Path view = view();
        Files.createSymbolicLink(view.resolve("etc/x"), HOST_SECRET);
        Files.createSymbolicLink(view.resolve("dir"), Path.of("../../.."));
        // Where /dir would lead if the host resolved it: out of the container, into the store or beyond.
        Path hostSideOfDir = view.resolve("dir").toRealPath();
        assertThat(hostSideOfDir.startsWith(view)).isFalse();
        List<String> hostSideBefore = entries(hostSideOfDir);
        strata.containers().unmount("box");

        copy(h("file.txt"), "box:/dir/file");
        copy(h("file.txt"), "box:/etc/x");
        copy(h("dir"), "box:/dir/etc/");
        assertThat(view().resolve("file")).as("/dir is the container's root").hasContent("host file");
        assertThat(view().resolve(SECRET_NAME)).as("/etc/x leads to the container's " + HOST_SECRET).hasContent("host file");
        assertThat(view().resolve("etc/dir/sub/b.txt")).hasContent("b");
        assertThat(Files.isSymbolicLink(view().resolve("etc/x"))).isTrue();
        assertThat(entries(hostSideOfDir)).isEqualTo(hostSideBefore);

        // A directory copied to /dir would replace the symlink /dir with a directory: refused, as Docker does.
        assertThatThrownBy(() -> copy(h("dir"), "box:/")).isInstanceOf(ConflictException.class);
        // A tar that writes through the symlink is refused whole; one that replaces it replaces just the link.
        assertThatThrownBy(() -> extract(tar("ok.txt", "ok", "dir/pwned", "x"), "/", CopyOptions.defaults()))
                .isInstanceOf(BadContentException.class).hasMessageContaining("\"dir/pwned\"").hasMessageContaining("symlink");
        assertThat(view().resolve("ok.txt")).doesNotExist();
        extract(tar("x", "replaced\n"), "/etc", CopyOptions.defaults());
        assertThat(Files.isRegularFile(view().resolve("etc/x"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(entries(hostSideOfDir)).isEqualTo(hostSideBefore);

        // Out of the container: the container's files, never the host's.
        Path out = Files.createDirectories(work.resolve("out"));
        copy("box:/dir/etc/passwd", out.resolve("passwd").toString());
        assertThat(out.resolve("passwd")).hasContent(PASSWD.strip());
        Files.delete(view().resolve("etc/x"));
        Files.createSymbolicLink(view().resolve("etc/x"), HOST_SECRET);
        Files.delete(view().resolve(SECRET_NAME));
        strata.containers().unmount("box");
        assertThatThrownBy(() -> copy("box:/etc/x", out.resolve("secret").toString(), CopyOptions.defaults().withFollowLink()))
                .isInstanceOf(NotFoundException.class);
        Files.writeString(view().resolve(SECRET_NAME), "inside\n");
        copy("box:/etc/x", out.resolve("secret").toString(), CopyOptions.defaults().withFollowLink());
        assertThat(out.resolve("secret")).hasContent("inside");
        assertThat(read(archive("/dir/dir/dir/etc/x", CopyOptions.defaults().withFollowLink())))
                .containsExactly(Map.entry("x", "FILE 0:0 inside\n"));
    }
}
