package dev.strata.engine.container;

/**
 * Options of {@code cp}.
 *
 * @param followLink {@code -L}: when the source path is a symlink, copy what it points to (under the link's name)
 *                   instead of the link itself
 * @param archive    {@code -a}: files copied into a container keep the owner they have at the source; without it
 *                   they are owned by root (0:0). Files copied out to the host keep the container's owner with
 *                   it and belong to the user running the copy without it. A tar stream ({@code -}) always carries
 *                   the owners as they are.
 */
public record CopyOptions(boolean followLink, boolean archive) {
    public static CopyOptions defaults() {
        return new CopyOptions(false, false);
    }

    public CopyOptions withFollowLink() {
        return new CopyOptions(true, archive);
    }

    public CopyOptions withArchive() {
        return new CopyOptions(followLink, true);
    }
}
