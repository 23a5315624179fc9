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
        Cleanup.checkNotShuttingDown();
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

    /** File-system type, device and mount options, e.g. {@code ext4 (/dev/vda; rw,relatime,discard)}. */
    String describe() {
        try {
            FileStore fs = Files.getFileStore(base);
            return fs.type() + " (" + fs.name() + mountOptions(base).map(o -> "; " + o).orElse("") + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Mount and super-block options of the mount holding {@code dir}, from /proc/self/mountinfo. */
    static java.util.Optional<String> mountOptions(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        String best = null;
        int bestDepth = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                int dash = java.util.Arrays.asList(f).indexOf("-");
                if (f.length < 6 || dash < 0 || dash + 3 >= f.length) {
                    continue;
                }
                Path mp = Path.of(Mounts.unescape(f[4]));
                if (abs.startsWith(mp) && mp.getNameCount() >= bestDepth) {
                    bestDepth = mp.getNameCount();
                    best = f[5] + (f[dash + 3].equals(f[5]) ? "" : " | " + f[dash + 3]);
                }
            }
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(best);
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
