package dev.strata.engine.migrate;

import dev.strata.engine.container.MountSpec;
import dev.strata.error.BadContentException;
import dev.strata.error.InvalidArgumentException;
import dev.strata.volume.VolumeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The volumes and bind mounts of a legacy container, read from its {@code config.json} in either of the two forms
 * Docker used (only read; what the paths in it say about the old daemon's root is not trusted, the data is looked
 * for under the legacy root given to the migration):
 * <ul>
 *   <li>Docker 1.7 to 1.9: {@code "MountPoints": {"/data": {"Name", "Source", "Destination", "Driver", "RW", ...}}}.
 *   A mount with a {@code Name} is a volume (64 hex digits: an anonymous one) whose files are in
 *   {@code volumes/<name>/_data}; that may be a symbolic link to {@code vfs/dir/<id>} for a volume Docker 1.8+ took
 *   over from 1.6. A mount without one is a bind of the host path {@code Source}. The {@code Volumes} and
 *   {@code VolumesRW} maps these versions still wrote are copies of the same mounts, and {@code hostconfig.json}'s
 *   {@code Binds} is the request they were made from, so neither is read.</li>
 *   <li>Docker ≤ 1.6: {@code "Volumes": {"/data": "/var/lib/docker/vfs/dir/<id>"}} and {@code "VolumesRW"}. A path
 *   {@code .../vfs/dir/<64 hex>} is a volume named {@code <id>} (as Docker 1.7 named it when it took these over) with
 *   its files in {@code vfs/dir/<id>}; any other path is a bind. A destination missing from {@code VolumesRW} is
 *   read-only, as Docker 1.8+ read it.</li>
 * </ul>
 */
final class LegacyMounts {
    private static final Pattern VFS_DIR = Pattern.compile("(?:^|.*/)vfs/dir/([0-9a-f]{64})/?$");

    private LegacyMounts() {
    }

    /**
     * One mount of a legacy container.
     *
     * @param volume the volume's name; empty for a bind mount
     * @param source for a volume, where its files are in the legacy root (they may be missing); for a bind, the host path
     */
    record Mount(String target, String volume, Path source, boolean readOnly) {
        boolean isVolume() {
            return !volume.isEmpty();
        }

        /** As a Strata container asks for it ({@code -v name:/target[:ro]} or {@code -v /host:/target[:ro]}). */
        MountSpec spec() {
            return new MountSpec(isVolume() ? MountSpec.VOLUME : MountSpec.BIND, isVolume() ? volume : source.toString(), target,
                    readOnly, null);
        }
    }

    /** The container's mounts, ordered by destination; {@code root} is the legacy root. */
    static List<Mount> of(Path root, JsonNode config) throws BadContentException, IOException {
        List<Mount> out = new ArrayList<>();
        JsonNode points = config.get("MountPoints");
        if (points != null && points.isObject() && !points.isEmpty()) {
            for (Map.Entry<String, JsonNode> e : points.properties()) {
                JsonNode m = e.getValue();
                String target = text(m, "Destination", e.getKey());
                String name = text(m, "Name", "");
                String driver = text(m, "Driver", "");
                boolean readOnly = !m.path("RW").asBoolean(false);
                if (name.isEmpty()) {
                    out.add(new Mount(target, "", bindSource(target, text(m, "Source", "")), readOnly));
                } else if (!driver.isEmpty() && !driver.equals("local")) {
                    throw new BadContentException("its volume " + name + " (at " + target + ") belongs to the volume driver \"" + driver
                            + "\"; Strata has only local volumes");
                } else {
                    out.add(new Mount(target, name, localData(root, name), readOnly));
                }
            }
        } else {
            JsonNode volumes = config.get("Volumes");
            JsonNode rw = config.path("VolumesRW");
            if (volumes != null && volumes.isObject()) {
                for (Map.Entry<String, JsonNode> e : volumes.properties()) {
                    String target = e.getKey();
                    String path = e.getValue().asString("");
                    boolean readOnly = !rw.path(target).asBoolean(false);
                    Matcher vfs = VFS_DIR.matcher(path);
                    if (vfs.matches()) {
                        out.add(new Mount(target, vfs.group(1), root.resolve("vfs").resolve("dir").resolve(vfs.group(1)), readOnly));
                    } else {
                        out.add(new Mount(target, "", bindSource(target, path), readOnly));
                    }
                }
            }
        }
        for (Mount m : out) {
            if (!m.target().startsWith("/") || Path.of(m.target()).normalize().toString().equals("/")) {
                throw new BadContentException("its mount at \"" + m.target() + "\" has no usable destination");
            }
        }
        out.sort(java.util.Comparator.comparing(Mount::target));
        return out;
    }

    /**
     * Where a local volume's files are: {@code volumes/<name>/_data}, or, when that is Docker 1.8's symbolic link to a
     * 1.6 volume, the {@code vfs/dir/<id>} of this root it points at (the link names the old daemon's root, which may
     * not be where the legacy root is now).
     */
    private static Path localData(Path root, String name) throws BadContentException, IOException {
        try {
            VolumeStore.checkName(name);
        } catch (InvalidArgumentException e) {
            throw new BadContentException("its volume has an unusable name: " + e.getMessage());
        }
        Path data = root.resolve("volumes").resolve(name).resolve("_data");
        if (Files.isSymbolicLink(data)) {
            Path link = Files.readSymbolicLink(data);
            Matcher vfs = VFS_DIR.matcher(link.toString());
            if (vfs.matches()) {
                return root.resolve("vfs").resolve("dir").resolve(vfs.group(1));
            }
            return data.getParent().resolve(link);
        }
        return data;
    }

    private static Path bindSource(String target, String source) throws BadContentException {
        if (!source.startsWith("/")) {
            throw new BadContentException("its bind mount at " + target + " has no absolute host path (\"" + source + "\")");
        }
        return Path.of(source).normalize();
    }

    /** True when a volume's files are there to migrate (a directory, through symbolic links). */
    static boolean hasData(Mount m) {
        return Files.isDirectory(m.source());
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode v = node.get(field);
        return v != null && v.isString() && !v.asString().isEmpty() ? v.asString() : otherwise;
    }
}
