package dev.strata.archive;

import dev.strata.sys.Linux;
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
 */
public record ApplyOptions(boolean privileged, Optional<Owner> owner, boolean copy) {
    /** Numeric owner. */
    public record Owner(int uid, int gid) {
        public static final Owner ROOT = new Owner(0, 0);
    }

    /** Applying a layer. */
    public ApplyOptions(boolean privileged) {
        this(privileged, Optional.empty(), false);
    }

    /** Applying a layer, privileged exactly when this process runs as root. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(Linux.isRoot());
    }

    /** Extracting a copy's archive, privileged exactly when this process runs as root. */
    public static ApplyOptions copy(Optional<Owner> owner) {
        return new ApplyOptions(Linux.isRoot(), owner, true);
    }
}
