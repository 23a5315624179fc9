package dev.strata.engine.container;

import java.time.Instant;

/**
 * What a path in a container is, as Docker's archive API reports it ({@code X-Docker-Container-Path-Stat}).
 *
 * @param name       the final component of the path as it was asked for ("/" for the root)
 * @param mode       st_mode: file type and permission bits
 * @param linkTarget for a symlink, where it leads inside the container (an absolute path, every symlink on the
 *                   way followed); "" otherwise
 */
public record PathStat(String name, long size, int mode, Instant mtime, String linkTarget) {
    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }

    public boolean isSymlink() {
        return (mode & 0170000) == 0120000;
    }
}
