package dev.strata.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount table of this process's mount namespace, from {@code /proc/self/mountinfo}. */
public final class Mounts {
    private Mounts() {
    }

    /** Mount points at or below {@code dir}, deepest first (the order to unmount them in). */
    public static List<Path> under(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = unescape(line.split(" ", 6)[4]);
            if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                out.add(Path.of(point));
            }
        }
        out.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        return out;
    }

    public static boolean isMountPoint(Path dir) throws IOException {
        String p = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (unescape(line.split(" ", 6)[4]).equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal {@code \040} and so on. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
