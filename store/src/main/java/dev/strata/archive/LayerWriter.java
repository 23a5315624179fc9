package dev.strata.archive;

import dev.strata.sys.Linux;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes deterministic layer tars: the same change gives the same bytes, hence the same DiffID. Entries come
 * parents first in {@link PathOrder}, a directory's opaque marker right after the directory; owners are numeric
 * with empty names, mtimes whole seconds; a file with several links in the written set is stored once and then
 * as hardlinks to the first name written. The tar is streamed: only the list of paths is held in memory.
 */
public final class LayerWriter {
    private static final int BUFFER = 1 << 20;
    private static final SortedMap<String, byte[]> NO_XATTRS = new TreeMap<>();

    private LayerWriter() {
    }

    /**
     * Writes every file under {@code root} (not the root itself); in {@link WhiteoutFormat#overlay()} the
     * driver's whiteouts and opaque directories become {@code .wh.} entries.
     */
    public static void write(Path root, WhiteoutFormat format, OutputStream out) throws IOException {
        List<Item> items = new ArrayList<>();
        collect(root, "", format, items);
        writeItems(root, items, out);
    }

    /** Writes the given changes of {@code root} (vfs): A and C as the files now are, D as whiteout entries. */
    public static void write(Path root, List<Change> changes, OutputStream out) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Change c : changes) {
            String rel = LayerApplier.cleanName(c.path().startsWith("/") ? c.path().substring(1) : c.path());
            if (rel.isEmpty()) {
                continue; // the root itself is never part of a layer diff
            }
            items.add(c.kind() == Change.Kind.DELETE ? Item.whiteout(rel) : Item.path(rel));
        }
        writeItems(root, items, out);
    }

    /**
     * Writes one file or directory tree as the archive of a copy ({@code docker cp}), not a layer:
     * {@code dir/name} itself (never followed if it is a symlink) and, when it is a directory, everything below
     * it, with entry names that start with {@code entryName} instead of {@code name}. A {@code name} of "."
     * means {@code dir} itself, and an {@code entryName} of "." gives "./", "./a", ...: the directory's contents.
     * Entries are written as in layer tars: numeric owners, whole-second mtimes, hardlinks within the set, no
     * sockets; there are no whiteouts (the tree is a plain view, such as a container's mounted file system).
     */
    public static void writeCopy(Path dir, String name, String entryName, OutputStream out) throws IOException {
        if (name.isEmpty() || name.contains("/") || entryName.isEmpty() || entryName.startsWith("/")) {
            throw new IllegalArgumentException("a copy is of one name in a directory, as one relative entry name: "
                    + name + " as " + entryName);
        }
        List<Item> items = new ArrayList<>();
        items.add(Item.renamed(name, entryName));
        if (FileInfo.of(dir.resolve(name)).isDirectory()) {
            collectRenamed(dir, name, entryName, items);
        }
        writeItems(dir, items, out);
    }

    /** A tar entry to be: a path of the tree, a whiteout for a deleted path, or a directory's opaque marker. */
    private record Item(String rel, String tarName, byte[] key, Kind kind) {
        enum Kind { PATH, WHITEOUT, OPAQUE }

        static Item path(String rel) {
            return new Item(rel, rel, PathOrder.key(rel), Kind.PATH);
        }

        /** Path {@code rel} of the tree written under another name. */
        static Item renamed(String rel, String tarName) {
            return new Item(rel, tarName, PathOrder.key(tarName), Kind.PATH);
        }

        static Item whiteout(String deleted) {
            int slash = deleted.lastIndexOf('/');
            String name = deleted.substring(0, slash + 1) + WhiteoutFormat.WHITEOUT_PREFIX + deleted.substring(slash + 1);
            return new Item(deleted, name, PathOrder.key(name), Kind.WHITEOUT);
        }

        static Item opaque(String dir) {
            // Sorts right after the directory and before all its children: the key is the dir's key plus a
            // separator and nothing else.
            byte[] dirKey = PathOrder.key(dir);
            byte[] key = java.util.Arrays.copyOf(dirKey, dirKey.length + 1);
            return new Item(dir, dir + "/" + WhiteoutFormat.OPAQUE_MARKER, key, Kind.OPAQUE);
        }
    }

    private static void collect(Path dir, String rel, WhiteoutFormat format, List<Item> items) throws IOException {
        for (String name : Changes.list(dir)) {
            Path p = dir.resolve(name);
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            FileInfo info = FileInfo.of(p);
            if (format instanceof WhiteoutFormat.Overlay && info.isOverlayWhiteout()) {
                items.add(Item.whiteout(childRel));
                continue;
            }
            items.add(Item.path(childRel));
            if (info.isDirectory()) {
                if (format.isOpaque(p)) {
                    items.add(Item.opaque(childRel));
                }
                collect(p, childRel, format, items);
            }
        }
    }

    private static void collectRenamed(Path root, String rel, String tarName, List<Item> items) throws IOException {
        for (String name : Changes.list(root.resolve(rel))) {
            String childRel = rel + "/" + name;
            String childName = tarName + "/" + name;
            items.add(Item.renamed(childRel, childName));
            if (FileInfo.of(root.resolve(childRel)).isDirectory()) {
                collectRenamed(root, childRel, childName, items);
            }
        }
    }

    private static void writeItems(Path root, List<Item> items, OutputStream rawOut) throws IOException {
        items.sort(Comparator.comparing(Item::key, java.util.Arrays::compareUnsigned));
        BufferedOutputStream out = new BufferedOutputStream(new NonClosingOutputStream(rawOut), 1 << 16);
        TarWriter tar = new TarWriter(out);
        Map<String, String> firstLink = new HashMap<>();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        for (Item item : items) {
            if (item.kind() != Item.Kind.PATH) {
                // Whiteouts: empty regular files with fixed metadata, so that deleting the same path always
                // gives the same bytes whatever the driver's own marker looked like.
                tar.writeHeader(new TarWriter.Header(item.tarName(), (byte) '0', 0, 0, 0, 0, 0, "", 0, 0, NO_XATTRS));
                continue;
            }
            writePath(root.resolve(item.rel()), item.tarName(), tar, out, firstLink, buf);
        }
        tar.finish();
        out.flush();
    }

    /** Writes {@code p} as entry {@code rel}, its name in the tar. */
    private static void writePath(Path p, String rel, TarWriter tar, OutputStream out, Map<String, String> firstLink,
            ByteBuffer buf) throws IOException {
        FileInfo info = FileInfo.of(p);
        long mtime = info.mtime().getEpochSecond(); // floor for pre-1970 times too
        int perm = info.mode() & 07777;
        SortedMap<String, byte[]> xattrs = exportedXattrs(p);
        if (!info.isDirectory() && info.nlink() > 1) {
            String key = info.dev() + ":" + info.ino();
            String first = firstLink.putIfAbsent(key, rel);
            if (first != null) {
                tar.writeHeader(new TarWriter.Header(rel, (byte) '1', perm, info.uid(), info.gid(), 0, mtime, first, 0, 0,
                        xattrs));
                return;
            }
        }
        switch (info.type()) {
            case Linux.S_IFDIR -> tar.writeHeader(new TarWriter.Header(rel + "/", (byte) '5', perm, info.uid(), info.gid(), 0,
                    mtime, "", 0, 0, xattrs));
            case Linux.S_IFLNK -> tar.writeHeader(new TarWriter.Header(rel, (byte) '2', perm, info.uid(), info.gid(), 0,
                    mtime, Linux.readlink(p), 0, 0, xattrs));
            case Linux.S_IFCHR, Linux.S_IFBLK -> tar.writeHeader(new TarWriter.Header(rel,
                    (byte) (info.type() == Linux.S_IFCHR ? '3' : '4'), perm, info.uid(), info.gid(), 0, mtime, "",
                    Linux.major(info.rdev()), Linux.minor(info.rdev()), xattrs));
            case Linux.S_IFIFO -> tar.writeHeader(new TarWriter.Header(rel, (byte) '6', perm, info.uid(), info.gid(), 0, mtime,
                    "", 0, 0, xattrs));
            case Linux.S_IFREG -> {
                tar.writeHeader(new TarWriter.Header(rel, (byte) '0', perm, info.uid(), info.gid(), info.size(), mtime, "", 0,
                        0, xattrs));
                copyContent(p, rel, info.size(), out, buf);
                tar.pad(info.size());
            }
            default -> {
                // Sockets: recreated by whoever listens on them, never part of a layer (Docker skips them too).
            }
        }
    }

    private static void copyContent(Path p, String rel, long size, OutputStream out, ByteBuffer buf) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long done = 0;
            while (done < size) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), size - done));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException("\"" + rel + "\" shrank from " + size + " to " + done
                            + " bytes while the layer was being written");
                }
                out.write(buf.array(), 0, n);
                done += n;
            }
        }
    }

    /** All xattrs except overlayfs's own (driver state) and SELinux labels (host policy, relabelled on use). */
    private static SortedMap<String, byte[]> exportedXattrs(Path p) throws IOException {
        SortedMap<String, byte[]> out = null;
        for (String name : Linux.listXattrs(p)) {
            if (name.startsWith(WhiteoutFormat.Overlay.OVERLAY_XATTR_PREFIX) || name.equals("security.selinux")) {
                continue;
            }
            byte[] value = Linux.getXattr(p, name).orElse(null);
            if (value != null) {
                if (out == null) {
                    out = new TreeMap<>(PathOrder.COMPARATOR);
                }
                out.put(name, value);
            }
        }
        return out == null ? NO_XATTRS : out;
    }
}
