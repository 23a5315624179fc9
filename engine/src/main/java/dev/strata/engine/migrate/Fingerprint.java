package dev.strata.engine.migrate;

import dev.strata.digest.Digester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a layer's checksum depends on, cheaply: the bytes of its {@code json}, the state of its
 * {@code tar-data.json.gz}, and the lstat of every file of its layer directory (path, type and mode, owner, size,
 * mtime in nanoseconds, inode), plus, for drivers that keep full trees, the parent's fingerprint. Link count and
 * ctime are left out on purpose: hard-linking a file into the Strata store changes both without changing the
 * layer. A file rewritten in place keeps its inode but gets a new mtime; one replaced gets a new inode.
 */
final class Fingerprint {
    private static final String ATTRS = "unix:mode,uid,gid,size,lastModifiedTime,ino";

    private Fingerprint() {
    }

    static String of(Path graphDir, Path layerDir, Optional<String> parentFingerprint) throws IOException {
        Digester d = new Digester();
        byte[] json = Files.readAllBytes(graphDir.resolve("json"));
        update(d, "json " + json.length + "\n");
        d.update(json, 0, json.length);
        Path tarData = graphDir.resolve(LegacyTars.TAR_DATA);
        if (Files.exists(tarData, LinkOption.NOFOLLOW_LINKS)) {
            update(d, "tar-data " + stat(tarData) + "\n");
        }
        parentFingerprint.ifPresent(p -> update(d, "parent " + p + "\n"));
        walk(d, layerDir, "");
        return d.digest().hex();
    }

    private static void walk(Digester d, Path dir, String rel) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        for (String name : names) {
            Path p = dir.resolve(name);
            String path = rel + "/" + name;
            Map<String, Object> a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
            update(d, path + "\0" + line(a) + "\n");
            if ((((Integer) a.get("mode")) & 0170000) == 0040000) {
                walk(d, p, path);
            }
        }
    }

    private static String stat(Path p) throws IOException {
        return line(Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS));
    }

    private static String line(Map<String, Object> a) {
        FileTime t = (FileTime) a.get("lastModifiedTime");
        java.time.Instant i = t.toInstant();
        return Integer.toOctalString((Integer) a.get("mode")) + " " + a.get("uid") + ":" + a.get("gid") + " " + a.get("size") + " "
                + i.getEpochSecond() + "." + i.getNano() + " " + a.get("ino");
    }

    private static void update(Digester d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(b, 0, b.length);
    }
}
