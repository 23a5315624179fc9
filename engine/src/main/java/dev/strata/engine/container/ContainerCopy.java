package dev.strata.engine.container;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.ArchiveException;
import dev.strata.archive.LayerApplier;
import dev.strata.archive.LayerWriter;
import dev.strata.archive.RootScope;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.container.Container;
import dev.strata.layer.Mount;
import dev.strata.error.BadContentException;
import dev.strata.error.ConflictException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.layer.ProducedStream;
import dev.strata.store.Store;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cp}: copies files and directories between a container's file system and the host, or streams them as a
 * tar, with the rules of {@code docker cp}. The container is seen through its mounted union view (overlay2's
 * {@code merged}, vfs's directory), so a write copies up on overlay2 as any write does, and the mount is released
 * afterwards if the copy took it.
 *
 * <p>Paths in a container are resolved as the container sees them: a symlink is followed inside the container's
 * root (an absolute target starts at that root, ".." stops there), never onto the host, and everything written
 * goes through directory fds opened without following symlinks ({@link RootScope}, {@link LayerApplier}).
 *
 * <p>An archive to be extracted is spooled to the store's {@code ingest/} first and checked as a whole against the
 * destination ({@link LayerApplier#check}), so a broken or hostile tar, or one that would put a file where a
 * directory is, fails before anything is written. Only a failure of the file system itself half-way (no space
 * left) can leave part of a copy behind, as with Docker.
 *
 * <p>Safe to call from many threads at once: each copy holds a counted mount of the container's file system, which
 * stays while any copy (or the running container) needs it.
 */
public final class ContainerCopy {
    private final Store store;
    private final Containers containers;

    ContainerCopy(Store store, Containers containers) {
        this.store = store;
        this.containers = containers;
    }

    // ---- Docker's archive API: stat, a tar out, a tar in ----

    /** What {@code path} is in the container (a symlink in its final component is not followed). */
    public PathStat stat(String container, String path) throws IOException, StrataException {
        CopyPath p = CopyPath.parse(path, "/");
        Side side = Side.container(container);
        return inView(container, (c, scope) -> {
            Source source = source(scope, p, false, side);
            return stat(scope, source, p);
        });
    }

    /**
     * Writes a tar of {@code path} in the container to {@code tar}, as {@code docker cp CONTAINER:PATH -} does:
     * a file as one entry named after the path's last component, a directory with everything below it, the
     * contents only ("./", "./a", ...) for a path ending in "/.". Owners are as in the container. Returns what
     * the path is.
     */
    public PathStat archive(String container, String path, OutputStream tar, CopyOptions options)
            throws IOException, StrataException {
        CopyPath p = CopyPath.parse(path, "/");
        Side side = Side.container(container);
        return inView(container, (c, scope) -> {
            Source source = source(scope, p, options.followLink(), side);
            PathStat stat = stat(scope, source, p);
            writeSource(scope, source, source.entryName(), tar);
            return stat;
        });
    }

    /**
     * Extracts {@code tar} into directory {@code dir} of the container, as {@code docker cp - CONTAINER:DIR}
     * does: {@code dir} (symlinks followed inside the container) must be an existing directory. Entries are owned
     * by root unless {@link CopyOptions#archive()}. Returns the bytes of file content copied.
     */
    public long extract(String container, String dir, InputStream tar, CopyOptions options) throws IOException, StrataException {
        CopyPath p = CopyPath.parse(dir, "/");
        Side side = Side.container(container);
        return inView(container, (c, scope) -> {
            RootScope.Resolved d = resolve(scope, p.clean(), true, side);
            if (!d.exists()) {
                throw side.notFound(p.raw());
            }
            if (!d.isDirectory()) {
                throw new InvalidArgumentException("destination \"" + side.describe(p.raw()) + "\" must be a directory");
            }
            return extractInto(scope, d.rel(), out -> tar.transferTo(out), intoContainer(options), side.describe(d.absolute()));
        });
    }

    // ---- docker cp between a host path and a container path ----

    /**
     * {@code docker cp HOST_SRC CONTAINER:DEST}. {@code hostSource} is a path as the user wrote it (relative to the
     * working directory; a trailing "/" or "/." matters), {@code destination} a path in the container. Returns
     * the bytes of file content copied.
     */
    public long copyIn(String hostSource, String container, String destination, CopyOptions options)
            throws IOException, StrataException {
        CopyPath src = CopyPath.parse(hostSource, workingDirectory());
        CopyPath dst = CopyPath.parse(destination, "/");
        Side host = Side.HOST;
        Side side = Side.container(container);
        try (RootScope hostScope = RootScope.open(Path.of("/"))) {
            Source source = source(hostScope, src, options.followLink(), host);
            return inView(container, (c, scope) -> {
                Target target = target(scope, dst, source, side);
                return extractInto(scope, target.dir(), out -> writeSource(hostScope, source, target.entryName(), out),
                        intoContainer(options), side.describe(target.where()));
            });
        }
    }

    /**
     * {@code docker cp CONTAINER:SRC HOST_DEST}. {@code source} is a path in the container, {@code hostDestination}
     * a path as the user wrote it. Returns the bytes of file content copied.
     */
    public long copyOut(String container, String source, String hostDestination, CopyOptions options)
            throws IOException, StrataException {
        CopyPath src = CopyPath.parse(source, "/");
        CopyPath dst = CopyPath.parse(hostDestination, workingDirectory());
        Side side = Side.container(container);
        try (RootScope hostScope = RootScope.open(Path.of("/"))) {
            return inView(container, (c, scope) -> {
                Source from = source(scope, src, options.followLink(), side);
                Target target = target(hostScope, dst, from, Side.HOST);
                // Without -a the files belong to whoever runs the copy (only root can give them away at all).
                ApplyOptions apply = ApplyOptions.copy(options.archive() ? Optional.empty() : Optional.of(ApplyOptions.Owner.ROOT));
                return extractInto(hostScope, target.dir(), out -> writeSource(scope, from, target.entryName(), out), apply,
                        target.where());
            });
        }
    }

    /**
     * {@code strata cp SRC DEST} with Docker's argument forms: {@code CONTAINER:PATH} on exactly one side, a host
     * path on the other; {@code -} as the destination streams a tar of the source to {@code stdout}, {@code -} as
     * the source extracts a tar from {@code stdin} into a directory of the container. A host path that contains a
     * colon must start with "/" or "./" to be taken for one.
     */
    public long copy(String source, String destination, CopyOptions options, InputStream stdin, OutputStream stdout)
            throws IOException, StrataException {
        if (source.isEmpty()) {
            throw new InvalidArgumentException("source can not be empty");
        }
        if (destination.isEmpty()) {
            throw new InvalidArgumentException("destination can not be empty");
        }
        Endpoint from = Endpoint.parse(source);
        Endpoint to = Endpoint.parse(destination);
        if (from.container().isPresent() && to.container().isPresent()) {
            throw new InvalidArgumentException("copying between containers is not supported");
        }
        if (from.container().isPresent()) {
            if (to.path().equals("-")) {
                archive(from.container().get(), from.path(), stdout, options);
                return 0;
            }
            return copyOut(from.container().get(), from.path(), to.path(), options);
        }
        if (to.container().isPresent()) {
            if (from.path().equals("-")) {
                return extract(to.container().get(), to.path(), stdin, options);
            }
            return copyIn(from.path(), to.container().get(), to.path(), options);
        }
        throw new InvalidArgumentException("must specify at least one container source");
    }

    /**
     * One side of {@code cp}: a container and a path in it, or a host path (or "-").
     *
     * @param container present for {@code CONTAINER:PATH}
     */
    public record Endpoint(Optional<String> container, String path) {
        /**
         * Docker's rule: an argument that starts with "/" is a host path; otherwise the part before the first
         * colon names a container, unless there is no colon or that part starts with "." ({@code ./a:b}).
         */
        public static Endpoint parse(String arg) {
            if (arg.startsWith("/")) {
                return new Endpoint(Optional.empty(), arg);
            }
            int colon = arg.indexOf(':');
            if (colon < 0 || arg.startsWith(".")) {
                return new Endpoint(Optional.empty(), arg);
            }
            String container = arg.substring(0, colon);
            String path = arg.substring(colon + 1);
            return new Endpoint(container.isEmpty() ? Optional.empty() : Optional.of(container), path);
        }
    }

    // ---- paths ----

    /**
     * A path as the user wrote it, made absolute and cleaned lexically (as Go's filepath.Clean, which Docker
     * uses).
     *
     * @param assertsDir it ends in "/" or "/.": it must be a directory (a final symlink is followed)
     * @param contents   it ends in "/." (or is the root): the directory's contents rather than the directory
     */
    record CopyPath(String raw, String clean, boolean assertsDir, boolean contents) {
        static CopyPath parse(String raw, String workingDirectory) {
            String absolute = raw.startsWith("/") ? raw : workingDirectory + "/" + raw;
            List<String> parts = new ArrayList<>();
            for (String part : absolute.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    if (!parts.isEmpty()) {
                        parts.removeLast();
                    }
                } else {
                    parts.add(part);
                }
            }
            String clean = "/" + String.join("/", parts);
            boolean dot = raw.equals(".") || raw.endsWith("/.");
            return new CopyPath(raw, clean, dot || raw.endsWith("/"), dot || parts.isEmpty());
        }

        /** The last component of the cleaned path ("" for the root). */
        String name() {
            return clean.substring(clean.lastIndexOf('/') + 1);
        }
    }

    /** The host or one container, for resolving paths and for saying where something is missing. */
    private record Side(Optional<String> container) {
        static final Side HOST = new Side(Optional.empty());

        static Side container(String name) {
            return new Side(Optional.of(name));
        }

        String describe(String path) {
            return container.map(c -> c + ":" + path).orElse(path);
        }

        NotFoundException notFound(String path) {
            return new NotFoundException(container.map(c -> "Could not find the file " + path + " in container " + c)
                    .orElse("Could not find the local file " + path));
        }
    }

    /** What a copy reads: the resolved path, the name its entries get by default, and whether it is a directory. */
    private record Source(RootScope.Resolved resolved, String entryName, boolean isDirectory, boolean contents) {
    }

    /** Where a copy's archive is extracted, the name its top entry gets there, and that path for messages. */
    private record Target(String dir, String entryName, String where) {
    }

    private static RootScope.Resolved resolve(RootScope scope, String path, boolean followLast, Side side)
            throws IOException, StrataException {
        try {
            return scope.resolve(path, followLast);
        } catch (NoSuchFileException e) {
            throw side.notFound(e.getFile());
        } catch (NotDirectoryException e) {
            throw new InvalidArgumentException("not a directory: " + side.describe(e.getFile()));
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("symbolic links")) {
                throw new InvalidArgumentException("too many levels of symbolic links: " + side.describe(e.getFile()));
            }
            throw e;
        }
    }

    /** The source of a copy: it must exist; a final symlink is followed with -L or a trailing "/". */
    private static Source source(RootScope scope, CopyPath p, boolean followLink, Side side) throws IOException, StrataException {
        RootScope.Resolved r;
        try {
            r = resolve(scope, p.clean(), p.assertsDir() || followLink, side);
        } catch (NotFoundException e) {
            throw side.notFound(p.raw());
        }
        if (!r.exists()) {
            throw side.notFound(p.raw());
        }
        if (p.assertsDir() && !r.isDirectory()) {
            throw new InvalidArgumentException("not a directory: " + side.describe(p.raw()));
        }
        // Entries are named after the path as asked for, so a followed symlink keeps the link's name (Docker's
        // "rebase name"), and "/." or the root give the contents.
        String entryName = p.contents() ? "." : p.name();
        return new Source(r, entryName, r.isDirectory(), p.contents());
    }

    /**
     * Docker's rules for where a copy goes ({@code PrepareArchiveCopy}): into an existing directory under the
     * source's name; over an existing file; as a new file or directory named like the destination.
     */
    private static Target target(RootScope scope, CopyPath dst, Source source, Side side) throws IOException, StrataException {
        RootScope.Resolved d = resolve(scope, dst.clean(), true, side); // a symlink destination means its target
        String shown = side.describe(dst.raw());
        if (d.exists() && !d.isDirectory() && !d.isRegularFile()) {
            throw new InvalidArgumentException("destination \"" + shown + "\" must be a directory or a regular file");
        }
        if (d.isDirectory()) {
            return new Target(d.rel(), source.entryName(), d.absolute());
        }
        if (d.exists()) {
            if (dst.assertsDir()) {
                throw new InvalidArgumentException("not a directory: " + shown);
            }
            if (source.isDirectory()) {
                throw new ConflictException("cannot copy a directory to a file: " + shown + " is a file");
            }
            return new Target(d.parent(), d.name(), d.absolute());
        }
        if (!source.isDirectory() && dst.assertsDir()) {
            throw new NotFoundException("destination directory does not exist: " + shown);
        }
        return new Target(d.parent(), d.name(), d.absolute());
    }

    /** Writes the source as a copy's archive whose top entry is {@code entryName}. */
    private static void writeSource(RootScope scope, Source source, String entryName, OutputStream out) throws IOException {
        RootScope.Resolved r = source.resolved();
        boolean itself = source.contents() || r.rel().isEmpty(); // the directory is opened and written as "."
        try (RootScope.Dir dir = scope.openDirectory(itself ? r.rel() : r.parent())) {
            LayerWriter.writeCopy(dir.path(), itself ? "." : r.name(), entryName, out);
        }
    }

    private static PathStat stat(RootScope scope, Source source, CopyPath asked) throws IOException, StrataException {
        RootScope.Resolved r = source.resolved();
        boolean itself = r.rel().isEmpty();
        Map<String, Object> a;
        try (RootScope.Dir dir = scope.openDirectory(itself ? "" : r.parent())) {
            a = Files.readAttributes(dir.path().resolve(itself ? "." : r.name()), "unix:mode,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
        }
        String linkTarget = "";
        if (r.isSymlink()) {
            try {
                linkTarget = scope.resolve(r.rel(), true).absolute();
            } catch (IOException loop) {
                linkTarget = ""; // dangling inside a missing directory, or a loop: no target to report
            }
        }
        String name = asked.clean().equals("/") ? "/" : asked.name();
        return new PathStat(name, (Long) a.get("size"), (Integer) a.get("mode"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                linkTarget);
    }

    // ---- extraction ----

    private static ApplyOptions intoContainer(CopyOptions options) {
        return ApplyOptions.copy(options.archive() ? Optional.empty() : Optional.of(ApplyOptions.Owner.ROOT));
    }

    /**
     * Spools the archive {@code producer} writes, checks it against directory {@code dirRel} of {@code scope} as a
     * whole, then extracts it there. Returns the bytes of file content extracted.
     */
    private long extractInto(RootScope scope, String dirRel, ProducedStream.Producer producer, ApplyOptions options, String where)
            throws IOException, StrataException {
        Path spool = store.content().scratchFile();
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16)) {
                producer.writeTo(out);
            }
            try (RootScope.Dir dir = scope.openDirectory(dirRel)) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(spool), 1 << 16)) {
                    LayerApplier.check(in, dir.path(), options);
                }
                try (InputStream in = new BufferedInputStream(Files.newInputStream(spool), 1 << 16)) {
                    return LayerApplier.apply(in, dir.path(), WhiteoutFormat.deleting(), options).size();
                }
            } catch (ArchiveException e) {
                String message = "cannot copy to " + where + ": " + e.getMessage().replace("layer tar entry", "tar entry");
                if (e.isClash()) {
                    throw new ConflictException(message);
                }
                throw new BadContentException(message, e);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    // ---- the container's view ----

    @FunctionalInterface
    private interface InView<T> {
        T run(Container container, RootScope scope) throws IOException, StrataException;
    }

    /** Runs {@code work} on the container's mounted file system (a running container's stays mounted). */
    private <T> T inView(String nameOrId, InView<T> work) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease()) {
            Container c = containers.find(nameOrId);
            try (Mount view = store.layers().writable(c.id()).mount(); RootScope scope = RootScope.open(view.path())) {
                return work.run(c, scope);
            }
        }
    }

    private static String workingDirectory() {
        return Path.of("").toAbsolutePath().toString();
    }
}
