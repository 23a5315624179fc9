package dev.strata.driver;

import dev.strata.sys.Linux;
import dev.strata.sys.LinuxException;
import java.nio.file.Path;

/** Names of file systems by their statfs magic, as Docker's {@code info} shows them ("Backing Filesystem"). */
public final class FileSystems {
    public static final long EXT4 = 0xEF53L;
    public static final long XFS = 0x58465342L;
    public static final long BTRFS = 0x9123683EL;
    public static final long TMPFS = 0x01021994L;
    public static final long OVERLAYFS = 0x794C7630L;
    public static final long ZFS = 0x2FC12FC1L;
    public static final long F2FS = 0xF2F52010L;
    public static final long NFS = 0x6969L;

    private FileSystems() {
    }

    public static String name(Path path) {
        try {
            long magic = Linux.fileSystemType(path);
            if (magic == EXT4) {
                return "extfs";
            } else if (magic == XFS) {
                return "xfs";
            } else if (magic == BTRFS) {
                return "btrfs";
            } else if (magic == TMPFS) {
                return "tmpfs";
            } else if (magic == OVERLAYFS) {
                return "overlayfs";
            } else if (magic == ZFS) {
                return "zfs";
            } else if (magic == F2FS) {
                return "f2fs";
            } else if (magic == NFS) {
                return "nfs";
            }
            return "0x" + Long.toHexString(magic);
        } catch (LinuxException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
