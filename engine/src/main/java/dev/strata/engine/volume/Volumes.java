package dev.strata.engine.volume;

import dev.strata.container.Container;
import dev.strata.driver.Trees;
import dev.strata.driver.TreeCopy;
import dev.strata.engine.container.ContainerDefinition;
import dev.strata.engine.container.MountSpec;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Data volumes: directories outside the storage driver that containers mount. Writes to them bypass
 * copy-on-write, they outlive containers, and several containers can share one. Named volumes are made on
 * first use, as Docker does; an image's {@code VOLUME} gets an anonymous volume, filled from the image's
 * files at that path the first time.
 */
public final class Volumes {
    private static final SecureRandom RANDOM = new SecureRandom();

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
     * Gives every volume mount of a new container a volume: names the anonymous ones, adds one for each image
     * {@code VOLUME} that no mount covers. Returns the mounts with every volume named.
     */
    public List<MountSpec> assign(List<MountSpec> mounts, Set<String> imageVolumes) throws InvalidArgumentException {
        List<MountSpec> out = new ArrayList<>();
        Map<String, MountSpec> byTarget = new LinkedHashMap<>();
        for (MountSpec m : mounts) {
            if (m.type().equals(MountSpec.VOLUME)) {
                if (m.source() == null || m.source().isEmpty()) {
                    m = new MountSpec(MountSpec.VOLUME, randomName(), m.target(), m.readOnly(), m.options());
                } else {
                    VolumeStore.checkName(m.source());
                }
            }
            if (byTarget.put(m.target(), m) != null) {
                throw new InvalidArgumentException("Duplicate mount point: " + m.target());
            }
            out.add(m);
        }
        for (String target : imageVolumes) {
            if (!byTarget.containsKey(target)) {
                out.add(new MountSpec(MountSpec.VOLUME, randomName(), target, false, null));
            }
        }
        return out;
    }

    /**
     * Makes the directories of a new container's volumes and fills empty ones from the container's view of the
     * image at their mount point, before any row exists. Returns the directories it created, for clean-up if
     * the action fails.
     */
    public List<Path> prepare(List<MountSpec> mounts, Path view) throws IOException {
        List<Path> created = new ArrayList<>();
        for (MountSpec m : mounts) {
            if (!m.type().equals(MountSpec.VOLUME)) {
                continue;
            }
            Path data = volumes.dataDir(m.source());
            if (!Files.exists(data.getParent())) {
                created.add(data.getParent());
            }
            Files.createDirectories(data);
            Path inImage = view.resolve(m.target().replaceFirst("^/+", ""));
            if (isEmpty(data) && Files.isDirectory(inImage, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(inImage)) {
                TreeCopy.copy(inImage, data);
            }
        }
        return created;
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

    /** Records the new container's volumes in its transaction (making rows for new ones). */
    public void attach(Tx tx, String containerId, List<MountSpec> mounts) throws IOException, InvalidArgumentException {
        for (MountSpec m : mounts) {
            if (m.type().equals(MountSpec.VOLUME)) {
                boolean anonymous = m.source().matches("[0-9a-f]{64}");
                volumes.create(tx, m.source(), Map.of(), anonymous);
                volumes.attach(tx, containerId, m.source());
            }
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

    /** The container's mounts as the runtime needs them, in the order they were given. */
    public List<RuntimeMount> mountsFor(Container container, ContainerDefinition definition) throws IOException, StrataException {
        List<RuntimeMount> out = new ArrayList<>();
        for (MountSpec m : definition.host().mounts()) {
            List<String> bindOptions = m.readOnly() ? List.of("rbind", "ro") : List.of("rbind");
            switch (m.type()) {
                case MountSpec.BIND -> out.add(new RuntimeMount("bind", Path.of(m.source()), m.target(), bindOptions));
                case MountSpec.VOLUME -> out.add(new RuntimeMount("bind", volumes.dataDir(m.source()), m.target(), bindOptions));
                case MountSpec.TMPFS -> {
                    List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                    if (m.options() != null && !m.options().isEmpty()) {
                        options.addAll(List.of(m.options().split(",")));
                    }
                    out.add(new RuntimeMount("tmpfs", null, m.target(), options));
                }
                default -> throw new InvalidArgumentException("unknown mount type \"" + m.type() + "\" for " + m.target());
            }
        }
        return out;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        }
    }

    private static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
