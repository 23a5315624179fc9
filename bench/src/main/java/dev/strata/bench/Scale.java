package dev.strata.bench;

/**
 * Sizes of the operations: the full suite, or the small smoke version (busybox instead of Debian, a few
 * containers instead of 100, 16 MiB written instead of 1 GiB), so that CI checks every Strata command quickly.
 *
 * @param containers     containers made by one run of create-N on overlay2
 * @param vfsContainers  the same with strata on vfs, where each container is two full copies of the image
 * @param writeMiB       MiB that the write-* operations write inside a container
 */
record Scale(boolean smoke, int containers, int vfsContainers, int writeMiB) {
    static final Scale FULL = new Scale(false, 100, 4, 1024);
    static final Scale SMOKE = new Scale(true, 3, 2, 16);
}
