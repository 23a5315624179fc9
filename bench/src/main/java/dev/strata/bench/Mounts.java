package dev.strata.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Mount-table helpers: tmpfs for in-memory runs, and removal of what the engines left mounted. */
final class Mounts {
    private Mounts() {
    }

    /** Mount points at or under {@code dir}, deepest first (from /proc/self/mountinfo). */
    static List<Path> mountsUnder(Path dir) throws BenchException {
        Path abs = dir.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    Path mp = Path.of(unescape(f[4]));
                    if (mp.startsWith(abs)) {
                        found.add(mp);
                    }
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    static boolean isMountPoint(Path dir) throws BenchException {
        Path abs = dir.toAbsolutePath().normalize();
        return mountsUnder(abs).stream().anyMatch(abs::equals);
    }

    static void mountTmpfs(Path dir, String size) throws BenchException {
        Exec.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "strata-bench", dir.toString()))
                .check();
    }

    /**
     * Unmounts everything at or under {@code dir}, deepest first; a busy mount is detached lazily. Podman's
     * overlay driver, for one, bind-mounts its own home onto itself (containers/storage MakePrivate).
     */
    static void unmountUnder(Path dir) throws BenchException {
        for (int round = 0; round < 3; round++) {
            List<Path> mounts = mountsUnder(dir);
            if (mounts.isEmpty()) {
                return;
            }
            for (Path mp : mounts) {
                if (!Exec.run(List.of("umount", mp.toString())).ok()) {
                    Exec.run(List.of("umount", "-l", mp.toString()));
                }
            }
        }
        List<Path> left = mountsUnder(dir);
        if (!left.isEmpty()) {
            throw new BenchException("still mounted under " + dir + ": " + left);
        }
    }

    /** Deletes a directory tree without crossing into mounts (call {@link #unmountUnder} first). */
    static void deleteTree(Path dir) throws BenchException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!mountsUnder(dir).isEmpty()) {
            throw new BenchException("refusing to delete " + dir + ": something is still mounted under it");
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // chattr'ed or odd files: fall back to rm, which reports what it could not remove
            Exec.run(List.of("rm", "-rf", "--one-file-system", dir.toString())).check();
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                String oct = s.substring(i + 1, i + 4);
                if (oct.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
                    b.append((char) Integer.parseInt(oct, 8));
                    i += 3;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
