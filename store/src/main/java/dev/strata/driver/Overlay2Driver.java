package dev.strata.driver;

import dev.strata.archive.Change;
import dev.strata.archive.Changes;
import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.sys.Linux;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Layers on kernel overlayfs, laid out like Docker's overlay2: {@code <id>/diff} holds the layer's own files,
 * {@code <id>/link} a short name, {@code <id>/lower} the short names of every layer below (top first),
 * {@code <id>/work} and {@code <id>/merged} what a mount needs, and {@code l/<short>} links to each diff so the
 * lower-dir list stays short. Layer tars are applied straight into {@code diff/}; mounting never copies.
 *
 * <p>Mounts use {@code index=off,redirect_dir=off,metacopy=off} where the kernel has those options, so that an
 * upper directory stays a faithful diff; {@link OverlaySupport} checks at start-up that it does and otherwise
 * the driver diffs naively by comparing trees.
 */
public final class Overlay2Driver implements StorageDriver, NativeDiff, Rebase {
    public static final String NAME = "overlay2";
    private static final String LINKS = "l";
    private static final int SHORT_ID_LENGTH = 26;
    private static final char[] SHORT_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    /** Room for mount(2)'s data page; longer option strings go through fsconfig one lower dir at a time. */
    private static final int MOUNT_DATA_LIMIT = 4000;
    /** The kernel's OVL_MAX_STACK. */
    static final int MAX_LOWER_LAYERS = 500;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path home;
    private final OverlaySupport support;

    public Overlay2Driver(Path storeRoot) throws IOException {
        this.home = storeRoot.resolve(NAME);
        Files.createDirectories(home.resolve(LINKS));
        this.support = OverlaySupport.probe(home);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public boolean nativeDiffWorks() {
        return support.nativeDiff();
    }

    /** What this kernel's overlayfs can do, as probed (and cached) when the driver opened. */
    OverlaySupport support() {
        return support;
    }

    @Override
    public void create(String id, Optional<String> parent) throws IOException {
        Path dir = home.resolve(id);
        Files.createDirectory(dir);
        Linux.chmod(dir, 0700);
        Files.createDirectory(dir.resolve("diff"));
        Linux.chmod(dir.resolve("diff"), 0755);
        String shortId = newShortId();
        Files.createSymbolicLink(home.resolve(LINKS).resolve(shortId), Path.of("..", id, "diff"));
        Files.writeString(dir.resolve("link"), shortId);
        if (parent.isPresent()) {
            Path parentDir = home.resolve(parent.get());
            String lower = LINKS + "/" + Files.readString(parentDir.resolve("link")).strip();
            Path parentLower = parentDir.resolve("lower");
            if (Files.exists(parentLower)) {
                lower += ":" + Files.readString(parentLower).strip();
            }
            Files.writeString(dir.resolve("lower"), lower);
            Files.createDirectory(dir.resolve("work"));
            Linux.chmod(dir.resolve("work"), 0700);
        }
    }

    @Override
    public void rebase(String id, Optional<String> newParent) throws IOException {
        Path lowerFile = home.resolve(id).resolve("lower");
        if (newParent.isEmpty()) {
            Files.deleteIfExists(lowerFile);
            return;
        }
        Path parentDir = home.resolve(newParent.get());
        String lower = LINKS + "/" + Files.readString(parentDir.resolve("link")).strip();
        Path parentLower = parentDir.resolve("lower");
        if (Files.exists(parentLower)) {
            lower += ":" + Files.readString(parentLower).strip();
        }
        Path tmp = home.resolve(id).resolve("lower.tmp");
        Files.writeString(tmp, lower);
        Files.move(tmp, lowerFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(home.resolve(id).resolve("work"));
    }

    @Override
    public Path diffDir(String id) {
        return home.resolve(id).resolve("diff");
    }

    @Override
    public WhiteoutFormat whiteoutFormat() {
        return WhiteoutFormat.overlay();
    }

    /** The diff dirs of every layer below {@code id}, top first. */
    List<Path> lowerDirs(String id) throws IOException {
        Path lowerFile = home.resolve(id).resolve("lower");
        if (!Files.exists(lowerFile)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String link : Files.readString(lowerFile).strip().split(":")) {
            out.add(home.resolve(link));
        }
        return out;
    }

    @Override
    public Path mount(String id) throws IOException {
        List<Path> lowers = lowerDirs(id);
        if (lowers.isEmpty()) {
            return diffDir(id); // a base layer is its own view
        }
        if (lowers.size() > MAX_LOWER_LAYERS) {
            throw new IOException("layer " + id + " has " + lowers.size() + " layers below it: overlayfs stacks at most "
                    + MAX_LOWER_LAYERS);
        }
        Path merged = home.resolve(id).resolve("merged");
        Files.createDirectories(merged);
        if (Mounts.isMountPoint(merged)) {
            return merged;
        }
        StringBuilder lowerdir = new StringBuilder();
        for (Path l : lowers) {
            lowerdir.append(lowerdir.isEmpty() ? "" : ":").append(l);
        }
        String data = "lowerdir=" + lowerdir + ",upperdir=" + diffDir(id) + ",workdir=" + home.resolve(id).resolve("work")
                + support.faithfulOptions().stream().map(o -> "," + o).reduce("", String::concat);
        if (data.length() < MOUNT_DATA_LIMIT) {
            Linux.mount("overlay", merged, "overlay", 0, data);
            return merged;
        }
        if (!support.lowerdirPlus()) {
            throw new IOException("layer " + id + " has " + lowers.size() + " layers below it: too many for one mount on this kernel "
                    + "(lowerdir+ needs Linux 6.8 or newer)");
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        for (Path l : lowers) {
            params.add(Map.entry("lowerdir+", l.toString()));
        }
        params.add(Map.entry("upperdir", diffDir(id).toString()));
        params.add(Map.entry("workdir", home.resolve(id).resolve("work").toString()));
        for (String option : support.faithfulOptions()) {
            int eq = option.indexOf('=');
            params.add(Map.entry(option.substring(0, eq), option.substring(eq + 1)));
        }
        Linux.mountFs("overlay", merged, params);
        return merged;
    }

    @Override
    public void unmount(String id) throws IOException {
        Path merged = home.resolve(id).resolve("merged");
        if (Files.isDirectory(merged) && Mounts.isMountPoint(merged)) {
            Linux.umount(merged, Linux.MNT_DETACH);
        }
    }

    @Override
    public Map<String, String> metadata(String id) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        List<Path> lowers = lowerDirs(id);
        if (!lowers.isEmpty()) {
            StringBuilder lower = new StringBuilder();
            for (Path link : lowers) {
                // l/<short> -> ../<id>/diff: show the real directory, as docker does
                lower.append(lower.isEmpty() ? "" : ":").append(link.getParent().resolve(Files.readSymbolicLink(link)).normalize());
            }
            out.put("LowerDir", lower.toString());
            out.put("MergedDir", home.resolve(id).resolve("merged").toString());
        }
        out.put("UpperDir", diffDir(id).toString());
        out.put("WorkDir", home.resolve(id).resolve("work").toString());
        return out;
    }

    @Override
    public boolean isMounted(String id) throws IOException {
        Path merged = home.resolve(id).resolve("merged");
        return Files.isDirectory(merged) && Mounts.isMountPoint(merged);
    }

    @Override
    public List<Change> nativeChanges(String id) throws IOException {
        OverlayLowers lowers = new OverlayLowers(lowerDirs(id));
        try {
            return Changes.overlay(diffDir(id), path -> {
                try {
                    return lowers.exists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void nativeDiff(String id, OutputStream out) throws IOException {
        LayerWriter.write(diffDir(id), WhiteoutFormat.overlay(), out);
    }

    @Override
    public long nativeDiffSize(String id) throws IOException {
        return Trees.regularFileBytes(diffDir(id));
    }

    @Override
    public boolean exists(String id) {
        return Files.isDirectory(home.resolve(id));
    }

    @Override
    public void remove(String id) throws IOException {
        Path dir = home.resolve(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (Path mount : Mounts.under(dir)) {
            Linux.umount(mount, Linux.MNT_DETACH);
        }
        try {
            Files.deleteIfExists(home.resolve(LINKS).resolve(Files.readString(dir.resolve("link")).strip()));
        } catch (NoSuchFileException e) {
            // created half-way: no link yet
        }
        Trees.deleteRecursively(dir);
    }

    @Override
    public Set<String> ids() throws IOException {
        Set<String> ids = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.equals(LINKS) && !name.startsWith(".")) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    /** Removes links in {@code l/} whose layer is gone (left by a process killed between the two steps). */
    public int removeDanglingLinks() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.resolve(LINKS))) {
            for (Path link : ds) {
                if (!Files.exists(link)) {
                    Files.deleteIfExists(link);
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public List<String[]> status() {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"Supports d_type", "true"});
        out.add(new String[] {"Native Overlay Diff", Boolean.toString(support.nativeDiff())});
        out.add(new String[] {"Mount Options", String.join(",", support.faithfulOptions())});
        out.add(new String[] {"Deep Stacks (lowerdir+)", Boolean.toString(support.lowerdirPlus())});
        return out;
    }

    private static String newShortId() {
        char[] c = new char[SHORT_ID_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = SHORT_ID_ALPHABET[RANDOM.nextInt(SHORT_ID_ALPHABET.length)];
        }
        return new String(c);
    }
}
