package dev.strata.archive;

import dev.strata.sys.Linux;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a tar is applied.
 *
 * @param privileged create device nodes and set numeric owners (needs root); otherwise both are skipped and
 *                   counted in {@link ApplyResult#skipped()}
 * @param owner      when present (and privileged), every entry is owned by it instead of the owner in the tar
 * @param copy       the tar is the archive of a copy ({@code docker cp}) extracted into an existing directory,
 *                   not a layer: {@code .wh.} names are ordinary files, an existing directory is never replaced by
 *                   a non-directory nor the other way round, an entry for the target itself ("." or "./") leaves
 *                   the target alone, and symlink targets may point anywhere (they are never followed here, and a
 *                   container resolves them inside its own root)
 * @param linkSource where the content of the tar's regular files already is on disk, so that they can be linked or
 *                   cloned instead of written (migration of a legacy store); empty to write every byte
 */
public record ApplyOptions(boolean privileged, Optional<Owner> owner, boolean copy, Optional<LinkSource> linkSource) {
    /** Numeric owner. */
    public record Owner(int uid, int gid) {
        public static final Owner ROOT = new Owner(0, 0);
    }

    /** Applying a layer. */
    public ApplyOptions(boolean privileged) {
        this(privileged, Optional.empty(), false, Optional.empty());
    }

    /** Applying a layer, privileged exactly when this process runs as root. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(Linux.isRoot());
    }

    /** Extracting a copy's archive, privileged exactly when this process runs as root. */
    public static ApplyOptions copy(Optional<Owner> owner) {
        return new ApplyOptions(Linux.isRoot(), owner, true, Optional.empty());
    }

    public ApplyOptions withLinkSource(LinkSource source) {
        return new ApplyOptions(privileged, owner, copy, Optional.of(source));
    }

    /**
     * A directory that already holds the tar's file contents at the entries' own paths (the directory the tar was
     * made from, or was once applied to).
     *
     * <p>A regular file whose source has the entry's size, type, mode, owner and mtime (whole seconds) and the tar
     * gives no xattrs is taken from there instead of from the stream: hard-linked when {@code hardlink} (the target
     * then shares the source's inode, which is only right when nobody will ever write to the source again), else
     * reflinked (FICLONE) where the file system can; otherwise, or when linking fails (another file system), its bytes
     * are written as usual. The stream's content bytes are read either way (they are hashed), and the inode of a linked
     * source is never changed.
     */
    public record LinkSource(Path root, boolean hardlink) {
    }
}
