package dev.strata.engine.build;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.Compression;
import dev.strata.archive.LayerApplier;
import dev.strata.archive.LayerWriter;
import dev.strata.archive.RootScope;
import dev.strata.archive.TarWriter;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.engine.build.BuildContext.Entry;
import dev.strata.error.InvalidArgumentException;
import dev.strata.layer.ProducedStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Writes the sources of one COPY or ADD into a mounted file system, with Docker's destination rules: a destination
 * ending in {@code /} (or several sources) is a directory; a file goes into an existing directory under its own name,
 * else becomes the destination; a directory's contents go into the destination; missing directories are made
 * (owned by the {@code --chown} owner). Paths resolve inside the root, symlinks included, and everything is
 * extracted through {@link LayerApplier}, so nothing is written outside it.
 */
final class CopyWriter {
    /** One source of a COPY or ADD. */
    sealed interface Source {
    }

    /** A match in the build context; for ADD a local archive is extracted. */
    record FromContext(BuildContext.Match match) implements Source {
    }

    /** A here-document, or a downloaded file: {@code name} at the destination, mode 0644 (0600 for a download). */
    record Bytes(String name, Path file, int mode, Instant mtime) implements Source {
    }

    /** A path in another image or stage ({@code COPY --from}), resolved in its root. */
    record FromImage(RootScope root, RootScope.Resolved path) implements Source {
    }

    private final RootScope scope;
    private final String dest;
    private final boolean destIsDirectory;
    private final ApplyOptions.Owner owner;
    private final OptionalInt chmod;
    private final boolean extractArchives;

    /**
     * @param dest an absolute path in the root, its trailing {@code /} kept
     */
    CopyWriter(RootScope scope, String dest, boolean destIsDirectory, ApplyOptions.Owner owner, OptionalInt chmod,
            boolean extractArchives) {
        this.scope = scope;
        this.dest = GoPath.clean(dest);
        this.destIsDirectory = destIsDirectory || dest.endsWith("/") || dest.endsWith("/.");
        this.owner = owner;
        this.chmod = chmod;
        this.extractArchives = extractArchives;
    }

    /** Makes the destination directory (WORKDIR), with its missing parents. */
    void makeDestination() throws IOException, InvalidArgumentException {
        directory(dest);
    }

    void write(Source source) throws IOException, InvalidArgumentException {
        switch (source) {
            case FromContext(BuildContext.Match m) when m.root().isDirectory() -> {
                String dir = directory(dest);
                apply(dir, out -> contextTar(m.contents(), m.root().path(), "", out), true);
            }
            case FromContext(BuildContext.Match m) -> {
                if (extractArchives && m.root().type() == BuildContext.Type.FILE) {
                    Optional<InputStream> tar = Archives.open(m.root().file());
                    if (tar.isPresent()) {
                        String dir = directory(dest);
                        try (InputStream in = tar.get(); RootScope.Dir d = scope.openDirectory(dir)) {
                            LayerApplier.apply(in, d.path(), WhiteoutFormat.deleting(), ApplyOptions.copy(Optional.empty()));
                        }
                        return;
                    }
                }
                Target t = target(GoPath.base(m.name()));
                Entry e = m.root();
                Entry renamed = new Entry(t.name(), e.type(), e.mode(), e.size(), e.target(), e.mtime(), e.file());
                apply(t.dir(), out -> contextTar(List.of(renamed), "", "", out), true);
            }
            case Bytes(String name, Path file, int mode, Instant mtime) -> {
                Target t = target(name);
                Entry e = new Entry(t.name(), BuildContext.Type.FILE, mode, Files.size(file), "", mtime, file);
                apply(t.dir(), out -> contextTar(List.of(e), "", "", out), true);
            }
            case FromImage(RootScope root, RootScope.Resolved path) when path.isDirectory() -> {
                String dir = directory(dest);
                apply(dir, out -> {
                    try (RootScope.Dir d = root.openDirectory(path.rel())) {
                        LayerWriter.writeCopy(d.path(), ".", ".", out);
                    }
                }, false);
            }
            case FromImage(RootScope root, RootScope.Resolved path) -> {
                Target t = target(path.name());
                apply(t.dir(), out -> {
                    try (RootScope.Dir d = root.openDirectory(path.parent())) {
                        LayerWriter.writeCopy(d.path(), path.name(), t.name(), out);
                    }
                }, false);
            }
        }
    }

    private record Target(String dir, String name) {
    }

    /** Where a single file named {@code name} goes: into the destination directory, or as the destination. */
    private Target target(String name) throws IOException, InvalidArgumentException {
        Optional<RootScope.Resolved> existing = resolve(dest);
        if (destIsDirectory || existing.map(RootScope.Resolved::isDirectory).orElse(false)) {
            return new Target(directory(dest), name);
        }
        if (dest.equals("/")) {
            return new Target("", name);
        }
        return new Target(directory(dest.substring(0, dest.lastIndexOf('/') + 1)), GoPath.base(dest));
    }

    private Optional<RootScope.Resolved> resolve(String path) throws IOException {
        try {
            RootScope.Resolved r = scope.resolve(path, true);
            return r.exists() ? Optional.of(r) : Optional.empty();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The directory {@code path} as a path relative to the root with symlinks resolved, made (with its missing
     * parents, mode 0755, owned by the copy's owner) where it does not exist.
     */
    private String directory(String path) throws IOException, InvalidArgumentException {
        String rel = "";
        for (String name : GoPath.clean(path).split("/")) {
            if (name.isEmpty()) {
                continue;
            }
            RootScope.Resolved r = scope.resolve(rel + "/" + name, true);
            if (!r.exists()) {
                try (RootScope.Dir d = scope.openDirectory(rel)) {
                    Path made = Files.createDirectory(d.path().resolve(name));
                    Files.setAttribute(made, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(made, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
                }
                r = scope.resolve(rel + "/" + name, true);
            } else if (!r.isDirectory()) {
                throw new InvalidArgumentException("cannot copy to " + path + ": " + r.absolute() + " is not a directory");
            }
            rel = r.rel();
        }
        return rel;
    }

    private void apply(String dirRel, ProducedStream.Producer tar, boolean setOwner) throws IOException {
        ApplyOptions options = ApplyOptions.copy(setOwner ? Optional.of(owner) : Optional.empty());
        try (InputStream in = ProducedStream.of("copy", tar); RootScope.Dir d = scope.openDirectory(dirRel)) {
            LayerApplier.apply(in, d.path(), WhiteoutFormat.deleting(), options);
        }
    }

    /** A tar of context entries, named relative to {@code base} (an entry path or ""), under {@code prefix}. */
    private void contextTar(List<Entry> entries, String base, String prefix, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        for (Entry e : entries) {
            String rel = base.isEmpty() ? e.path() : e.path().substring(base.length() + 1);
            String name = prefix + rel;
            int mode = e.type() == BuildContext.Type.SYMLINK || chmod.isEmpty() ? e.mode() : chmod.getAsInt();
            byte type = switch (e.type()) {
                case FILE -> '0';
                case DIRECTORY -> '5';
                case SYMLINK -> '2';
                case CHAR_DEVICE -> '3';
                case BLOCK_DEVICE -> '4';
                case FIFO -> '6';
            };
            long size = e.type() == BuildContext.Type.FILE ? e.size() : 0;
            tar.writeHeader(new TarWriter.Header(e.type() == BuildContext.Type.DIRECTORY ? name + "/" : name, type, mode,
                    owner.uid(), owner.gid(), size, e.mtime().getEpochSecond(), e.target(), 0, 0, new TreeMap<>()));
            if (size > 0) {
                try (InputStream in = Files.newInputStream(e.file(), LinkOption.NOFOLLOW_LINKS)) {
                    long copied = in.transferTo(out);
                    if (copied != size) {
                        throw new FileSystemException(e.file().toString(), null, "changed while it was copied");
                    }
                }
                tar.pad(size);
            }
        }
        tar.finish();
    }

    /** ADD's local archives: a tar, plain or compressed with gzip, bzip2, xz or zstd. */
    static final class Archives {
        private Archives() {
        }

        /** The file's uncompressed tar stream, or empty when it is not an archive (ADD then copies it as it is). */
        static Optional<InputStream> open(Path file) throws IOException {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(6);
            }
            Compression c = Compression.detect(head, head.length);
            InputStream plain = new BufferedInputStream(decompress(c, file), 1 << 16);
            plain.mark(512);
            byte[] block = plain.readNBytes(512);
            plain.reset();
            if (Compression.detect(block, block.length) != Compression.NONE || !BuildContext.isArchive(block, block.length)) {
                plain.close();
                return Optional.empty();
            }
            return Optional.of(plain);
        }

        private static InputStream decompress(Compression c, Path file) throws IOException {
            return switch (c) {
                case NONE -> Files.newInputStream(file);
                case GZIP, ZSTD -> c.decompress(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
                // The JDK has no bzip2 or xz decoder: the host's tools do it, as Docker's archive package does for xz.
                case BZIP2 -> tool(file, "bzip2");
                case XZ -> tool(file, "xz");
            };
        }

        private static InputStream tool(Path file, String command) throws IOException {
            return new ProcessBuilder(command, "-dc").redirectInput(file.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().getInputStream();
        }
    }
}
