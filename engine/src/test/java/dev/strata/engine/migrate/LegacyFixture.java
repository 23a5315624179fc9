package dev.strata.engine.migrate;

import dev.strata.archive.TarWriter;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.sys.Linux;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes realistic Docker ≤ 1.9 data directories for aufs, overlay (the old driver) and vfs, the way Docker 1.9 left
 * them: {@code graph/<id>/} with {@code json}, {@code layersize}, {@code checksum} and (for most layers) a
 * {@code tar-data.json.gz} in vbatts/tar-split's format, encoded here from the tar as it is written;
 * {@code repositories-<driver>} with tags and digests; the driver's layer directories; and a stopped container
 * whose writable layer has an added, a changed and a deleted file. The images share base layers, and the layers
 * have whiteouts, an opaque directory, hard links, symlinks and empty (metadata-only) layers.
 *
 * <p>The containers have volumes and bind mounts in both of Docker's forms. {@code legacy_web} is a Docker 1.9
 * container ({@code MountPoints}): the named volume {@code webdata} at {@code /data}, an anonymous volume at
 * {@code /cache}, a Docker 1.6 volume that 1.8 took over (its {@code volumes/<id>/_data} a symbolic link to
 * {@code <old root>/vfs/dir/<id>}, which does not resolve, as after a move of the root) read-only at
 * {@code /old}, and a read-only bind of {@code <root>-host/conf} at {@code /conf}. {@code legacy_old} is a Docker 1.6
 * container ({@code Volumes}/{@code VolumesRW}) of the same root: that 1.6 volume at {@code /data}, read-write, and a
 * read-only bind of {@code <root>-host/srv}. (A real root would not hold both forms, since a 1.7+ daemon rewrote every
 * container's config at start; one root keeps the fixture small and shows the shared volume.)
 *
 * <p>{@link Scale} sets how much data there is: a few KB for tests, about 2 GB for the measurement.
 */
public final class LegacyFixture {
    static final long MTIME = 1_445_000_000L;

    /** One tar entry of a layer. */
    public record Entry(String path, char kind, byte[] content, long contentSize, long seed, String link, int mode) {
        static Entry dir(String p) {
            return new Entry(p, 'd', null, 0, 0, "", 0755);
        }

        static Entry file(String p, String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            return new Entry(p, 'f', b, b.length, 0, "", 0644);
        }

        /** A file of {@code size} pseudo-random bytes (generated as written, never held whole). */
        static Entry big(String p, long size, long seed) {
            return new Entry(p, 'f', null, size, seed, "", 0644);
        }

        static Entry executable(String p, byte[] content) {
            return new Entry(p, 'f', content, content.length, 0, "", 0755);
        }

        static Entry symlink(String p, String target) {
            return new Entry(p, 's', null, 0, 0, target, 0777);
        }

        static Entry hardlink(String p, String target) {
            return new Entry(p, 'h', null, 0, 0, target, 0644);
        }

        static Entry whiteout(String deleted) {
            return new Entry(deleted, 'w', null, 0, 0, "", 0644);
        }

        static Entry opaque(String dir) {
            return new Entry(dir, 'o', null, 0, 0, "", 0644);
        }
    }

    /** One v1 image: its layer and its metadata. */
    public record Layer(String id, Optional<String> parent, List<Entry> entries, boolean tarData, String createdBy, long created) {
    }

    /** How big: big files per layer, bytes per big file, and small files (1 to 8 KB) in the base and first app layers. */
    public record Scale(int filesPerLayer, long bigFile, int smallFiles) {
        public static final Scale SMALL = new Scale(6, 3000, 10);
        /** About 2 GB of layer data in 7 images, with some 5,000 small files, for the measurement. */
        public static final Scale TWO_GB = new Scale(36, 8L << 20, 1000);
    }

    /** What was written. */
    public record Written(Path root, Map<String, Layer> layers, Map<String, Digest> tarDataDiffIds, Map<String, Long> sizes,
            Map<String, String> tags, String containerId, long tarBytes, String oldContainerId, Path host) {
        /** The named volume of {@code legacy_web}. */
        public static final String NAMED_VOLUME = "webdata";

        /** The anonymous volume of {@code legacy_web}. */
        public String anonymousVolume() {
            return id("anonymous volume");
        }

        /** The Docker 1.6 volume, {@code legacy_old}'s {@code /data} and {@code legacy_web}'s {@code /old}. */
        public String oldVolume() {
            return id("docker 1.6 volume");
        }
    }

    private final Path root;
    private final LegacyDriver driver;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private final Map<String, Digest> diffIds = new LinkedHashMap<>();
    private final Map<String, Long> sizes = new LinkedHashMap<>();
    private long tarBytes;

    private LegacyFixture(Path root, LegacyDriver driver) {
        this.root = root;
        this.driver = driver;
    }

    public static String id(String name) {
        return Digester.of(("legacy " + name).getBytes(StandardCharsets.UTF_8)).hex();
    }

    /** The host's static busybox as the base's {@code bin/busybox}, so that migrated containers really run. */
    private static Entry hostBusybox() throws IOException {
        try {
            Path busybox = dev.strata.engine.image.BusyboxRootfs.findOrInstallBusybox(new java.io.PrintWriter(java.io.Writer.nullWriter()));
            return Entry.executable("bin/busybox", Files.readAllBytes(busybox));
        } catch (InterruptedException | dev.strata.error.NotFoundException e) {
            throw new IOException("the legacy fixture needs a static busybox (Debian's busybox-static): " + e.getMessage(), e);
        }
    }

    /** The classic set: a base image, and six images on it or on each other, most layers with tar-data. */
    public static Written write(Path root, LegacyDriver driver, Scale scale) throws IOException {
        LegacyFixture f = new LegacyFixture(root, driver);
        Files.createDirectories(root.resolve("graph"));
        String base = id("base"), baseCmd = id("base-cmd");
        List<Entry> baseFiles = new ArrayList<>(List.of(Entry.dir("bin"), Entry.dir("etc"), Entry.dir("usr"), Entry.dir("usr/lib"),
                Entry.dir("var"), Entry.dir("var/cache"), Entry.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                Entry.file("etc/os-release", "NAME=Legacy\n"), Entry.file("var/cache/a", "cached a\n"), Entry.file("var/cache/b", "cached b\n"),
                hostBusybox(), Entry.hardlink("bin/sh", "bin/busybox"), Entry.symlink("bin/ls", "busybox")));
        for (int i = 0; i < scale.filesPerLayer(); i++) {
            baseFiles.add(Entry.big("usr/lib/lib" + i + ".so", scale.bigFile(), 100 + i));
        }
        baseFiles.add(Entry.dir("usr/share"));
        for (int i = 0; i < 2 * scale.smallFiles(); i++) {
            baseFiles.add(Entry.big("usr/share/doc-" + i, 1024 + (i * 977L) % 7168, 50_000 + i));
        }
        f.layer(new Layer(base, Optional.empty(), baseFiles, true, "/bin/sh -c #(nop) ADD file:0123abcd in /", MTIME));
        f.layer(new Layer(baseCmd, Optional.of(base), List.of(), true, "/bin/sh -c #(nop) CMD [\"sh\"]", MTIME + 1));
        String prev = baseCmd;
        String[] apps = {"web", "db", "cache", "worker", "tools", "app"};
        Map<String, String> tops = new LinkedHashMap<>();
        tops.put("base", baseCmd);
        for (int a = 0; a < apps.length; a++) {
            String name = apps[a];
            String parent = a == 5 ? tops.get("web") : baseCmd; // "app" builds on "web"
            String l1 = id(name + "-1"), l2 = id(name + "-2"), l3 = id(name + "-3");
            List<Entry> files = new ArrayList<>(List.of(Entry.dir("opt"), Entry.dir("opt/" + name),
                    Entry.file("opt/" + name + "/README", "the " + name + " image\n"), Entry.whiteout("var/cache/a")));
            for (int i = 0; i < scale.filesPerLayer(); i++) {
                files.add(Entry.big("opt/" + name + "/data" + i, scale.bigFile(), 1000L * (a + 1) + i));
            }
            for (int i = 0; i < scale.smallFiles() / 2; i++) {
                files.add(Entry.big("opt/" + name + "/small-" + i, 1024 + (i * 1231L) % 7168, 100_000L * (a + 1) + i));
            }
            files.add(Entry.hardlink("opt/" + name + "/data0.link", "opt/" + name + "/data0"));
            f.layer(new Layer(l1, Optional.of(parent), files, a != 3,
                    "/bin/sh -c apt-get update && apt-get install -y " + name + " > /dev/null", MTIME + 10 + a));
            f.layer(new Layer(l2, Optional.of(l1), List.of(Entry.dir("var"), Entry.dir("var/cache"), Entry.opaque("var/cache"),
                    Entry.file("var/cache/fresh", "fresh " + name + "\n"), Entry.file("etc/os-release", "NAME=Legacy " + name + "\n")), a % 2 == 0,
                    "/bin/sh -c echo <" + name + "> & configure", MTIME + 20 + a));
            f.layer(new Layer(l3, Optional.of(l2), List.of(), true, "/bin/sh -c #(nop) ENV APP=" + name, MTIME + 30 + a));
            tops.put(name, l3);
            prev = l3;
        }
        // Two metadata-only images on the same parent: equal layers (one ChainID) under different image IDs; the
        // second has a child, whose layer directory was made on top of the one that loses.
        String twinA = id("twin-a"), twinB = id("twin-b"), twinChild = id("twin-child");
        f.layer(new Layer(twinA, Optional.of(baseCmd), List.of(), true, "/bin/sh -c #(nop) LABEL twin=a", MTIME + 40));
        f.layer(new Layer(twinB, Optional.of(baseCmd), List.of(), true, "/bin/sh -c #(nop) LABEL twin=b", MTIME + 41));
        f.layer(new Layer(twinChild, Optional.of(twinB), List.of(Entry.file("twin.txt", "twin\n")), true,
                "/bin/sh -c echo twin > /twin.txt", MTIME + 42));
        tops.put("twin", twinChild);
        Map<String, String> tags = new LinkedHashMap<>();
        StringBuilder repos = new StringBuilder("{\"Repositories\":{");
        boolean first = true;
        for (Map.Entry<String, String> t : tops.entrySet()) {
            String repo = t.getKey().equals("base") ? "legacy/base" : "example.com/" + t.getKey();
            repos.append(first ? "" : ",").append('"').append(repo).append("\":{\"latest\":\"").append(t.getValue()).append("\",\"1.0\":\"")
                    .append(t.getValue()).append('"');
            tags.put(repo + ":latest", t.getValue());
            tags.put(repo + ":1.0", t.getValue());
            if (t.getKey().equals("base")) {
                String digest = "sha256:" + Digester.of("manifest of base".getBytes(StandardCharsets.UTF_8)).hex();
                repos.append(",\"").append(digest).append("\":\"").append(t.getValue()).append('"');
                tags.put(repo + "@" + digest, t.getValue());
            }
            repos.append('}');
            first = false;
        }
        repos.append("}}");
        Files.writeString(root.resolve("repositories-" + driver.dockerName()), repos);
        Path host = root.resolveSibling(root.getFileName() + "-host");
        f.volumes(host);
        String web = id("container web-1");
        String anon = id("anonymous volume"), old = id("docker 1.6 volume");
        f.container(web, "legacy_web", tops.get("web"), "\"Path\":\"sh\",\"Args\":[\"-c\",\"" + WEB_SCRIPT + "\"],"
                + "\"Config\":{\"Hostname\":\"" + web.substring(0, 12) + "\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,"
                + "\"Tty\":false,\"OpenStdin\":false,\"Env\":[\"PATH=/usr/bin:/bin\",\"APP=web\"],\"Cmd\":[\"sh\",\"-c\",\"" + WEB_SCRIPT + "\"],"
                + "\"Image\":\"example.com/web\",\"Volumes\":{\"/cache\":{}},\"WorkingDir\":\"/opt/web\",\"Entrypoint\":null,\"OnBuild\":null,"
                + "\"Labels\":{\"tier\":\"front\"}},"
                + "\"MountPoints\":{"
                + "\"/data\":{\"Name\":\"webdata\",\"Source\":\"/var/lib/docker/volumes/webdata/_data\",\"Destination\":\"/data\","
                + "\"Driver\":\"local\",\"RW\":true,\"Relabel\":\"\",\"Named\":true},"
                + "\"/cache\":{\"Name\":\"" + anon + "\",\"Source\":\"/var/lib/docker/volumes/" + anon + "/_data\",\"Destination\":\"/cache\","
                + "\"Driver\":\"local\",\"RW\":true,\"Relabel\":\"\",\"Named\":false},"
                + "\"/old\":{\"Name\":\"" + old + "\",\"Source\":\"/var/lib/docker/volumes/" + old + "/_data\",\"Destination\":\"/old\","
                + "\"Driver\":\"local\",\"RW\":false,\"Relabel\":\"ro\",\"Named\":true},"
                + "\"/conf\":{\"Name\":\"\",\"Source\":\"" + host.resolve("conf") + "\",\"Destination\":\"/conf\",\"Driver\":\"\","
                + "\"RW\":false,\"Relabel\":\"ro\",\"Named\":false}},"
                // the copies Docker 1.7-1.9 kept for older clients
                + "\"Volumes\":{\"/data\":\"/var/lib/docker/volumes/webdata/_data\",\"/cache\":\"/var/lib/docker/volumes/" + anon + "/_data\","
                + "\"/old\":\"/var/lib/docker/volumes/" + old + "/_data\",\"/conf\":\"" + host.resolve("conf") + "\"},"
                + "\"VolumesRW\":{\"/data\":true,\"/cache\":true,\"/old\":false,\"/conf\":false},",
                "{\"Binds\":[\"" + host.resolve("conf") + ":/conf:ro\",\"webdata:/data\",\"" + old + ":/old:ro\"],\"NetworkMode\":\"default\","
                        + "\"Privileged\":false,\"ReadonlyRootfs\":false}");
        String oldId = id("container old-1");
        f.container(oldId, "legacy_old", tops.get("base"), "\"Path\":\"sh\",\"Args\":[\"-c\",\"" + OLD_SCRIPT + "\"],"
                + "\"Config\":{\"Hostname\":\"" + oldId.substring(0, 12) + "\",\"Env\":[\"PATH=/usr/bin:/bin\"],"
                + "\"Cmd\":[\"sh\",\"-c\",\"" + OLD_SCRIPT + "\"],\"Image\":\"legacy/base\",\"Volumes\":{\"/data\":{}},\"WorkingDir\":\"\"},"
                + "\"Volumes\":{\"/data\":\"/var/lib/docker/vfs/dir/" + old + "\",\"/srv\":\"" + host.resolve("srv") + "\"},"
                + "\"VolumesRW\":{\"/data\":true,\"/srv\":false},",
                "{\"Binds\":[\"" + host.resolve("srv") + ":/srv:ro\"],\"NetworkMode\":\"bridge\",\"Privileged\":false}");
        return new Written(root, f.layers, f.diffIds, f.sizes, tags, web, f.tarBytes, oldId, host);
    }

    // ---- graph/ and the layer tar, tar-data.json.gz ----

    private void layer(Layer l) throws IOException {
        layers.put(l.id(), l);
        Path g = Files.createDirectories(root.resolve("graph").resolve(l.id()));
        long size = l.entries().stream().filter(e -> e.kind() == 'f').mapToLong(Entry::contentSize).sum();
        sizes.put(l.id(), size);
        String json = "{\"id\":\"" + l.id() + "\"" + l.parent().map(p -> ",\"parent\":\"" + p + "\"").orElse("")
                + ",\"created\":\"" + java.time.Instant.ofEpochSecond(l.created(), 123456000) + "\""
                + ",\"container\":\"" + id("container of " + l.id()) + "\""
                + ",\"container_config\":{\"Hostname\":\"4f2c9b1a\",\"Env\":[\"PATH=/usr/bin:/bin\"],\"Cmd\":"
                + jsonArray(List.of("/bin/sh", "-c", l.createdBy().substring("/bin/sh -c ".length()))) + ",\"Image\":\""
                + l.parent().orElse("") + "\",\"Labels\":{}}"
                + ",\"docker_version\":\"1.9.1\",\"author\":\"Legacy Maintainer <ops@example.com>\""
                + ",\"config\":{\"Hostname\":\"4f2c9b1a\",\"Env\":[\"PATH=/usr/bin:/bin\"],\"Cmd\":[\"sh\"],\"Image\":\"\",\"Labels\":{}}"
                + ",\"architecture\":\"amd64\",\"os\":\"linux\",\"Size\":" + size + "}";
        Files.writeString(g.resolve("json"), json);
        Files.writeString(g.resolve("layersize"), Long.toString(size));
        TarSplitEncoder enc = new TarSplitEncoder();
        writeTar(l, enc);
        tarBytes += enc.total;
        if (l.tarData()) {
            Files.write(g.resolve("tar-data.json.gz"), enc.gzipped());
            diffIds.put(l.id(), enc.digest());
        }
        Files.writeString(g.resolve("checksum"), "tarsum.dev+sha256:" + enc.digest().hex());
        materialize(l);
    }

    private static String jsonArray(List<String> items) {
        StringBuilder s = new StringBuilder("[");
        for (String i : items) {
            s.append(s.length() > 1 ? "," : "").append('"').append(i.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return s.append(']').toString();
    }

    private static void writeTar(Layer l, TarSplitEncoder enc) throws IOException {
        TarWriter tar = new TarWriter(enc);
        TreeMap<String, byte[]> none = new TreeMap<>();
        for (Entry e : l.entries()) {
            String name = switch (e.kind()) {
                case 'd' -> e.path() + "/";
                case 'w' -> parentOf(e.path()) + ".wh." + baseOf(e.path());
                case 'o' -> e.path() + "/.wh..wh..opq";
                default -> e.path();
            };
            byte type = switch (e.kind()) {
                case 'd' -> (byte) '5';
                case 's' -> (byte) '2';
                case 'h' -> (byte) '1';
                default -> (byte) '0';
            };
            long size = e.kind() == 'f' ? e.contentSize() : 0;
            long mtime = e.kind() == 'd' ? MTIME : l.created(); // each layer's files are as new as the layer
            tar.writeHeader(new TarWriter.Header(name, type, e.mode(), 0, 0, size, mtime, e.link(), 0, 0, none));
            enc.fileEntry(name, size);
            if (size > 0) {
                writeContent(e, enc);
            }
            enc.endFile();
            tar.pad(size);
        }
        tar.finish();
        enc.finish();
    }

    private static void writeContent(Entry e, OutputStream out) throws IOException {
        if (e.content() != null) {
            out.write(e.content());
            return;
        }
        SplittableRandom r = new SplittableRandom(e.seed());
        byte[] buf = new byte[1 << 16];
        for (long done = 0; done < e.contentSize();) {
            int n = (int) Math.min(buf.length, e.contentSize() - done);
            for (int i = 0; i < n; i += 8) {
                long v = r.nextLong();
                for (int k = 0; k < 8 && i + k < n; k++) {
                    buf[i + k] = (byte) (v >>> (8 * k));
                }
            }
            out.write(buf, 0, n);
            done += n;
        }
    }

    private static String parentOf(String p) {
        int s = p.lastIndexOf('/');
        return s < 0 ? "" : p.substring(0, s + 1);
    }

    private static String baseOf(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /**
     * vbatts/tar-split's packer, for fixtures: the raw bytes between file contents become segment entries, each
     * header's content a file entry with its CRC-64/ISO; hashes the whole tar on the way (the DiffID).
     */
    static final class TarSplitEncoder extends OutputStream {
        private final ByteArrayOutputStream json = new ByteArrayOutputStream();
        private final ByteArrayOutputStream segment = new ByteArrayOutputStream();
        private final Digester digester = new Digester();
        private final Crc64 crc = new Crc64();
        private boolean inContent;
        private String name;
        private long size;
        private int position;
        long total;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digester.update(b, off, len);
            total += len;
            if (inContent) {
                crc.update(b, off, len);
            } else {
                segment.write(b, off, len);
            }
        }

        void fileEntry(String entryName, long entrySize) {
            flushSegment();
            name = entryName;
            size = entrySize;
            crc.reset();
            inContent = true;
        }

        void endFile() {
            inContent = false;
            line("{\"type\":1,\"name\":" + quote(name) + (size > 0 ? ",\"size\":" + size : "") + ",\"payload\":"
                    + (size > 0 ? "\"" + Base64.getEncoder().encodeToString(crc.bytes()) + "\"" : "null") + ",\"position\":" + position++ + "}");
        }

        void finish() {
            flushSegment();
        }

        private void flushSegment() {
            if (segment.size() > 0) {
                line("{\"type\":2,\"payload\":\"" + Base64.getEncoder().encodeToString(segment.toByteArray()) + "\",\"position\":"
                        + position++ + "}");
                segment.reset();
            }
        }

        private void line(String s) {
            json.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            json.write('\n');
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        Digest digest() {
            return digester.digest();
        }

        byte[] gzipped() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                json.writeTo(gz);
            }
            return out.toByteArray();
        }
    }

    // ---- the driver's directories ----

    private void materialize(Layer l) throws IOException {
        switch (driver) {
            case AUFS -> {
                Path dir = Files.createDirectories(root.resolve("aufs/diff").resolve(l.id()));
                Files.createDirectories(root.resolve("aufs/mnt").resolve(l.id()));
                apply(dir, l.entries(), false, l.created());
                // AUFS's own bookkeeping in every branch
                Files.createDirectories(dir.resolve(".wh..wh.plnk"));
                Files.createDirectories(dir.resolve(".wh..wh.orph"));
                Files.writeString(dir.resolve(".wh..wh.aufs"), "");
                fixDirTimes(dir);
                Files.createDirectories(root.resolve("aufs/layers"));
                Files.writeString(root.resolve("aufs/layers").resolve(l.id()), String.join("\n", ancestors(l.parent())));
            }
            case OVERLAY -> {
                Path dir = Files.createDirectories(root.resolve("overlay").resolve(l.id()).resolve("root"));
                if (l.parent().isPresent()) {
                    copyTree(root.resolve("overlay").resolve(l.parent().get()).resolve("root"), dir, true);
                }
                apply(dir, l.entries(), true, l.created());
                fixDirTimes(dir);
            }
            case VFS -> {
                Path dir = Files.createDirectories(root.resolve("vfs/dir").resolve(l.id()));
                if (l.parent().isPresent()) {
                    copyTree(root.resolve("vfs/dir").resolve(l.parent().get()), dir, false);
                }
                apply(dir, l.entries(), true, l.created());
                fixDirTimes(dir);
            }
        }
    }

    private List<String> ancestors(Optional<String> parent) {
        List<String> out = new ArrayList<>();
        for (Optional<String> p = parent; p.isPresent(); p = layers.get(p.get()).parent()) {
            out.add(p.get());
        }
        return out;
    }

    /** Applies entries as Docker's tar extraction did: aufs keeps .wh. files; full trees delete. */
    private static void apply(Path dir, List<Entry> entries, boolean fullTree) throws IOException {
        apply(dir, entries, fullTree, MTIME);
    }

    private static void apply(Path dir, List<Entry> entries, boolean fullTree, long mtime) throws IOException {
        for (Entry e : entries) {
            Path p = dir.resolve(e.path());
            switch (e.kind()) {
                case 'd' -> {
                    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        deleteTree(p);
                        Files.createDirectories(p);
                    }
                    Linux.chmod(p, e.mode());
                }
                case 'f' -> {
                    deleteTree(p);
                    Files.createDirectories(p.getParent());
                    try (OutputStream out = Files.newOutputStream(p)) {
                        writeContent(e, out);
                    }
                    Linux.chmod(p, e.mode());
                    Files.setLastModifiedTime(p, FileTime.from(java.time.Instant.ofEpochSecond(mtime)));
                }
                case 's' -> {
                    deleteTree(p);
                    Files.createSymbolicLink(p, Path.of(e.link()));
                    Linux.setTimes(p, mtime, 0, mtime, 0);
                }
                case 'h' -> {
                    deleteTree(p);
                    Files.createLink(p, dir.resolve(e.link()));
                }
                case 'w' -> {
                    if (fullTree) {
                        deleteTree(p);
                    } else {
                        Path wh = p.resolveSibling(".wh." + p.getFileName());
                        Files.createDirectories(wh.getParent());
                        Files.writeString(wh, "");
                        Linux.chmod(wh, e.mode());
                        Files.setLastModifiedTime(wh, FileTime.from(java.time.Instant.ofEpochSecond(mtime)));
                    }
                }
                case 'o' -> {
                    if (fullTree) {
                        // everything the lower layers had in it goes; what this layer adds comes after
                        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                            for (Path c : ds) {
                                deleteTree(c);
                            }
                        }
                    } else {
                        Path marker = p.resolve(".wh..wh..opq");
                        Files.createDirectories(p);
                        Files.writeString(marker, "");
                        Linux.chmod(marker, e.mode());
                        Files.setLastModifiedTime(marker, FileTime.from(java.time.Instant.ofEpochSecond(mtime)));
                    }
                }
                default -> throw new IllegalArgumentException("kind " + e.kind());
            }
        }
    }

    private static void fixDirTimes(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.setLastModifiedTime(d, FileTime.from(java.time.Instant.ofEpochSecond(MTIME)));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The old overlay driver's copy (hard links for files) or vfs's (real copies). */
    private static void copyTree(Path from, Path to, boolean hardlinks) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Path t = to.resolve(from.relativize(d).toString());
                Files.createDirectories(t);
                Linux.chmod(t, (Integer) Files.getAttribute(d, "unix:mode") & 07777);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Path t = to.resolve(from.relativize(f).toString());
                if (a.isSymbolicLink()) {
                    Files.createSymbolicLink(t, Files.readSymbolicLink(f));
                    Linux.setTimes(t, MTIME, 0, MTIME, 0);
                } else if (hardlinks) {
                    Files.createLink(t, f);
                } else {
                    Object ino = Files.getAttribute(f, "unix:ino");
                    // keep hard links within the tree as hard links
                    Path seen = LINKS.get().get(ino);
                    if (seen != null && (Integer) Files.getAttribute(f, "unix:nlink") > 1) {
                        Files.createLink(t, seen);
                    } else {
                        Files.copy(f, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                        LINKS.get().put(ino, t);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        LINKS.get().clear();
    }

    private static final ThreadLocal<Map<Object, Path>> LINKS = ThreadLocal.withInitial(java.util.HashMap::new);

    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    // ---- volumes, and stopped containers ----

    /** What {@code legacy_web} runs: reads every mount, tries to write the read-only bind, appends to its volume. */
    public static final String WEB_SCRIPT = "echo hi; cat /data/x /data/sub/y /cache/c /old/z /conf/app.conf; "
            + "touch /conf/new 2>/dev/null && echo conf writable || echo conf read-only; echo appended >> /data/x";
    /** What {@code legacy_old} runs. */
    public static final String OLD_SCRIPT = "cat /data/z /srv/s; touch /srv/new 2>/dev/null && echo srv writable || echo srv read-only";

    /** The volumes' files in the legacy root, and the host directories the binds name. */
    private void volumes(Path host) throws IOException {
        Path named = Files.createDirectories(root.resolve("volumes/webdata/_data/sub"));
        Files.writeString(named.resolveSibling("x"), "hello from a named volume\n");
        Files.writeString(named.resolve("y"), "nested\n");
        Linux.chmod(named.resolveSibling("x"), 0640);
        Linux.lchown(named, 1000, 1000);
        Path anon = Files.createDirectories(root.resolve("volumes").resolve(id("anonymous volume")).resolve("_data"));
        Files.writeString(anon.resolve("c"), "anonymous\n");
        // Docker 1.6 kept a volume in vfs/dir/<id> with volumes/<id>/config.json; 1.8 added _data, a link to it.
        String old = id("docker 1.6 volume");
        Path vfs = Files.createDirectories(root.resolve("vfs/dir").resolve(old));
        Files.writeString(vfs.resolve("z"), "from docker 1.6\n");
        Path meta = Files.createDirectories(root.resolve("volumes").resolve(old));
        Files.writeString(meta.resolve("config.json"), "{\"ID\":\"" + old + "\",\"Path\":\"/var/lib/docker/vfs/dir/" + old
                + "\",\"IsBindMount\":false,\"Writable\":true}");
        // The link names the root where the old daemon had it, which is not where this root is now (nor anything).
        Files.createSymbolicLink(meta.resolve("_data"), root.resolveSibling(root.getFileName() + "-before-move/vfs/dir/" + old));
        for (Path p : List.of(named.getParent(), named, anon, vfs)) {
            Files.setLastModifiedTime(p, FileTime.from(java.time.Instant.ofEpochSecond(MTIME)));
        }
        Files.writeString(Files.createDirectories(host.resolve("conf")).resolve("app.conf"), "setting=1\n");
        Files.writeString(Files.createDirectories(host.resolve("srv")).resolve("s"), "served\n");
    }

    /**
     * A stopped container on {@code imageId}: {@code fields} are its config.json's fields besides State, ID, Created,
     * Image, Name and Driver (Path, Args, Config, and its volumes in either form), each followed by a comma.
     */
    private void container(String cid, String name, String imageId, String fields, String hostConfig) throws IOException {
        Path cdir = Files.createDirectories(root.resolve("containers").resolve(cid));
        Files.writeString(cdir.resolve("config.json"), "{\"State\":{\"Running\":false,\"ExitCode\":0,\"FinishedAt\":\"2015-11-10T21:42:41.869265487Z\"},"
                + "\"ID\":\"" + cid + "\",\"Created\":\"2015-11-10T21:42:40.433831551Z\"," + fields
                + "\"Image\":\"" + imageId + "\",\"Name\":\"/" + name + "\",\"Driver\":\"" + driver.dockerName() + "\",\"RestartCount\":0}");
        Files.writeString(cdir.resolve("hostconfig.json"), hostConfig);
        List<Entry> init = List.of(Entry.file(".dockerenv", ""), Entry.file(".dockerinit", ""), Entry.dir("etc"),
                Entry.file("etc/hosts", ""), Entry.file("etc/hostname", ""), Entry.file("etc/resolv.conf", ""),
                Entry.dir("proc"), Entry.dir("sys"), Entry.dir("dev"), Entry.file("dev/console", ""));
        List<Entry> rw = List.of(Entry.dir("opt"), Entry.dir("opt/web"), Entry.file("opt/web/README", "changed by the container\n"),
                Entry.file("opt/web/new.txt", "written in the container\n"), Entry.whiteout("etc/passwd"), Entry.dir("tmp"),
                Entry.file("tmp/log", "log line\n"));
        switch (driver) {
            case AUFS -> {
                Path i = Files.createDirectories(root.resolve("aufs/diff").resolve(cid + "-init"));
                apply(i, init, false);
                Path c = Files.createDirectories(root.resolve("aufs/diff").resolve(cid));
                apply(c, rw, false);
                Files.writeString(root.resolve("aufs/layers").resolve(cid + "-init"), String.join("\n", ancestors(Optional.of(imageId))));
                List<String> anc = new ArrayList<>(List.of(cid + "-init"));
                anc.addAll(ancestors(Optional.of(imageId)));
                Files.writeString(root.resolve("aufs/layers").resolve(cid), String.join("\n", anc));
            }
            case OVERLAY -> {
                Path i = Files.createDirectories(root.resolve("overlay").resolve(cid + "-init"));
                Files.writeString(i.resolve("lower-id"), imageId);
                Files.createDirectories(i.resolve("work"));
                apply(Files.createDirectories(i.resolve("upper")), init, false);
                Path c = Files.createDirectories(root.resolve("overlay").resolve(cid));
                Files.writeString(c.resolve("lower-id"), cid + "-init");
                Files.createDirectories(c.resolve("work"));
                Files.createDirectories(c.resolve("merged"));
                Path upper = Files.createDirectories(c.resolve("upper"));
                apply(upper, rw.stream().filter(e -> e.kind() != 'w').toList(), false);
                Files.createDirectories(upper.resolve("etc"));
                Linux.mknod(upper.resolve("etc/passwd"), Linux.S_IFCHR, 0); // overlayfs whiteout
            }
            case VFS -> {
                Path i = Files.createDirectories(root.resolve("vfs/dir").resolve(cid + "-init"));
                copyTree(root.resolve("vfs/dir").resolve(imageId), i, false);
                apply(i, init, true);
                Path c = Files.createDirectories(root.resolve("vfs/dir").resolve(cid));
                copyTree(i, c, false);
                apply(c, rw, true);
            }
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
