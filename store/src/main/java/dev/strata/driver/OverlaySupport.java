package dev.strata.driver;

import dev.strata.sys.Linux;
import dev.strata.sys.LinuxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What this kernel's overlayfs can do for Strata, found once per kernel and cached under the driver's home:
 * which of the options that keep an upper dir a faithful diff it knows, whether a rename of a lower directory
 * still leaves a faithful diff with them (Docker's native-diff check), and whether {@code lowerdir+} works.
 */
public record OverlaySupport(List<String> faithfulOptions, boolean nativeDiff, boolean lowerdirPlus) {
    private static final Path PARAMETERS = Path.of("/sys/module/overlay/parameters");

    static OverlaySupport probe(Path home) throws IOException {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        Path cache = home.resolve(".support-" + kernel);
        if (Files.exists(cache)) {
            List<String> lines = Files.readAllLines(cache);
            if (lines.size() == 3) {
                return new OverlaySupport(lines.get(0).isEmpty() ? List.of() : List.of(lines.get(0).split(",")),
                        Boolean.parseBoolean(lines.get(1)), Boolean.parseBoolean(lines.get(2)));
            }
        }
        List<String> options = new ArrayList<>();
        for (String option : List.of("index", "redirect_dir", "metacopy")) {
            if (Files.exists(PARAMETERS.resolve(option))) {
                options.add(option + "=off");
            }
        }
        OverlaySupport support = check(home, options);
        // Several processes may open a new store at once: each writes its own file and renames it into place.
        Path tmp = home.resolve(".support-" + kernel + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.write(tmp, List.of(String.join(",", support.faithfulOptions()), Boolean.toString(support.nativeDiff()),
                Boolean.toString(support.lowerdirPlus())));
        Files.move(tmp, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return support;
    }

    /** Mounts a scratch overlay, renames a lower directory through it, and looks at what the upper dir got. */
    private static OverlaySupport check(Path home, List<String> options) throws IOException {
        Path scratch = Files.createTempDirectory(home, ".probe-");
        try {
            Path lower1 = Files.createDirectories(scratch.resolve("l1/dir"));
            Files.writeString(lower1.resolve("file"), "x");
            Path lower2 = Files.createDirectories(scratch.resolve("l2"));
            Path upper = Files.createDirectories(scratch.resolve("upper"));
            Path work = Files.createDirectories(scratch.resolve("work"));
            Path merged = Files.createDirectories(scratch.resolve("merged"));
            String data = "lowerdir=" + lower2 + ":" + scratch.resolve("l1") + ",upperdir=" + upper + ",workdir=" + work
                    + options.stream().map(o -> "," + o).reduce("", String::concat);
            boolean nativeDiff;
            Linux.mount("overlay", merged, "overlay", 0, data);
            try {
                try {
                    Files.move(merged.resolve("dir"), merged.resolve("renamed"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    // The kernel renamed a lower directory in place: with redirect_dir on it records that in an
                    // xattr, and the upper dir is then no plain diff.
                    nativeDiff = Linux.getXattr(upper.resolve("renamed"), "trusted.overlay.redirect").isEmpty();
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    // EXDEV: redirect_dir is off, so tools copy such directories up; the upper dir stays a diff.
                    nativeDiff = true;
                }
            } finally {
                Linux.umount(merged, Linux.MNT_DETACH);
            }
            boolean plus;
            Path merged2 = Files.createDirectories(scratch.resolve("merged2"));
            try {
                Linux.mountFs("overlay", merged2, List.of(Map.entry("lowerdir+", lower2.toString()),
                        Map.entry("lowerdir+", scratch.resolve("l1").toString())));
                Linux.umount(merged2, Linux.MNT_DETACH);
                plus = true;
            } catch (LinuxException e) {
                plus = false;
            }
            return new OverlaySupport(options, nativeDiff, plus);
        } finally {
            Trees.deleteRecursively(scratch);
        }
    }

    /** True when overlay2 can work here: root, a kernel with overlayfs, and a backing file system it accepts. */
    public static boolean usable(Path storeRoot) {
        if (!Linux.isRoot()) {
            return false;
        }
        try {
            if (Files.readAllLines(Path.of("/proc/filesystems")).stream().noneMatch(l -> l.endsWith("\toverlay"))) {
                return false;
            }
            // The JDK's file store type comes from the mount table: no native call on every start-up.
            Path existing = storeRoot;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            String type = existing == null ? "" : Files.getFileStore(existing).type();
            return !type.equals("overlay") && !type.startsWith("nfs");
        } catch (IOException e) {
            return false;
        }
    }
}
