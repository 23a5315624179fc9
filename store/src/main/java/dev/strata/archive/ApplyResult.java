package dev.strata.archive;

/**
 * What applying a layer tar did.
 *
 * @param size     sum of the sizes of the regular files in the tar (what Docker's ApplyDiff reports)
 * @param entries  tar entries processed (PAX and GNU metadata headers not counted)
 * @param skipped  things not applied: device nodes and owners when unprivileged, AUFS metadata entries, extended
 *                 attributes the file system refused or that must not come from a tar (trusted.overlay.*)
 * @param tarSplit what it takes to rebuild the exact tar from the layer directory later
 */
public record ApplyResult(long size, long entries, long skipped, TarSplit tarSplit) {
}
