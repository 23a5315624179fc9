package dev.strata.archive;

import dev.strata.sys.Errno;
import dev.strata.sys.Linux;
import dev.strata.sys.LinuxException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Applies a layer tar to a directory: the heart of pull, load and import. A hostile archive cannot write outside
 * the target: names are cleaned and must stay under the root, every directory is opened one component at a time
 * with O_NOFOLLOW (so a symlink planted by the archive, or already in the target, is never traversed), and every
 * file is created with an *at call that does not follow its final component. On failure the target is left
 * half-applied; the caller deletes it.
 *
 * <p>The same code extracts the archive of a copy ({@code docker cp}) into an existing directory
 * ({@link ApplyOptions#copy()}); there a failure half-way cannot be undone, so {@link #check} reads the whole
 * archive first and reports what apply would refuse, without writing.
 */
public final class LayerApplier {
    private static final int BUFFER = 1 << 20;

    private LayerApplier() {
    }

    /**
     * Reads a copy's archive ({@link ApplyOptions#copy()}) to its end and throws what {@link #apply} would throw
     * for it on {@code target} as the target is now: a malformed or truncated tar, names that climb out, an
     * entry whose parent is a symlink or not a directory (in the target or made by the archive), a directory
     * where a non-directory is or the other way round ({@link ArchiveException#isClash()}), a hardlink to
     * nothing. Writes nothing. What it cannot foresee are failures of the file system itself (no space left, a
     * read-only file system) and changes made to the target in the meantime.
     */
    public static void check(InputStream uncompressedTar, Path target, ApplyOptions options) throws IOException {
        if (!options.copy()) {
            throw new IllegalArgumentException("only a copy's archive is checked before it is applied");
        }
        CopyCheck.check(uncompressedTar, target, options.privileged());
    }

    /** Applies {@code uncompressedTar} to {@code target}, reading the stream to its end. */
    public static ApplyResult apply(InputStream uncompressedTar, Path target, WhiteoutFormat format, ApplyOptions options)
            throws IOException {
        try (Run run = new Run(target, format, options)) {
            return run.apply(uncompressedTar);
        }
    }

    private record DirMeta(int mode, Instant mtime) {
    }

    private static final class Run implements AutoCloseable {
        private final WhiteoutFormat format;
        private final boolean privileged;
        private final boolean copy;
        private final ApplyOptions.Owner owner;
        private final SafeDirs dirs;
        private final SafeDirs sourceDirs;
        private final boolean hardlinkSource;
        private boolean tryHardlink;
        private boolean tryReflink = true;
        private final TarSplit.Recorder split = new TarSplit.Recorder();
        private final Arena arena = Arena.ofConfined();
        private final byte[] buf = new byte[BUFFER];
        private final MemorySegment nativeBuf = arena.allocate(BUFFER, 4096);
        private final CRC32C crc = new CRC32C();
        // Files whose content the tar-split points at: if one is removed, its content is inlined first.
        private final TreeMap<String, Long> liveFiles = new TreeMap<>();
        // Directory mode and mtime are set at the end: creating children would bump the mtime, and a read-only
        // mode would stop an unprivileged run from creating them.
        private final TreeMap<String, DirMeta> dirMeta = new TreeMap<>();
        // For opaque markers in the deleting format: what this apply created, and every ancestor of it.
        private final Set<String> created = new HashSet<>();
        private final Set<String> ancestors = new HashSet<>();
        private long size;
        private long entries;
        private long skipped;

        Run(Path target, WhiteoutFormat format, ApplyOptions options) throws IOException {
            this.format = format;
            this.privileged = options.privileged();
            this.copy = options.copy();
            this.owner = options.owner().orElse(null);
            this.hardlinkSource = options.linkSource().map(ApplyOptions.LinkSource::hardlink).orElse(false);
            this.tryHardlink = hardlinkSource;
            try {
                this.dirs = new SafeDirs(target);
            } catch (IOException e) {
                arena.close();
                throw e;
            }
            SafeDirs source = null;
            if (options.linkSource().isPresent()) {
                try {
                    source = new SafeDirs(options.linkSource().get().root());
                } catch (IOException e) {
                    dirs.close();
                    arena.close();
                    throw e;
                }
            }
            this.sourceDirs = source;
        }

        ApplyResult apply(InputStream tar) throws IOException {
            TarReader reader = new TarReader(tar, split);
            for (TarEntry e = reader.next().orElse(null); e != null; e = reader.next().orElse(null)) {
                entries++;
                try {
                    apply(e, reader.content());
                } catch (SafeDirs.BadPath bad) {
                    throw ArchiveException.entry(e.name(), switch (bad.errno) {
                        case Errno.ELOOP -> "parent path \"" + bad.path + "\" is a symlink; refusing to write through it";
                        case Errno.ENOTDIR -> "parent path \"" + bad.path + "\" is not a directory";
                        default -> "parent path " + bad.getMessage();
                    });
                } catch (LinuxException le) {
                    throw ArchiveException.entry(e.name(), "cannot apply", le);
                }
            }
            for (Map.Entry<String, DirMeta> d : dirMeta.entrySet()) {
                finishDirectory(d.getKey(), d.getValue());
            }
            return new ApplyResult(size, entries, skipped, split.finish());
        }

        private void apply(TarEntry e, InputStream content) throws IOException {
            String rel = cleanName(e.name());
            int slash = rel.lastIndexOf('/');
            String parent = slash < 0 ? "" : rel.substring(0, slash);
            String base = rel.substring(slash + 1);
            if (!copy && !rel.isEmpty() && isAufsMeta(rel, base)) {
                skipped++; // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): meaningless outside AUFS
                return;
            }
            if (!copy && base.startsWith(WhiteoutFormat.WHITEOUT_PREFIX)) {
                if (base.equals(WhiteoutFormat.OPAQUE_MARKER)) {
                    opaque(e, parent);
                } else {
                    whiteout(e, parent, base.substring(WhiteoutFormat.WHITEOUT_PREFIX.length()));
                }
                return; // any content of a marker entry stays in the tar-split (the reader passes it on)
            }
            if (rel.isEmpty()) {
                if (e.type() != TarEntry.Type.DIRECTORY) {
                    if (copy) {
                        throw ArchiveException.clash(e.name(), CopyCheck.NON_DIR_OVER_DIR);
                    }
                    throw ArchiveException.entry(e.name(), "names the layer root but is not a directory");
                }
                if (copy) {
                    return; // the existing target directory stays as it is (Docker skips "." too)
                }
                if (privileged) {
                    Linux.fchown(dirs.root(), (int) e.uid(), (int) e.gid());
                }
                setXattrs(e, dirs.root(), -1, null);
                dirMeta.put("", new DirMeta(e.mode(), e.mtime()));
                return;
            }
            switch (e.type()) {
                case DIRECTORY -> directory(e, rel, parent, base);
                case FILE -> file(e, rel, parent, base, content);
                case SYMLINK -> symlink(e, rel, parent, base);
                case HARDLINK -> hardlink(e, rel, parent, base);
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> special(e, rel, parent, base);
            }
            markCreated(rel);
        }

        // ---- entry types ----

        private void directory(TarEntry e, String rel, String parent, String base) throws IOException {
            int pfd = dirs.dir(parent, true);
            try {
                Linux.mkdirAt(pfd, base, 0700);
            } catch (LinuxException x) {
                if (x.errno() != Errno.EEXIST) {
                    throw x;
                }
                if (!isDirectory(pfd, base)) {
                    if (copy) {
                        throw ArchiveException.clash(e.name(), CopyCheck.DIR_OVER_NON_DIR);
                    }
                    pfd = removeExisting(parent, base, rel);
                    Linux.mkdirAt(pfd, base, 0700);
                }
                // An existing directory stays: the layer's entry only updates its metadata (Docker merges too).
            }
            ownAndXattrs(e, pfd, base, -1);
            dirMeta.put(rel, new DirMeta(e.mode(), e.mtime()));
        }

        private void file(TarEntry e, String rel, String parent, String base, InputStream content) throws IOException {
            if (sourceDirs != null && e.xattrs().isEmpty() && fromSource(e, rel, parent, base, content)) {
                return;
            }
            int pfd = dirs.dir(parent, true);
            int flags = Linux.O_WRONLY | Linux.O_CREAT | Linux.O_EXCL | Linux.O_NOFOLLOW;
            int fd;
            try {
                fd = Linux.openAt(pfd, base, flags, 0600);
            } catch (LinuxException x) {
                if (x.errno() != Errno.EEXIST) {
                    throw x;
                }
                pfd = replace(e, parent, base, rel, pfd);
                fd = Linux.openAt(pfd, base, flags, 0600);
            }
            try {
                crc.reset();
                long written = 0;
                while (written < e.size()) {
                    int n = content.read(buf, 0, (int) Math.min(buf.length, e.size() - written));
                    if (n < 0) {
                        throw ArchiveException.entry(e.name(), "archive is truncated inside the content");
                    }
                    crc.update(buf, 0, n);
                    MemorySegment.copy(buf, 0, nativeBuf, ValueLayout.JAVA_BYTE, 0, n);
                    Linux.writeFully(fd, nativeBuf, n);
                    written += n;
                }
                // chown before chmod (chown clears setuid/setgid), xattrs after both (chown drops
                // security.capability), times last.
                if (privileged) {
                    Linux.fchown(fd, uid(e), gid(e));
                } else if (uid(e) != 0 || gid(e) != 0) {
                    skipped++;
                }
                Linux.fchmod(fd, e.mode());
                setXattrs(e, fd, -1, null);
                Linux.futimens(fd, e.mtime().getEpochSecond(), e.mtime().getNano());
            } finally {
                Linux.close(fd);
            }
            size += e.size();
            if (e.size() > 0) {
                liveFiles.put(rel, split.file(rel, e.size(), (int) crc.getValue()));
            }
        }

        /**
         * Takes a regular file from the link source (hard link, else reflink) when the source matches the entry;
         * consumes the entry's content from the stream for the tar-split's checksum. False when it did nothing.
         */
        private boolean fromSource(TarEntry e, String rel, String parent, String base, InputStream content) throws IOException {
            if (!tryHardlink && !tryReflink) {
                return false;
            }
            int spfd;
            try {
                spfd = sourceDirs.dir(parent, false);
            } catch (SafeDirs.BadPath | LinuxException missing) {
                return false;
            }
            java.util.Map<String, Object> a;
            try {
                a = java.nio.file.Files.readAttributes(Path.of("/proc/self/fd/" + spfd + "/" + base),
                        "unix:mode,uid,gid,size,lastModifiedTime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (IOException missing) {
                return false;
            }
            int mode = (Integer) a.get("mode");
            if ((mode & Linux.S_IFMT) != Linux.S_IFREG || (mode & 07777) != (e.mode() & 07777) || (Long) a.get("size") != e.size()
                    || (privileged && ((Integer) a.get("uid") != e.uid() || (Integer) a.get("gid") != e.gid()))
                    || ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond()
                            != e.mtime().getEpochSecond()) {
                return false;
            }
            int pfd = dirs.dir(parent, true);
            boolean done = false;
            if (tryHardlink) {
                done = link(spfd, base, pfd, parent, rel);
            }
            if (!done && tryReflink) {
                done = reflink(spfd, base, pfd, parent, rel, e);
            }
            if (!done) {
                return false;
            }
            crc.reset();
            long read = 0;
            while (read < e.size()) {
                int n = content.read(buf, 0, (int) Math.min(buf.length, e.size() - read));
                if (n < 0) {
                    throw ArchiveException.entry(e.name(), "archive is truncated inside the content");
                }
                crc.update(buf, 0, n);
                read += n;
            }
            size += e.size();
            if (e.size() > 0) {
                liveFiles.put(rel, split.file(rel, e.size(), (int) crc.getValue()));
            }
            return true;
        }

        private boolean link(int spfd, String base, int pfd, String parent, String rel) throws IOException {
            for (int attempt = 0;; attempt++) {
                try {
                    Linux.linkAt(spfd, base, pfd, base);
                    return true;
                } catch (LinuxException x) {
                    if (x.errno() == Errno.EEXIST && attempt == 0) {
                        pfd = removeExisting(parent, base, rel);
                        continue;
                    }
                    if (x.errno() == Errno.EXDEV || x.errno() == Errno.EPERM || x.errno() == Errno.EMLINK) {
                        tryHardlink = x.errno() != Errno.EXDEV && tryHardlink; // another file system: never again
                        return false;
                    }
                    throw x;
                }
            }
        }

        private boolean reflink(int spfd, String base, int pfd, String parent, String rel, TarEntry e) throws IOException {
            Path target = Path.of("/proc/self/fd/" + pfd + "/" + base);
            if (java.nio.file.Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                pfd = removeExisting(parent, base, rel);
                target = Path.of("/proc/self/fd/" + pfd + "/" + base);
            }
            if (!Linux.reflink(Path.of("/proc/self/fd/" + spfd + "/" + base), target, 0600)) {
                tryReflink = false; // this file system (pair) cannot: write the bytes from now on
                return false;
            }
            // A clone is a new inode of our own: give it the entry's metadata as a written file gets.
            int fd = Linux.openAt(pfd, base, Linux.O_WRONLY | Linux.O_NOFOLLOW, 0);
            try {
                if (privileged) {
                    Linux.fchown(fd, (int) e.uid(), (int) e.gid());
                }
                Linux.fchmod(fd, e.mode());
                Linux.futimens(fd, e.mtime().getEpochSecond(), e.mtime().getNano());
            } finally {
                Linux.close(fd);
            }
            return true;
        }

        private void symlink(TarEntry e, String rel, String parent, String base) throws IOException {
            checkSymlinkTarget(e, parent, copy);
            int pfd = dirs.dir(parent, true);
            try {
                Linux.symlinkAt(e.linkName(), pfd, base);
            } catch (LinuxException x) {
                if (x.errno() != Errno.EEXIST) {
                    throw x;
                }
                pfd = replace(e, parent, base, rel, pfd);
                Linux.symlinkAt(e.linkName(), pfd, base);
            }
            owner(e, pfd, base);
            setXattrs(e, -1, pfd, base);
            Linux.setTimesAt(pfd, base, e.mtime().getEpochSecond(), e.mtime().getNano());
        }

        private void hardlink(TarEntry e, String rel, String parent, String base) throws IOException {
            String target = hardlinkTarget(e);
            int pfd = dirs.dir(parent, true);
            for (int attempt = 0;; attempt++) {
                int tslash = target.lastIndexOf('/');
                int tfd;
                try {
                    tfd = dirs.dir(tslash < 0 ? "" : target.substring(0, tslash), false);
                } catch (SafeDirs.BadPath bad) {
                    throw ArchiveException.entry(e.name(), bad.errno == Errno.ELOOP
                            ? "hardlink target \"" + e.linkName() + "\" goes through a symlink"
                            : "hardlink target \"" + e.linkName() + "\" does not exist in the layer");
                }
                try {
                    Linux.linkAt(tfd, target.substring(tslash + 1), pfd, base);
                    return; // a hard link shares its target's inode, metadata included
                } catch (LinuxException x) {
                    if (x.errno() == Errno.ENOENT) {
                        throw ArchiveException.entry(e.name(), "hardlink target \"" + e.linkName()
                                + "\" does not exist in the layer");
                    }
                    if (x.errno() != Errno.EEXIST || attempt > 0) {
                        throw x;
                    }
                    if (target.equals(rel)) {
                        return; // a link to itself: already there
                    }
                    pfd = replace(e, parent, base, rel, pfd);
                }
            }
        }

        private void special(TarEntry e, String rel, String parent, String base) throws IOException {
            int typeBits = switch (e.type()) {
                case CHAR_DEVICE -> Linux.S_IFCHR;
                case BLOCK_DEVICE -> Linux.S_IFBLK;
                default -> Linux.S_IFIFO;
            };
            if (typeBits != Linux.S_IFIFO && !privileged) {
                skipped++; // device nodes need CAP_MKNOD
                return;
            }
            long dev = Linux.makedev(e.devMajor(), e.devMinor());
            int pfd = dirs.dir(parent, true);
            try {
                Linux.mknodAt(pfd, base, typeBits | 0600, dev);
            } catch (LinuxException x) {
                if (x.errno() != Errno.EEXIST) {
                    throw x;
                }
                pfd = replace(e, parent, base, rel, pfd);
                Linux.mknodAt(pfd, base, typeBits | 0600, dev);
            }
            owner(e, pfd, base);
            Linux.chmodAt(pfd, base, e.mode());
            setXattrs(e, -1, pfd, base);
            Linux.setTimesAt(pfd, base, e.mtime().getEpochSecond(), e.mtime().getNano());
        }

        // ---- whiteouts ----

        private void whiteout(TarEntry e, String parent, String name) throws IOException {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw ArchiveException.entry(e.name(), "whiteout names \"" + name + "\", which is not a file name");
            }
            String rel = parent.isEmpty() ? name : parent + "/" + name;
            switch (format) {
                case WhiteoutFormat.Deleting d -> {
                    if (openParentForMarker(e, parent, false) >= 0) {
                        removeExisting(parent, name, rel);
                    }
                }
                case WhiteoutFormat.Overlay o -> {
                    int pfd = openParentForMarker(e, parent, true);
                    if (pfd < 0) {
                        return;
                    }
                    try {
                        Linux.mknodAt(pfd, name, Linux.S_IFCHR, 0);
                    } catch (LinuxException x) {
                        if (x.errno() == Errno.EPERM) {
                            throw ArchiveException.entry(e.name(), "overlay whiteouts are character devices and need root", x);
                        }
                        if (x.errno() != Errno.EEXIST) {
                            throw x;
                        }
                        pfd = removeExisting(parent, name, rel);
                        Linux.mknodAt(pfd, name, Linux.S_IFCHR, 0);
                    }
                }
            }
        }

        private void opaque(TarEntry e, String parent) throws IOException {
            switch (format) {
                case WhiteoutFormat.Deleting d -> {
                    int pfd = openParentForMarker(e, parent, false);
                    if (pfd >= 0) {
                        clearOpaque(parent, pfd);
                    }
                }
                case WhiteoutFormat.Overlay o -> {
                    int pfd = openParentForMarker(e, parent, true);
                    if (pfd < 0) {
                        throw ArchiveException.entry(e.name(), "opaque marker inside \"" + parent + "\", which is not a directory");
                    }
                    Linux.fsetXattr(pfd, WhiteoutFormat.Overlay.OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
                }
            }
        }

        /** The directory a marker lives in; -1 when it is missing (not creating) or not a directory. */
        private int openParentForMarker(TarEntry e, String parent, boolean create) throws IOException {
            try {
                return dirs.dir(parent, create);
            } catch (SafeDirs.BadPath bad) {
                if (bad.errno == Errno.ELOOP) {
                    throw ArchiveException.entry(e.name(), "parent path \"" + bad.path
                            + "\" is a symlink; refusing to delete through it");
                }
                return -1; // nothing there to delete or hide
            }
        }

        /** Deleting format: removes every child of {@code dir} that this apply did not create. */
        private void clearOpaque(String dir, int fd) throws IOException {
            for (Linux.DirEntry child : Linux.readDirectory(fd)) {
                String rel = dir.isEmpty() ? child.name() : dir + "/" + child.name();
                if (created.contains(rel) || ancestors.contains(rel)) {
                    if (isDirectory(fd, child.name())) {
                        int cfd = Linux.openAt(fd, child.name(), Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW, 0);
                        try {
                            clearOpaque(rel, cfd);
                        } finally {
                            Linux.close(cfd);
                        }
                    }
                } else {
                    inlineBeforeRemoval(rel);
                    dirs.forget(rel);
                    forgetDirMeta(rel);
                    removeAll(fd, child.name());
                }
            }
        }

        // ---- removal ----

        /**
         * Removes what is at {@code parent/base} so that non-directory entry {@code e} can take its place; a copy
         * never replaces a directory that way.
         */
        private int replace(TarEntry e, String parent, String base, String rel, int pfd) throws IOException {
            if (copy && isDirectory(pfd, base)) {
                throw ArchiveException.clash(e.name(), CopyCheck.NON_DIR_OVER_DIR);
            }
            return removeExisting(parent, base, rel);
        }

        /**
         * Removes {@code parent/name} (recursively) so that an entry can take its place, and returns the parent's
         * fd afresh (the cached one may have been dropped). Contents that the tar-split points at are inlined first.
         */
        private int removeExisting(String parent, String name, String rel) throws IOException {
            inlineBeforeRemoval(rel);
            dirs.forget(rel);
            forgetDirMeta(rel);
            int pfd = dirs.dir(parent, false);
            removeAll(pfd, name);
            return pfd;
        }

        private void removeAll(int dirfd, String name) throws LinuxException {
            try {
                Linux.unlinkAt(dirfd, name, 0);
                return;
            } catch (LinuxException x) {
                if (x.errno() == Errno.ENOENT) {
                    return;
                }
                if (x.errno() != Errno.EISDIR && x.errno() != Errno.EPERM) {
                    throw x;
                }
            }
            int fd = Linux.openAt(dirfd, name, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW, 0);
            try {
                for (Linux.DirEntry child : Linux.readDirectory(fd)) {
                    removeAll(fd, child.name());
                }
            } finally {
                Linux.close(fd);
            }
            Linux.unlinkAt(dirfd, name, Linux.AT_REMOVEDIR);
        }

        private void inlineBeforeRemoval(String rel) throws IOException {
            List<Map.Entry<String, Long>> doomed = new ArrayList<>();
            Long self = liveFiles.get(rel);
            if (self != null) {
                doomed.add(Map.entry(rel, self));
            }
            doomed.addAll(liveFiles.subMap(rel + "/", rel + "0").entrySet());
            for (Map.Entry<String, Long> d : doomed) {
                split.inline(d.getValue(), readWhole(d.getKey()));
                liveFiles.remove(d.getKey());
            }
        }

        private void forgetDirMeta(String rel) {
            dirMeta.remove(rel);
            dirMeta.subMap(rel + "/", rel + "0").clear();
        }

        private byte[] readWhole(String rel) throws IOException {
            int fd = dirs.openFile(rel);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long n;
                while ((n = Linux.read(fd, nativeBuf, BUFFER)) > 0) {
                    MemorySegment.copy(nativeBuf, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
                    out.write(buf, 0, (int) n);
                }
                return out.toByteArray();
            } finally {
                Linux.close(fd);
            }
        }

        // ---- metadata ----

        private void ownAndXattrs(TarEntry e, int pfd, String base, int fd) throws IOException {
            owner(e, pfd, base);
            setXattrs(e, fd, pfd, base);
        }

        private void owner(TarEntry e, int pfd, String base) throws LinuxException {
            if (privileged) {
                Linux.chownAt(pfd, base, uid(e), gid(e));
            } else if (uid(e) != 0 || gid(e) != 0) {
                skipped++;
            }
        }

        private int uid(TarEntry e) {
            return owner != null ? owner.uid() : (int) e.uid();
        }

        private int gid(TarEntry e) {
            return owner != null ? owner.gid() : (int) e.gid();
        }

        /** Sets the entry's xattrs on an open fd, or else on {@code base} in directory {@code pfd} (not followed). */
        private void setXattrs(TarEntry e, int fd, int pfd, String base) throws IOException {
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                if (x.getKey().startsWith(WhiteoutFormat.Overlay.OVERLAY_XATTR_PREFIX)) {
                    skipped++; // would change what overlayfs shows (opaque dirs, redirects): never from a tar
                    continue;
                }
                try {
                    if (fd >= 0) {
                        Linux.fsetXattr(fd, x.getKey(), x.getValue());
                    } else {
                        // lsetxattr through the pinned parent fd: the final name is not followed.
                        Linux.setXattr(Path.of("/proc/self/fd/" + pfd + "/" + base), x.getKey(), x.getValue());
                    }
                } catch (LinuxException le) {
                    // As Docker does: a file system (or an unprivileged run) that refuses an attribute is not fatal.
                    if (le.errno() != Errno.EOPNOTSUPP && le.errno() != Errno.EPERM) {
                        throw le;
                    }
                    skipped++;
                }
            }
        }

        private void finishDirectory(String rel, DirMeta meta) throws IOException {
            if (rel.isEmpty()) {
                Linux.fchmod(dirs.root(), meta.mode());
                Linux.futimens(dirs.root(), meta.mtime().getEpochSecond(), meta.mtime().getNano());
                return;
            }
            int slash = rel.lastIndexOf('/');
            int pfd = dirs.dir(slash < 0 ? "" : rel.substring(0, slash), false);
            String base = rel.substring(slash + 1);
            Linux.chmodAt(pfd, base, meta.mode());
            Linux.setTimesAt(pfd, base, meta.mtime().getEpochSecond(), meta.mtime().getNano());
        }

        private static boolean isDirectory(int pfd, String name) throws LinuxException {
            try {
                Linux.close(Linux.openAt(pfd, name, Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_NOFOLLOW, 0));
                return true;
            } catch (LinuxException x) {
                if (x.errno() == Errno.ENOTDIR || x.errno() == Errno.ELOOP || x.errno() == Errno.ENOENT) {
                    return false;
                }
                throw x;
            }
        }

        private void markCreated(String rel) {
            created.add(rel);
            for (int i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
                if (!ancestors.add(rel.substring(0, i))) {
                    break;
                }
            }
        }

        @Override
        public void close() {
            dirs.close();
            if (sourceDirs != null) {
                sourceDirs.close();
            }
            arena.close();
        }
    }

    // ---- names ----

    /** The entry's path relative to the root ("" for the root), or an error if it is absolute or climbs out. */
    public static String cleanName(String name) throws ArchiveException {
        if (name.indexOf('\0') >= 0) {
            throw ArchiveException.entry(name, "name contains a NUL byte");
        }
        if (name.startsWith("/")) {
            throw ArchiveException.entry(name, "absolute path; layer entries must be relative to the layer root");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw ArchiveException.entry(name, "path climbs out of the layer root");
                }
                parts.removeLast();
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    static void checkSymlinkTarget(TarEntry e, String parent, boolean copy) throws ArchiveException {
        String target = e.linkName();
        if (target.isEmpty()) {
            throw ArchiveException.entry(e.name(), "symlink has an empty target");
        }
        if (target.indexOf('\0') >= 0) {
            throw ArchiveException.entry(e.name(), "symlink target contains a NUL byte");
        }
        if (target.startsWith("/") || copy) {
            return; // resolved inside the container's root at run time
        }
        int depth = parent.isEmpty() ? 0 : parent.split("/").length;
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (--depth < 0) {
                    throw ArchiveException.entry(e.name(), "symlink target \"" + ArchiveException.printable(target)
                            + "\" climbs out of the layer root");
                }
            } else {
                depth++;
            }
        }
    }

    static String hardlinkTarget(TarEntry e) throws ArchiveException {
        String target = e.linkName();
        if (target.indexOf('\0') >= 0) {
            throw ArchiveException.entry(e.name(), "hardlink target contains a NUL byte");
        }
        if (target.startsWith("/")) {
            throw ArchiveException.entry(e.name(), "hardlink target \"" + ArchiveException.printable(target)
                    + "\" is absolute; it must name an entry of the layer");
        }
        String clean;
        try {
            clean = cleanName(target);
        } catch (ArchiveException x) {
            throw ArchiveException.entry(e.name(), "hardlink target \"" + ArchiveException.printable(target)
                    + "\" climbs out of the layer root");
        }
        if (clean.isEmpty()) {
            throw ArchiveException.entry(e.name(), "hardlink target is the layer root");
        }
        return clean;
    }

    private static boolean isAufsMeta(String rel, String base) {
        if (base.startsWith(WhiteoutFormat.META_PREFIX) && !base.equals(WhiteoutFormat.OPAQUE_MARKER)) {
            return true;
        }
        return rel.startsWith(WhiteoutFormat.META_PREFIX); // e.g. .wh..wh.plnk/<inode>: AUFS hardlink stash
    }
}
