package dev.strata.bench;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory under which every tool gets its own data root for one storage kind: {@code <work>/disk}
 * on the real disk, or {@code <work>/tmpfs} with a tmpfs mounted on it. Closing it unmounts whatever the
 * engines left mounted there and removes the data (unless asked to keep it).
 */
final class StorageArea implements AutoCloseable {
    private final StorageKind kind;
    private final Path base;
    private final boolean keep;
    private boolean closed;

    private StorageArea(StorageKind kind, Path base, boolean keep) {
        this.kind = kind;
        this.base = base;
        this.keep = keep;
    }

    static StorageArea open(StorageKind kind, Path workDir, String tmpfsSize, boolean keep) throws BenchException {
        Path base = workDir.toAbsolutePath().normalize().resolve(kind.label());
        // a previous run that was killed hard may have left mounts and data behind
        Mounts.unmountUnder(base);
        Mounts.deleteTree(base);
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new BenchException("cannot create " + base + ": " + e.getMessage(), e);
        }
        if (kind == StorageKind.TMPFS) {
            Mounts.mountTmpfs(base, tmpfsSize);
        }
        return new StorageArea(kind, base, keep && kind == StorageKind.DISK);
    }

    StorageKind kind() {
        return kind;
    }

    Path base() {
        return base;
    }

    /** A fresh directory for one tool, e.g. {@code <base>/docker}. */
    Path dirFor(String tool) throws BenchException {
        Path d = base.resolve(tool);
        try {
            return Files.createDirectories(d);
        } catch (IOException e) {
            throw new BenchException("cannot create " + d + ": " + e.getMessage(), e);
        }
    }

    /** File-system type and device, e.g. {@code ext4 (/dev/vda)} or {@code tmpfs (strata-bench)}. */
    String describe() {
        try {
            FileStore fs = Files.getFileStore(base);
            return fs.type() + " (" + fs.name() + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws BenchException {
        if (closed) {
            return;
        }
        closed = true;
        if (kind == StorageKind.TMPFS) {
            Mounts.unmountUnder(base); // the tmpfs itself goes last (deepest first), its contents with it
            Mounts.deleteTree(base);
        } else {
            Mounts.unmountUnder(base);
            if (!keep) {
                Mounts.deleteTree(base);
            }
        }
    }
}
