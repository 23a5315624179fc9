package dev.strata.archive;

import dev.strata.sys.Linux;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A dry run of extracting a copy's archive into an existing directory ({@link LayerApplier#check}): the same
 * refusals as {@link LayerApplier#apply} in copy mode, decided from the archive's headers and from lstat of the
 * target, without writing. What the archive itself creates, replaces or turns into a symlink is tracked by name.
 */
final class CopyCheck {
    static final String NON_DIR_OVER_DIR = "cannot overwrite a directory with a non-directory";
    static final String DIR_OVER_NON_DIR = "cannot overwrite a non-directory with a directory";

    private enum Kind { MISSING, DIRECTORY, SYMLINK, OTHER }

    private final Path base;
    private final boolean privileged;
    private final Map<String, Kind> known = new HashMap<>();

    private CopyCheck(Path base, boolean privileged) {
        this.base = base;
        this.privileged = privileged;
        known.put("", Kind.DIRECTORY);
    }

    static void check(InputStream tar, Path target, boolean privileged) throws IOException {
        int fd = Linux.openAt(Linux.AT_FDCWD, target.toAbsolutePath().toString(), Linux.O_RDONLY | Linux.O_DIRECTORY, 0);
        try {
            CopyCheck check = new CopyCheck(Path.of("/proc/self/fd/" + fd), privileged);
            TarReader reader = new TarReader(tar);
            for (TarEntry e = reader.next().orElse(null); e != null; e = reader.next().orElse(null)) {
                reader.content().transferTo(OutputStream.nullOutputStream()); // a truncated archive fails here
                check.entry(e);
            }
        } finally {
            Linux.close(fd);
        }
    }

    private void entry(TarEntry e) throws IOException {
        String rel = LayerApplier.cleanName(e.name());
        if (rel.isEmpty()) {
            if (e.type() != TarEntry.Type.DIRECTORY) {
                throw ArchiveException.clash(e.name(), NON_DIR_OVER_DIR);
            }
            return;
        }
        int slash = rel.lastIndexOf('/');
        String parent = slash < 0 ? "" : rel.substring(0, slash);
        if ((e.type() == TarEntry.Type.CHAR_DEVICE || e.type() == TarEntry.Type.BLOCK_DEVICE) && !privileged) {
            return; // skipped by apply without touching anything
        }
        directories(e, parent);
        Kind existing = kind(rel);
        Kind becomes = switch (e.type()) {
            case DIRECTORY -> {
                if (existing == Kind.SYMLINK || existing == Kind.OTHER) {
                    throw ArchiveException.clash(e.name(), DIR_OVER_NON_DIR);
                }
                yield Kind.DIRECTORY;
            }
            case SYMLINK -> {
                LayerApplier.checkSymlinkTarget(e, parent, true);
                yield Kind.SYMLINK;
            }
            case HARDLINK -> hardlinkTarget(e, rel);
            case FILE, CHAR_DEVICE, BLOCK_DEVICE, FIFO -> Kind.OTHER;
        };
        if (existing == Kind.DIRECTORY && becomes != Kind.DIRECTORY) {
            throw ArchiveException.clash(e.name(), NON_DIR_OVER_DIR);
        }
        known.put(rel, becomes);
    }

    /** Every directory on the way to an entry must be one (apply creates the missing ones). */
    private void directories(TarEntry e, String parent) throws IOException {
        if (parent.isEmpty()) {
            return;
        }
        int from = 0;
        while (true) {
            int slash = parent.indexOf('/', from);
            String dir = slash < 0 ? parent : parent.substring(0, slash);
            switch (kind(dir)) {
                case DIRECTORY -> {
                }
                case MISSING -> known.put(dir, Kind.DIRECTORY);
                case SYMLINK -> throw ArchiveException.entry(e.name(), "parent path \"" + dir
                        + "\" is a symlink; refusing to write through it");
                case OTHER -> throw ArchiveException.entry(e.name(), "parent path \"" + dir + "\" is not a directory");
            }
            if (slash < 0) {
                return;
            }
            from = slash + 1;
        }
    }

    /** What a hardlink entry links to must exist (in the target or the archive), reached through directories only. */
    private Kind hardlinkTarget(TarEntry e, String rel) throws IOException {
        String target = LayerApplier.hardlinkTarget(e);
        int from = 0;
        for (int slash = target.indexOf('/'); slash >= 0; slash = target.indexOf('/', from)) {
            String dir = target.substring(0, slash);
            Kind k = kind(dir);
            if (k == Kind.SYMLINK) {
                throw ArchiveException.entry(e.name(), "hardlink target \"" + e.linkName() + "\" goes through a symlink");
            }
            if (k != Kind.DIRECTORY) {
                throw ArchiveException.entry(e.name(), "hardlink target \"" + e.linkName() + "\" does not exist");
            }
            from = slash + 1;
        }
        Kind k = kind(target);
        if (k == Kind.MISSING) {
            throw ArchiveException.entry(e.name(), "hardlink target \"" + e.linkName() + "\" does not exist");
        }
        if (k == Kind.DIRECTORY) {
            throw ArchiveException.entry(e.name(), "hardlink target \"" + e.linkName() + "\" is a directory");
        }
        return target.equals(rel) ? kind(rel) : k;
    }

    /** What is at {@code rel} now, as far as this check knows; every directory above it is a directory. */
    private Kind kind(String rel) throws IOException {
        Kind k = known.get(rel);
        if (k != null) {
            return k;
        }
        try {
            FileInfo info = FileInfo.of(base.resolve(rel));
            k = info.isDirectory() ? Kind.DIRECTORY : info.isSymlink() ? Kind.SYMLINK : Kind.OTHER;
        } catch (NoSuchFileException missing) {
            k = Kind.MISSING;
        }
        known.put(rel, k);
        return k;
    }
}
