package dev.strata.engine.build;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.Compression;
import dev.strata.archive.LayerApplier;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.digest.Digest;
import dev.strata.digest.CountingInputStream;
import dev.strata.digest.Digester;
import dev.strata.driver.Trees;
import dev.strata.engine.build.Instruction.Heredoc;
import dev.strata.error.InvalidArgumentException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files a build can COPY and ADD from, as Docker's daemon would see them after the docker CLI sent them.
 *
 * <ul>
 * <li>{@link #fromDirectory}: the directory walked with {@code .dockerignore} applied the way the CLI's tar
 *     writer applies it (an excluded directory is still walked when an exception lies below it); the Dockerfile
 *     and {@code .dockerignore} are always sent, and removed again when the patterns exclude them.</li>
 * <li>{@link #fromTar}: a tar (plain, gzip or zstd) as {@code docker build - < context.tar} sends it, unpacked
 *     into a scratch directory; its {@code .dockerignore} is applied the same way (the classic daemon only
 *     removed the Dockerfile and {@code .dockerignore}; applying it all is what BuildKit does).</li>
 * <li>{@link #dockerfileOnly}: {@code docker build - < Dockerfile}, a context of just that file.</li>
 * </ul>
 *
 * {@link #size()} is the byte count of the context as the CLI sends it, for {@code Sending build context to Docker
 * daemon}. Files are read from where they are when a step needs them; nothing is copied up front. Every path is
 * relative to the context root and {@code /}-separated; the root itself is "".
 */
public final class BuildContext implements AutoCloseable {
    static final String DOCKERIGNORE = ".dockerignore";
    static final String DEFAULT_DOCKERFILE = "Dockerfile";
    private static final int S_IFMT = 0170000;

    /** What an entry is. A hardlinked file is a {@link #FILE} under each of its names. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO
    }

    /**
     * A file of the context.
     *
     * @param path   relative to the context root
     * @param mode   permission bits with setuid, setgid and sticky (07777)
     * @param size   content bytes of a file, 0 for anything else
     * @param target a symlink's target, "" otherwise
     * @param file   where to read it on this machine
     */
    public record Entry(String path, Type type, int mode, long size, String target, Instant mtime, Path file) {
        public boolean isDirectory() {
            return type == Type.DIRECTORY;
        }
    }

    /**
     * One source of a COPY or ADD, resolved.
     *
     * @param source   the source as written (after substitution)
     * @param name     the path it matched, relative to the context ({@code *.txt} matches {@code a.txt}, ...): a
     *                 file or symlink keeps this name at the destination
     * @param root     what the name leads to, a symlink followed (inside the context) to its target
     * @param contents for a directory, everything below it (parents first, in name order); its contents are
     *                 copied, not the directory itself
     */
    public record Match(String source, String name, Entry root, List<Entry> contents) {
        public Match {
            contents = List.copyOf(contents);
        }
    }

    /**
     * The inputs of a COPY or ADD from the context.
     *
     * @param instruction the (expanded) COPY or ADD
     * @param matches     its context sources, in order, each glob expanded
     * @param inline      its here-document sources, bodies final
     * @param urls        ADD's URL sources, for the executor to download
     */
    public record CopyInputs(Instruction instruction, List<Match> matches, List<Heredoc> inline, List<String> urls) {
        public CopyInputs {
            matches = List.copyOf(matches);
            inline = List.copyOf(inline);
            urls = List.copyOf(urls);
        }
    }

    private final Path root;
    private final Path scratch;
    private final String dockerfileName;
    private final byte[] dockerfile;
    private final long size;
    private final DockerIgnore ignore;
    private final Map<String, Entry> entries;
    private final Map<Path, Digest> digests = new ConcurrentHashMap<>();

    private BuildContext(Path root, Path scratch, String dockerfileName, byte[] dockerfile, long size, DockerIgnore ignore,
            Map<String, Entry> entries) {
        this.root = root;
        this.scratch = scratch;
        this.dockerfileName = dockerfileName;
        this.dockerfile = dockerfile;
        this.size = size;
        this.ignore = ignore;
        this.entries = entries;
    }

    // ---- making one ----

    /**
     * The context of a directory.
     *
     * @param dockerfile the Dockerfile ({@code -f}, resolved by the caller); empty for {@code Dockerfile} (or,
     *                   missing that, {@code dockerfile}) in {@code dir}. It may lie outside {@code dir}: the CLI
     *                   then sends it under a random name, which {@link #size()} counts.
     */
    public static BuildContext fromDirectory(Path dir, Optional<Path> dockerfile) throws IOException, InvalidArgumentException {
        Path realDir = contextDirectory(dir);
        Path file;
        String given;
        if (dockerfile.isPresent()) {
            file = dockerfile.get();
            given = dockerfile.get().toString();
        } else {
            file = realDir.resolve(DEFAULT_DOCKERFILE);
            given = DEFAULT_DOCKERFILE;
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) && Files.exists(realDir.resolve("dockerfile"), LinkOption.NOFOLLOW_LINKS)) {
                file = realDir.resolve("dockerfile");
                given = "dockerfile";
            }
        }
        Path realFile;
        try {
            realFile = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new InvalidArgumentException("Cannot locate specified Dockerfile: " + given);
        }
        if (Files.isDirectory(realFile)) {
            throw new InvalidArgumentException("Cannot locate specified Dockerfile: " + given + " is a directory");
        }
        byte[] content = Files.readAllBytes(realFile);
        if (realFile.startsWith(realDir)) {
            String rel = slashes(realDir.relativize(realFile));
            return scan(realDir, null, rel, content, Optional.of(rel), OptionalInt.empty());
        }
        return scan(realDir, null, realFile.getFileName().toString(), content, Optional.empty(), OptionalInt.of(content.length));
    }

    /** The context of a directory with the Dockerfile given apart from it ({@code docker build -f - dir}). */
    public static BuildContext fromDirectory(Path dir, byte[] dockerfile) throws IOException, InvalidArgumentException {
        return scan(contextDirectory(dir), null, DEFAULT_DOCKERFILE, dockerfile.clone(), Optional.empty(),
                OptionalInt.of(dockerfile.length));
    }

    /**
     * The context of a tar stream ({@code docker build - < context.tar}), unpacked into {@code scratch} (an empty
     * directory that {@link #close()} deletes).
     *
     * @param dockerfile the Dockerfile's path inside the tar; empty for {@code Dockerfile} (or {@code dockerfile})
     */
    public static BuildContext fromTar(InputStream tar, Optional<String> dockerfile, Path scratch)
            throws IOException, InvalidArgumentException {
        Files.createDirectories(scratch);
        CountingInputStream counted = CountingInputStream.keepingOpen(tar);
        try (InputStream plain = Compression.decompressed(counted)) {
            LayerApplier.apply(plain, scratch, WhiteoutFormat.deleting(), ApplyOptions.copy(Optional.empty()));
        }
        counted.transferTo(OutputStreamNull.INSTANCE);
        String name = dockerfile.orElse(DEFAULT_DOCKERFILE);
        BuildContext probe = scan(scratch, scratch, name, new byte[0], Optional.empty(), OptionalInt.empty());
        Optional<Entry> found = probe.resolve(name);
        if (found.isEmpty() && dockerfile.isEmpty()) {
            name = "dockerfile";
            found = probe.resolve(name);
        }
        Entry df = found.filter(e -> e.type() == Type.FILE)
                .orElseThrow(() -> new InvalidArgumentException("Cannot locate specified Dockerfile: "
                        + dockerfile.orElse(DEFAULT_DOCKERFILE)));
        byte[] content = Files.readAllBytes(df.file());
        BuildContext context = scan(scratch, scratch, name, content, Optional.of(df.path()), OptionalInt.empty());
        return new BuildContext(context.root, scratch, name, content, counted.count(), context.ignore, context.entries);
    }

    /**
     * {@code docker build - < Dockerfile}: no context but the Dockerfile itself (as the CLI sends it, a tar of
     * one file named {@code Dockerfile}), written to {@code scratch} (deleted by {@link #close()}).
     */
    public static BuildContext dockerfileOnly(byte[] dockerfile, Path scratch) throws IOException, InvalidArgumentException {
        Files.createDirectories(scratch);
        Path file = scratch.resolve(DEFAULT_DOCKERFILE);
        Files.write(file, dockerfile);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        BuildContext c = scan(scratch.toRealPath(), scratch, DEFAULT_DOCKERFILE, dockerfile.clone(),
                Optional.of(DEFAULT_DOCKERFILE), OptionalInt.empty());
        return c;
    }

    /**
     * Whether data starting with {@code head} is an archive rather than a Dockerfile, as the docker CLI decides
     * for what comes on stdin (and ADD for a local file): compressed, or a valid tar header.
     */
    public static boolean isArchive(byte[] head, int length) {
        if (Compression.detect(head, length) != Compression.NONE) {
            return true;
        }
        if (length < ContextSize.BLOCK) {
            return false;
        }
        long stored = 0;
        int i = 148;
        while (i < 156 && (head[i] == ' ' || head[i] == 0)) {
            i++;
        }
        boolean digits = false;
        for (; i < 156 && head[i] >= '0' && head[i] <= '7'; i++) {
            stored = stored * 8 + (head[i] - '0');
            digits = true;
        }
        if (!digits) {
            return false;
        }
        long sum = 0;
        for (int j = 0; j < ContextSize.BLOCK; j++) {
            sum += (j >= 148 && j < 156) ? ' ' : head[j] & 0xff;
        }
        return sum == stored;
    }

    /** Whether a context file is an archive that ADD extracts. */
    public boolean isArchive(Entry entry) throws IOException {
        if (entry.type() != Type.FILE) {
            return false;
        }
        try (InputStream in = Files.newInputStream(entry.file())) {
            byte[] head = in.readNBytes(ContextSize.BLOCK);
            return isArchive(head, head.length);
        }
    }

    private static Path contextDirectory(Path dir) throws IOException, InvalidArgumentException {
        try {
            Path real = dir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new InvalidArgumentException("unable to prepare context: context must be a directory: " + dir);
            }
            return real;
        } catch (NoSuchFileException e) {
            throw new InvalidArgumentException("unable to prepare context: path \"" + dir + "\" not found");
        }
    }

    /**
     * Walks {@code dir} as the CLI's tar writer does and builds the daemon's view.
     *
     * @param inContext      the Dockerfile's path in the context when it is there (it is always sent)
     * @param sentApart      the Dockerfile's length when the CLI adds it under a random name
     */
    private static BuildContext scan(Path dir, Path scratch, String dockerfileName, byte[] dockerfile,
            Optional<String> inContext, OptionalInt sentApart) throws IOException, InvalidArgumentException {
        Path ignoreFile = dir.resolve(DOCKERIGNORE);
        DockerIgnore ignore = DockerIgnore.none();
        long ignoreLength = -1;
        if (Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = Files.readAllBytes(ignoreFile);
            ignoreLength = bytes.length;
            ignore = DockerIgnore.parse(new String(bytes, StandardCharsets.UTF_8));
        }
        // The CLI puts the Dockerfile and .dockerignore back when the patterns exclude them (TrimBuildFilesFromExcludes).
        List<String> keep = new ArrayList<>();
        if (ignore.excludesOneParent(DOCKERIGNORE)) {
            keep.add("!" + DOCKERIGNORE);
        }
        if (inContext.isPresent() && ignore.excludesOneParent(inContext.get())) {
            keep.add("!" + inContext.get());
        }
        DockerIgnore sent = keep.isEmpty() ? ignore : ignore.plus(keep);
        Walk walk = new Walk(dir, sent);
        walk.directory(dir, "");
        if (sentApart.isPresent()) {
            // AddDockerfileToBuildContext: ".dockerfile.<20 hex>" and a .dockerignore that names it.
            String random = ".dockerfile." + "0".repeat(20);
            walk.size.add(random, "", sentApart.getAsInt(), 0);
            long extra = ("\n" + random + "\n").length();
            if (ignoreLength >= 0) {
                walk.size.addRaw(ContextSize.padded(ignoreLength + extra) - ContextSize.padded(ignoreLength));
            } else {
                walk.size.add(DOCKERIGNORE, "", DOCKERIGNORE.length() + extra, 0);
            }
        }
        Map<String, Entry> entries = walk.entries;
        // The daemon removes the Dockerfile and .dockerignore again when the patterns exclude them.
        for (String sentOnly : inContext.isPresent() ? List.of(DOCKERIGNORE, inContext.get()) : List.of(DOCKERIGNORE)) {
            if (ignore.excludes(sentOnly)) {
                entries.remove(sentOnly);
            }
        }
        return new BuildContext(dir, scratch, dockerfileName, dockerfile, walk.size.finish(), ignore, entries);
    }

    /** The CLI's walk: which files go into the context tar, and how many bytes that tar has. */
    private static final class Walk {
        final Path root;
        final DockerIgnore ignore;
        final Map<String, Entry> entries = new LinkedHashMap<>();
        final ContextSize size = new ContextSize();
        final Map<String, String> inodes = new HashMap<>();

        Walk(Path root, DockerIgnore ignore) {
            this.root = root;
            this.ignore = ignore;
        }

        void directory(Path dir, String rel) throws IOException, InvalidArgumentException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    names.add(p.getFileName().toString());
                }
            } catch (java.nio.file.AccessDeniedException e) {
                throw new InvalidArgumentException("error checking context: can't stat '" + dir + "'");
            }
            names.sort(Comparator.comparing((String s) -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
            for (String name : names) {
                String path = rel.isEmpty() ? name : rel + "/" + name;
                Path file = dir.resolve(name);
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(file, "unix:mode,size,ino,dev,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // gone while we walked
                }
                int mode = (Integer) a.get("mode");
                boolean isDir = (mode & S_IFMT) == 0040000;
                if (ignore.excludes(path)) {
                    if (isDir && ignore.hasExceptions() && ignore.exceptionBelow(path)) {
                        // Not sent itself, but walked for the exceptions below; the daemon makes it when it unpacks.
                        entries.put(path, new Entry(path, Type.DIRECTORY, 0755, 0, "", Instant.EPOCH, file));
                        directory(file, path);
                    }
                    continue;
                }
                add(path, file, mode, a);
                if (isDir) {
                    directory(file, path);
                }
            }
        }

        private void add(String path, Path file, int mode, Map<String, Object> a) throws IOException, InvalidArgumentException {
            Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
            long seconds = mtime.getEpochSecond();
            int perm = mode & 07777;
            Type type = switch (mode & S_IFMT) {
                case 0100000 -> Type.FILE;
                case 0040000 -> Type.DIRECTORY;
                case 0120000 -> Type.SYMLINK;
                case 0020000 -> Type.CHAR_DEVICE;
                case 0060000 -> Type.BLOCK_DEVICE;
                case 0010000 -> Type.FIFO;
                default -> null; // sockets: Go's tar cannot write them, and the CLI skips them
            };
            if (type == null) {
                return;
            }
            long length = type == Type.FILE ? (Long) a.get("size") : 0;
            String target = type == Type.SYMLINK ? Files.readSymbolicLink(file).toString() : "";
            if (type == Type.FILE && !Files.isReadable(file)) {
                throw new InvalidArgumentException("error checking context: no permission to read from '" + file + "'");
            }
            String linkName = "";
            long content = length;
            if (type == Type.FILE && (Integer) a.get("nlink") > 1) {
                String key = a.get("dev") + ":" + a.get("ino");
                String first = inodes.putIfAbsent(key, path);
                if (first != null) {
                    linkName = first; // later names of a hardlinked file are sent as links, without content
                    content = 0;
                }
            }
            size.add(type == Type.DIRECTORY ? path + "/" : path, type == Type.SYMLINK ? target : linkName, content, seconds);
            entries.put(path, new Entry(path, type, perm, length, target, mtime, file));
        }
    }

    // ---- what it holds ----

    /** The Dockerfile's name: its path in the context, or the name it was given when it came from elsewhere. */
    public String dockerfileName() {
        return dockerfileName;
    }

    /** The Dockerfile's bytes. */
    public byte[] dockerfile() {
        return dockerfile.clone();
    }

    /** The bytes the CLI sends for this context (format them with go-units' HumanSize, as docker does). */
    public long size() {
        return size;
    }

    public DockerIgnore dockerIgnore() {
        return ignore;
    }

    /** Every file of the context, parents before children, in name order. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry at exactly {@code path} (symlinks not followed). */
    public Optional<Entry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    /**
     * Resolves a path inside the context the way Docker resolves a COPY source: relative to the root whatever
     * its form, {@code ..} stopping at the root, symlinks followed inside the context (an absolute target starts
     * at the context root). Empty when nothing is there.
     */
    public Optional<Entry> resolve(String path) {
        return resolve(path, 0);
    }

    private Optional<Entry> resolve(String path, int depth) {
        if (depth > 40) {
            return Optional.empty();
        }
        String clean = GoPath.clean("/" + path).substring(1);
        if (clean.isEmpty()) {
            return Optional.of(rootEntry());
        }
        String[] parts = clean.split("/");
        String here = "";
        for (int i = 0; i < parts.length; i++) {
            String next = here.isEmpty() ? parts[i] : here + "/" + parts[i];
            Entry e = entries.get(next);
            if (e == null) {
                return Optional.empty();
            }
            if (e.type() == Type.SYMLINK) {
                String target = e.target().startsWith("/") ? e.target() : here + "/" + e.target();
                String rest = String.join("/", Arrays.copyOfRange(parts, i + 1, parts.length));
                return resolve(rest.isEmpty() ? target : target + "/" + rest, depth + 1);
            }
            if (i < parts.length - 1 && e.type() != Type.DIRECTORY) {
                return Optional.empty();
            }
            here = next;
        }
        return Optional.ofNullable(entries.get(here));
    }

    private Entry rootEntry() {
        return new Entry("", Type.DIRECTORY, 0755, 0, "", Instant.EPOCH, root);
    }

    // ---- COPY and ADD ----

    /**
     * Resolves the context sources of an expanded COPY or ADD ({@link StageScope#expand}): globs (Go's
     * {@code filepath.Match}, element by element) over the context's paths, other sources as paths; a directory
     * brings its contents. A source that matches nothing, or is excluded by {@code .dockerignore}, is an error,
     * as is more than one source with a destination that is not a directory ({@code dir/} or {@code .}).
     *
     * @throws IllegalArgumentException for a COPY {@code --from} (its sources are not in the context) or another
     *                                  instruction
     */
    public CopyInputs inputs(Instruction instruction) throws DockerfileException {
        List<String> sources;
        List<Heredoc> inline;
        List<String> urls = List.of();
        String dest;
        switch (instruction) {
            case Instruction.Copy c -> {
                if (c.from().isPresent()) {
                    throw new IllegalArgumentException("COPY --from copies from " + c.from().get() + ", not from the context");
                }
                sources = c.sources();
                inline = c.inline();
                dest = c.destination();
            }
            case Instruction.Add a -> {
                sources = a.localSources();
                inline = a.inline();
                urls = a.urls();
                dest = a.destination();
            }
            default -> throw new IllegalArgumentException("only COPY and ADD have sources: " + instruction.keyword());
        }
        List<Match> matches = new ArrayList<>();
        for (String source : sources) {
            matches.addAll(match(instruction, source));
        }
        int count = matches.size() + inline.size() + urls.size();
        if (count > 1 && !dest.endsWith("/") && !dest.equals(".") && !dest.endsWith("/.")) {
            throw DockerfileException.at(instruction.location(), instruction.keyword(), "When using "
                    + instruction.keyword() + " with more than one source file, the destination must be a directory and end with a /");
        }
        return new CopyInputs(instruction, matches, inline, urls);
    }

    private List<Match> match(Instruction instruction, String source) throws DockerfileException {
        String p = source;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.startsWith("./")) {
            p = p.substring(2);
        }
        List<Match> out = new ArrayList<>();
        if (hasWildcards(p)) {
            for (String path : entries.keySet()) {
                boolean hit;
                try {
                    hit = GoPath.match(p, path);
                } catch (GoPath.BadPattern e) {
                    throw DockerfileException.at(instruction.location(), instruction.keyword(), "syntax error in pattern: " + source);
                }
                if (hit) {
                    Optional<Match> m = matchPath(source, path);
                    m.ifPresent(out::add);
                }
            }
        } else {
            String clean = GoPath.clean("/" + p).substring(1);
            matchPath(source, clean).ifPresent(out::add);
        }
        if (out.isEmpty()) {
            throw DockerfileException.at(instruction.location(), instruction.keyword(),
                    "failed to compute cache key: \"/" + GoPath.clean("/" + p).substring(1) + "\": not found");
        }
        return out;
    }

    private Optional<Match> matchPath(String source, String path) {
        Optional<Entry> target = resolve(path);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Entry root = target.get();
        List<Entry> contents = new ArrayList<>();
        if (root.isDirectory()) {
            String prefix = root.path().isEmpty() ? "" : root.path() + "/";
            for (Entry e : entries.values()) {
                if (!e.path().isEmpty() && e.path().startsWith(prefix)) {
                    contents.add(e);
                }
            }
        }
        return Optional.of(new Match(source, path, root, contents));
    }

    /** Docker's {@code containsWildcards}: an unescaped {@code *}, {@code ?} or {@code [}. */
    static boolean hasWildcards(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /**
     * The cache key of a COPY or ADD's inputs: SHA-256 over, in order, each here-document's name and body and each
     * matched file's path (relative to the context), type, mode (after {@code --chmod}), owner (after
     * {@code --chown}, as resolved by the executor; 0:0 without it, as Docker copies from the context), size,
     * symlink target and content digest. Modification times are left out, as Docker's classic builder leaves
     * them out of its tarsum, so touching a file does not break the cache. The destination, flags, URLs and the
     * parent image are not in the key: the executor combines it with the instruction text and the parent.
     *
     * @throws DockerfileException a {@code --chmod} that is not an octal mode
     */
    public Digest cacheKey(CopyInputs inputs, ApplyOptions.Owner owner) throws IOException, DockerfileException {
        OptionalInt chmod = chmod(inputs.instruction());
        Digester d = new Digester();
        write(d, "strata-copy-v1");
        for (Heredoc h : inputs.inline()) {
            write(d, "inline");
            write(d, h.name());
            write(d, Digester.of(h.content().getBytes(StandardCharsets.UTF_8)).toString());
        }
        for (Match m : inputs.matches()) {
            write(d, "source");
            write(d, m.name());
            if (!m.root().isDirectory()) {
                entry(d, m.root(), owner, chmod);
            }
            for (Entry e : m.contents()) {
                entry(d, e, owner, chmod);
            }
        }
        return d.digest();
    }

    private void entry(Digester d, Entry e, ApplyOptions.Owner owner, OptionalInt chmod) throws IOException {
        int mode = e.type() == Type.SYMLINK || chmod.isEmpty() ? e.mode() : chmod.getAsInt();
        write(d, e.type().name());
        write(d, e.path());
        write(d, Integer.toOctalString(mode));
        write(d, owner.uid() + ":" + owner.gid());
        write(d, Long.toString(e.size()));
        write(d, e.target());
        write(d, e.type() == Type.FILE ? contentDigest(e).toString() : "-");
    }

    /** The SHA-256 of a context file's content, computed once per file. */
    public Digest contentDigest(Entry e) throws IOException {
        Digest known = digests.get(e.file());
        if (known != null) {
            return known;
        }
        Digester d = new Digester();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(e.file(), LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        Digest digest = d.digest();
        digests.put(e.file(), digest);
        return digest;
    }

    /** Length-prefixed, so that no two different inputs write the same bytes. */
    private static void write(Digester d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] len = (b.length + ":").getBytes(StandardCharsets.US_ASCII);
        d.update(len, 0, len.length);
        d.update(b, 0, b.length);
    }

    /** The {@code --chmod} of an expanded COPY or ADD as permission bits, empty without one. */
    public static OptionalInt chmod(Instruction instruction) throws DockerfileException {
        Optional<String> value = switch (instruction) {
            case Instruction.Copy c -> c.chmod();
            case Instruction.Add a -> a.chmod();
            default -> Optional.empty();
        };
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        String v = value.get();
        if (v.isEmpty() || v.length() > 4 || !v.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw DockerfileException.at(instruction.location(), instruction.keyword(),
                    "invalid chmod parameter: " + v + " (want an octal mode such as 755)");
        }
        return OptionalInt.of(Integer.parseInt(v, 8));
    }

    /** Deletes the scratch directory of a tar or stdin context; a directory context is left alone. */
    @Override
    public void close() throws IOException {
        if (scratch != null) {
            Trees.deleteRecursively(scratch); // also the read-only directories a context tar may hold
        }
    }

    private static String slashes(Path rel) {
        return rel.toString().replace('\\', '/');
    }


    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    @Override
    public String toString() {
        return "BuildContext[" + root + ", " + entries.size() + " entries, " + size + " bytes, Dockerfile "
                + dockerfileName + "]";
    }
}
