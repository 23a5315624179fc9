package dev.strata.archive;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * How deletions are represented in a layer directory. In a layer tar they are always AUFS-style entries:
 * {@code .wh.<name>} deletes {@code <name>}, and {@code <dir>/.wh..wh..opq} hides everything the lower layers
 * had in {@code <dir>}. What applying them means depends on the storage driver, and the writer needs to
 * recognise the driver's own markers to turn them back into tar entries.
 */
public sealed interface WhiteoutFormat permits WhiteoutFormat.Deleting, WhiteoutFormat.Overlay {
    /** Prefix of a whiteout entry's name in a layer tar. */
    String WHITEOUT_PREFIX = ".wh.";
    /** Prefix of AUFS metadata names; only {@link #OPAQUE_MARKER} among them means something to Strata. */
    String META_PREFIX = ".wh..wh.";
    /** Name of the entry that makes its directory opaque. */
    String OPAQUE_MARKER = ".wh..wh..opq";

    /** For drivers whose layer dir is a full copy of its parent (vfs): whiteouts delete, opaque dirs are emptied. */
    static WhiteoutFormat deleting() {
        return new Deleting();
    }

    /** For overlayfs diff dirs: whiteouts become 0/0 character devices, opaque dirs get trusted.overlay.opaque=y. */
    static WhiteoutFormat overlay() {
        return new Overlay();
    }

    /** True when {@code path} itself (not followed) is this format's mark of a deleted file. */
    boolean isWhiteout(Path path) throws IOException;

    /** True when directory {@code dir} is marked as hiding everything below it in lower layers. */
    boolean isOpaque(Path dir) throws IOException;

    /** vfs: deletions leave no trace in the layer directory, so there is nothing to recognise. */
    record Deleting() implements WhiteoutFormat {
        @Override
        public boolean isWhiteout(Path path) {
            return false;
        }

        @Override
        public boolean isOpaque(Path dir) {
            return false;
        }
    }

    /** overlayfs: the kernel's own whiteout and opaque-directory markers. */
    record Overlay() implements WhiteoutFormat {
        static final String OPAQUE_XATTR = "trusted.overlay.opaque";
        static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

        @Override
        public boolean isWhiteout(Path path) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            return isWhiteout((Integer) a.get("mode"), (Long) a.get("rdev"));
        }

        static boolean isWhiteout(int mode, long rdev) {
            return (mode & Linux.S_IFMT) == Linux.S_IFCHR && rdev == 0;
        }

        @Override
        public boolean isOpaque(Path dir) throws IOException {
            return Linux.getXattr(dir, OPAQUE_XATTR).map(v -> Arrays.equals(v, "y".getBytes(StandardCharsets.US_ASCII)))
                    .orElse(false);
        }
    }
}
