package dev.strata.engine.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a Docker ≤ 1.9 graph driver kept its layers, and how a layer's own changes are found there.
 *
 * <ul>
 *   <li>aufs: {@code aufs/diff/<id>} holds exactly the layer's changes, deletions as AUFS {@code .wh.} files
 *       ({@code aufs/layers/<id>} lists the ancestors);</li>
 *   <li>overlay (the old driver, not overlay2): {@code overlay/<id>/root} is the layer's whole file system, files
 *       unchanged from the parent hard-linked to the parent's; containers have {@code upper}, {@code work},
 *       {@code merged} and {@code lower-id} instead;</li>
 *   <li>vfs: {@code vfs/dir/<id>} is a full copy of the layer's file system.</li>
 * </ul>
 */
public enum LegacyDriver {
    AUFS("aufs"), OVERLAY("overlay"), VFS("vfs");

    private final String dockerName;

    LegacyDriver(String dockerName) {
        this.dockerName = dockerName;
    }

    /** The name Docker used ({@code --storage-driver}, {@code repositories-<name>}). */
    public String dockerName() {
        return dockerName;
    }

    public static Optional<LegacyDriver> named(String name) {
        for (LegacyDriver d : values()) {
            if (d.dockerName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The driver a legacy root used: the one with a {@code repositories-<driver>} file, else the one whose layer
     * directory exists.
     */
    static Optional<LegacyDriver> detect(Path root) {
        for (LegacyDriver d : values()) {
            if (Files.isRegularFile(root.resolve("repositories-" + d.dockerName))) {
                return Optional.of(d);
            }
        }
        for (LegacyDriver d : values()) {
            if (Files.isDirectory(d.home(root))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    Path home(Path root) {
        return switch (this) {
            case AUFS -> root.resolve("aufs").resolve("diff");
            case OVERLAY -> root.resolve("overlay");
            case VFS -> root.resolve("vfs").resolve("dir");
        };
    }

    /**
     * The directory whose files a layer's tar entries name: the tar-split's file contents are there, and so are the
     * files to link (aufs: the diff; overlay: the full root; vfs: the full copy).
     */
    Path imageLayerDir(Path root, String id) {
        return switch (this) {
            case AUFS -> home(root).resolve(id);
            case OVERLAY -> home(root).resolve(id).resolve("root");
            case VFS -> home(root).resolve(id);
        };
    }

    /** A container's own layer ({@code <id>} or {@code <id>-init}) as a directory of changes or of the whole tree. */
    Path containerLayerDir(Path root, String layerId) {
        return switch (this) {
            case AUFS -> home(root).resolve(layerId);
            case OVERLAY -> home(root).resolve(layerId).resolve("upper");
            case VFS -> home(root).resolve(layerId);
        };
    }

    /** True when a layer directory holds the whole file system, so its changes are found against the parent's. */
    boolean fullTrees() {
        return this != AUFS;
    }

    /** The directories whose state decides a layer's tar (for the fingerprint): its own, and the parent's if full. */
    List<Path> inputs(Path root, String id, Optional<String> parent) {
        Path own = imageLayerDir(root, id);
        return fullTrees() && parent.isPresent() ? List.of(own, imageLayerDir(root, parent.get())) : List.of(own);
    }
}
