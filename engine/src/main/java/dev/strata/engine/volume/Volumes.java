package dev.strata.engine.volume;

import dev.strata.driver.Trees;
import dev.strata.driver.TreeCopy;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import dev.strata.volume.Volume;
import dev.strata.volume.VolumeStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Data volumes: directories outside the storage driver that containers mount. Writes to them bypass
 * copy-on-write, they outlive containers, and several containers can share one. Named volumes are made on
 * first use, as Docker does; an image's {@code VOLUME} gets an anonymous volume, filled from the image's
 * files at that path the first time.
 *
 * <p>Safe to call from many threads at once: each change is one transaction, and a volume's directory exists before
 * its row and goes after it.
 */
public final class Volumes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern ANONYMOUS = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final Store store;
    private final VolumeStore volumes;

    public Volumes(Store store) {
        this.store = store;
        this.volumes = store.volumes();
    }

    /** {@code volume create}: a named volume, or one with a random name; an existing name is returned as it is. */
    public VolumeInfo create(Optional<String> name, Map<String, String> labels) throws IOException, StrataException {
        String n = name.orElseGet(Volumes::randomName);
        try (Store.Lease lease = store.writeLease(); Tx tx = store.write()) {
            Volume v = volumes.create(tx, n, labels, name.isEmpty());
            VolumeInfo info = info(tx, v);
            tx.commit();
            return info;
        }
    }

    public List<VolumeInfo> list() throws IOException {
        try (Tx tx = store.read()) {
            List<VolumeInfo> out = new ArrayList<>();
            for (Volume v : volumes.list(tx)) {
                out.add(info(tx, v));
            }
            tx.commit();
            return out;
        }
    }

    public VolumeInfo inspect(String name) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            VolumeInfo info = info(tx, volumes.require(tx, name));
            tx.commit();
            return info;
        }
    }

    /** {@code volume rm}: a volume that a container uses cannot be removed; the error names the containers. */
    public void remove(String name) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease(); Tx tx = store.write()) {
            volumes.remove(tx, name);
            tx.commit();
        }
    }

    /** What a volume prune removed. */
    public record PruneResult(List<String> removed, long reclaimedBytes) {
    }

    /** {@code volume prune}: unused anonymous volumes, or with {@code all} every unused volume. */
    public PruneResult prune(boolean all) throws IOException, StrataException {
        try (Store.Lease lease = store.writeLease(); Tx tx = store.write()) {
            List<String> removed = new ArrayList<>();
            long bytes = 0;
            for (Volume v : volumes.list(tx)) {
                if ((all || v.anonymous()) && volumes.users(tx, v.name()).isEmpty()) {
                    bytes += Trees.regularFileBytes(volumes.dataDir(v.name()));
                    volumes.remove(tx, v.name());
                    removed.add(v.name());
                }
            }
            tx.commit();
            return new PruneResult(removed, bytes);
        }
    }

    /** Bytes in a volume, measured on demand (volumes are written by containers directly, so no row knows). */
    public long size(String name) throws IOException {
        return Trees.regularFileBytes(volumes.dataDir(name));
    }

    private VolumeInfo info(Tx tx, Volume v) throws IOException {
        return new VolumeInfo(v.name(), volumes.dataDir(v.name()), v.created(), v.labels(), v.anonymous(), volumes.users(tx, v.name()));
    }

    /**
     * Makes the directory of a new container's volume {@code name}, before any row exists, and fills it from
     * {@code seed} (the container's view of the image at the mount point) when the volume is new or empty and the
     * image has a directory there. Returns the directory it created, for clean-up if the action fails.
     */
    public Optional<Path> prepare(String name, Path seed) throws IOException {
        Path data = volumes.dataDir(name);
        Optional<Path> created = Files.exists(data.getParent()) ? Optional.empty() : Optional.of(data.getParent());
        Files.createDirectories(data);
        if (isEmpty(data) && Files.isDirectory(seed, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(seed)) {
            TreeCopy.copy(seed, data);
        }
        return created;
    }

    /** Where containers see the files of volume {@code name}. */
    public Path dataDir(String name) {
        return volumes.dataDir(name);
    }

    /**
     * Makes a volume of existing data, before any row exists (a migrated legacy volume): copies {@code data} into
     * {@code <root>/volumes/<name>/_data} with its owners, modes, times and xattrs, reflinking file data where the
     * file system can (btrfs, XFS) and copying it otherwise, and never writing to {@code data}. The copy is made in a
     * staging directory and renamed into place whole, so an interrupted copy is never taken for a volume. A volume
     * that exists (its row, or its directory) is left as it is. Returns the directory it put in place, for clean-up
     * if the action fails; {@link #attach} makes the row.
     */
    public Optional<Path> adopt(String name, Path data) throws IOException, InvalidArgumentException {
        VolumeStore.checkName(name);
        try (Tx tx = store.read()) {
            boolean known = volumes.get(tx, name).isPresent();
            tx.commit();
            if (known) {
                return Optional.empty();
            }
        }
        Path home = volumes.dataDir(name).getParent();
        if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // put in place by an action that died before its row, or being made by a create now
        }
        Path staging = volumes.stagingDir(name);
        Trees.deleteRecursively(staging); // what an interrupted copy left
        Path target = Files.createDirectories(staging.resolve("_data"));
        try {
            TreeCopy.copy(data, target);
            Files.move(staging, home, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Trees.deleteRecursively(staging);
            throw e;
        }
        return Optional.of(home);
    }

    /**
     * Records in {@code tx} that container {@code containerId} mounts the volumes {@code names}, making rows for the
     * new ones (anonymous when the name is 64 hex digits, as {@link #newAnonymousName} makes them).
     */
    public void attach(Tx tx, String containerId, Collection<String> names) throws IOException, InvalidArgumentException {
        for (String name : names) {
            volumes.create(tx, name, Map.of(), ANONYMOUS.matcher(name).matches());
            volumes.attach(tx, containerId, name);
        }
    }

    /** When a container goes: forgets its mounts, and with {@code removeAnonymous} removes its anonymous volumes. */
    public void detach(Tx tx, String containerId, boolean removeAnonymous) throws IOException, StrataException {
        List<Volume> mine = volumes.of(tx, containerId);
        volumes.detachAll(tx, containerId);
        if (removeAnonymous) {
            for (Volume v : mine) {
                if (v.anonymous() && volumes.users(tx, v.name()).isEmpty()) {
                    volumes.remove(tx, v.name());
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        }
    }

    /** Checks a volume name a user gave (Docker's rule). */
    public static void checkName(String name) throws InvalidArgumentException {
        VolumeStore.checkName(name);
    }

    /** A name for a new anonymous volume: 64 random hex digits. */
    public static String newAnonymousName() {
        return randomName();
    }

    private static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
