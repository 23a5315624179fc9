package dev.strata.archive;

import java.time.Instant;
import java.util.Map;

/**
 * One tar entry after PAX, GNU and ustar-prefix resolution.
 *
 * @param name     path as written in the tar (may start with "./" or end with "/")
 * @param mode     permission bits including setuid, setgid and sticky (07777)
 * @param size     content bytes that follow the header (0 for everything but regular files)
 * @param linkName symlink target or hardlink target ("" when neither)
 * @param xattrs   extended attributes from PAX {@code SCHILY.xattr.*} records, name to raw value
 */
public record TarEntry(String name, Type type, int mode, long uid, long gid, long size, Instant mtime, String linkName,
        int devMajor, int devMinor, Map<String, byte[]> xattrs) {

    /** The entry types a layer may contain. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO
    }

    public TarEntry {
        xattrs = Map.copyOf(xattrs);
    }
}
