package dev.strata.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The files Docker puts in every container's {@code -init} layer, so that the runtime has somewhere to mount
 * {@code /proc}, {@code /sys}, the generated {@code /etc/hosts} and so on, whatever the image has. Whatever
 * is in the way (a symlink, a file where a directory must be) is replaced, as Docker does.
 */
public final class InitLayer {
    private enum Kind {
        DIR, FILE, LINK
    }

    private record Entry(String path, Kind kind, String target) {
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("dev/pts", Kind.DIR, null),
            new Entry("dev/shm", Kind.DIR, null),
            new Entry("proc", Kind.DIR, null),
            new Entry("sys", Kind.DIR, null),
            new Entry(".dockerenv", Kind.FILE, null),
            new Entry("etc/resolv.conf", Kind.FILE, null),
            new Entry("etc/hosts", Kind.FILE, null),
            new Entry("etc/hostname", Kind.FILE, null),
            new Entry("dev/console", Kind.FILE, null),
            new Entry("etc/mtab", Kind.LINK, "/proc/mounts"));

    private InitLayer() {
    }

    /** Paths the init layer owns, as {@code diff} would name them. */
    static List<String> paths() {
        return ENTRIES.stream().map(e -> "/" + e.path()).toList();
    }

    /** Creates the entries in {@code root}, the init layer's mounted view. */
    public static void populate(Path root) throws IOException {
        for (Entry e : ENTRIES) {
            String[] parts = e.path().split("/");
            Path p = root;
            for (int i = 0; i < parts.length - 1; i++) {
                p = p.resolve(parts[i]);
                if (Files.isSymbolicLink(p) || (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                    Files.delete(p);
                }
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                }
            }
            Path target = root.resolve(e.path());
            switch (e.kind()) {
                case DIR -> {
                    if (Files.isSymbolicLink(target) || (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))) {
                        Files.delete(target);
                    }
                    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(target);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
                case FILE -> {
                    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        continue; // an image with a directory here keeps it; the runtime mounts over it
                    }
                    Files.deleteIfExists(target);
                    Files.createFile(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                case LINK -> {
                    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.target()));
                }
            }
        }
    }
}
