package dev.strata.driver;

import dev.strata.archive.WhiteoutFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Answers "does this path exist in the union of these lower layers?" by reading their diff dirs the way
 * overlayfs would, without mounting: the top layer wins, a whiteout hides the path in every layer below, a file
 * hides whatever lies under its name below, and an opaque directory hides the rest of its subtree below.
 */
final class OverlayLowers {
    private final List<Path> lowers;

    /** {@code lowers} are diff dirs, top first. */
    OverlayLowers(List<Path> lowers) {
        this.lowers = lowers;
    }

    /** {@code path} is a container path such as {@code /etc/hosts}. */
    boolean exists(String path) throws IOException {
        String[] parts = path.replaceAll("^/+", "").split("/");
        for (Path lower : lowers) {
            Path p = lower;
            boolean opaqueAbove = false;
            for (int i = 0; i < parts.length; i++) {
                p = p.resolve(parts[i]);
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException e) {
                    a = null;
                }
                if (a == null) {
                    if (opaqueAbove) {
                        return false; // an opaque dir in this layer hides the layers below
                    }
                    break; // look in the next layer down
                }
                if (WhiteoutFormat.overlay().isWhiteout(p)) {
                    return false;
                }
                if (i == parts.length - 1) {
                    return true;
                }
                if (!a.isDirectory()) {
                    return false; // a file or symlink here hides the rest of the path below
                }
                if (WhiteoutFormat.overlay().isOpaque(p)) {
                    opaqueAbove = true;
                }
            }
        }
        return false;
    }
}
