package dev.strata.archive;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Computes the changes of a layer against its parent, with the semantics of Docker's {@code docker diff}. */
public final class Changes {
    private Changes() {
    }

    /**
     * Naive comparison of two full trees (vfs): a path only in {@code child} is A, only in {@code parent} D, in
     * both but different (type, mode, owner, rdev, symlink target, xattrs; size and mtime for non-directories) C.
     * A directory whose own mtime alone changed is not a change, but a directory with changes inside is C (so its
     * metadata is exported with them), as in moby's pkg/archive/changes.go. Sorted parents-first.
     */
    public static List<Change> between(Path parent, Path child) throws IOException {
        List<Change> out = new ArrayList<>();
        compareDirectories(parent, child, "", out);
        out.sort((a, b) -> PathOrder.COMPARATOR.compare(a.path(), b.path()));
        return out;
    }

    /**
     * Changes recorded in an overlayfs upper dir: a 0/0 character device is D; anything else is C when
     * {@code existsBelow} says the lower layers have that path, else A; an opaque directory is C (A if nothing
     * was below) and everything inside it A. {@code existsBelow} gets container paths such as {@code /etc/hosts}.
     */
    public static List<Change> overlay(Path upper, Predicate<String> existsBelow) throws IOException {
        List<Change> out = new ArrayList<>();
        walkUpper(upper, "", false, existsBelow, out);
        out.sort((a, b) -> PathOrder.COMPARATOR.compare(a.path(), b.path()));
        return out;
    }

    private static void walkUpper(Path dir, String rel, boolean hidden, Predicate<String> existsBelow, List<Change> out)
            throws IOException {
        for (String name : list(dir)) {
            Path p = dir.resolve(name);
            String path = rel + "/" + name;
            FileInfo info = FileInfo.of(p);
            if (info.isOverlayWhiteout()) {
                out.add(new Change(path, Change.Kind.DELETE));
                continue;
            }
            boolean below = !hidden && existsBelow.test(path);
            out.add(new Change(path, below ? Change.Kind.MODIFY : Change.Kind.ADD));
            if (info.isDirectory()) {
                walkUpper(p, path, hidden || WhiteoutFormat.overlay().isOpaque(p), existsBelow, out);
            }
        }
    }

    /** Returns true when something under {@code rel} changed. */
    private static boolean compareDirectories(Path oldDir, Path newDir, String rel, List<Change> out) throws IOException {
        int before = out.size();
        List<String> oldNames = oldDir == null ? List.of() : list(oldDir);
        List<String> newNames = list(newDir);
        Set<String> oldSet = new HashSet<>(oldNames);
        Set<String> newSet = new HashSet<>(newNames);
        for (String name : newNames) {
            String path = rel + "/" + name;
            Path np = newDir.resolve(name);
            FileInfo ni = FileInfo.of(np);
            if (!oldSet.contains(name)) {
                out.add(new Change(path, Change.Kind.ADD));
                if (ni.isDirectory()) {
                    compareDirectories(null, np, path, out);
                }
                continue;
            }
            Path op = oldDir.resolve(name);
            FileInfo oi = FileInfo.of(op);
            boolean changed = differs(oi, op, ni, np);
            if (changed) {
                out.add(new Change(path, Change.Kind.MODIFY));
            }
            if (ni.isDirectory()) {
                // A directory that replaced a non-directory has only additions inside; one that replaced nothing
                // different is compared child by child and reported if anything inside changed.
                boolean inside = compareDirectories(oi.isDirectory() ? op : null, np, path, out);
                if (inside && !changed) {
                    out.add(new Change(path, Change.Kind.MODIFY));
                }
            }
        }
        if (oldDir != null) {
            for (String name : oldNames) {
                if (!newSet.contains(name)) {
                    out.add(new Change(rel + "/" + name, Change.Kind.DELETE));
                }
            }
        }
        return out.size() > before;
    }

    private static boolean differs(FileInfo o, Path op, FileInfo n, Path np) throws IOException {
        if (o.mode() != n.mode() || o.uid() != n.uid() || o.gid() != n.gid() || o.rdev() != n.rdev()) {
            return true;
        }
        // Directory size and mtime change whenever an entry is added or removed: not a change of their own.
        if (!n.isDirectory() && (o.size() != n.size() || !sameTime(o, n))) {
            return true;
        }
        if (n.isSymlink() && !Linux.readlink(op).equals(Linux.readlink(np))) {
            return true;
        }
        return !sameXattrs(xattrs(op), xattrs(np));
    }

    /** Equal, or equal seconds where one side lost its nanoseconds (a tar round trip truncates them), as moby does. */
    private static boolean sameTime(FileInfo o, FileInfo n) {
        return o.mtime().equals(n.mtime()) || (o.mtime().getEpochSecond() == n.mtime().getEpochSecond()
                && (o.mtime().getNano() == 0 || n.mtime().getNano() == 0));
    }

    static Map<String, byte[]> xattrs(Path p) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : Linux.listXattrs(p)) {
            Linux.getXattr(p, name).ifPresent(v -> out.put(name, v));
        }
        return out;
    }

    private static boolean sameXattrs(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>(s.map(p -> p.getFileName().toString()).toList());
            names.sort(PathOrder.COMPARATOR);
            return names;
        }
    }

}
