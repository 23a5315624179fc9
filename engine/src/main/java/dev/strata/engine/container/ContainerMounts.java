package dev.strata.engine.container;

import dev.strata.engine.runtime.RuntimeMount;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.InvalidArgumentException;
import dev.strata.metadata.Tx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's mounts ({@link MountSpec}s) against the volumes they name: which volumes a new container gets, their
 * directories and rows, and the mounts the OCI runtime is given. The volume side knows nothing of containers.
 */
public final class ContainerMounts {
    private final Volumes volumes;

    public ContainerMounts(Volumes volumes) {
        this.volumes = volumes;
    }

    /**
     * Gives every volume mount of a new container a volume: names the anonymous ones, adds one for each image
     * {@code VOLUME} that no mount covers. Returns the mounts with every volume named.
     */
    public static List<MountSpec> assign(List<MountSpec> mounts, Set<String> imageVolumes) throws InvalidArgumentException {
        List<MountSpec> out = new ArrayList<>();
        Map<String, MountSpec> byTarget = new LinkedHashMap<>();
        for (MountSpec m : mounts) {
            if (m.type().equals(MountSpec.VOLUME)) {
                if (m.source() == null || m.source().isEmpty()) {
                    m = new MountSpec(MountSpec.VOLUME, Volumes.newAnonymousName(), m.target(), m.readOnly(), m.options());
                } else {
                    Volumes.checkName(m.source());
                }
            }
            if (byTarget.put(m.target(), m) != null) {
                throw new InvalidArgumentException("Duplicate mount point: " + m.target());
            }
            out.add(m);
        }
        for (String target : imageVolumes) {
            if (!byTarget.containsKey(target)) {
                out.add(new MountSpec(MountSpec.VOLUME, Volumes.newAnonymousName(), target, false, null));
            }
        }
        return out;
    }

    /** The names of the volumes {@code mounts} mount, in order. */
    public static List<String> volumeNames(List<MountSpec> mounts) {
        return mounts.stream().filter(m -> m.type().equals(MountSpec.VOLUME)).map(MountSpec::source).toList();
    }

    /**
     * Makes the directories of a new container's volumes and fills empty ones from {@code view}, the container's
     * file system, at their mount points, before any row exists. Returns the directories it created, for clean-up if
     * the action fails.
     */
    public List<Path> prepare(List<MountSpec> mounts, Path view) throws IOException {
        List<Path> created = new ArrayList<>();
        for (MountSpec m : mounts) {
            if (m.type().equals(MountSpec.VOLUME)) {
                volumes.prepare(m.source(), view.resolve(m.target().replaceFirst("^/+", ""))).ifPresent(created::add);
            }
        }
        return created;
    }

    /** Records the new container's volumes in its transaction (making rows for new ones). */
    public void attach(Tx tx, String containerId, List<MountSpec> mounts) throws IOException, InvalidArgumentException {
        volumes.attach(tx, containerId, volumeNames(mounts));
    }

    /** The container's mounts as the runtime needs them, in the order they were given. */
    public List<RuntimeMount> forRuntime(ContainerDefinition definition) throws InvalidArgumentException {
        List<RuntimeMount> out = new ArrayList<>();
        for (MountSpec m : definition.host().mounts()) {
            List<String> bindOptions = m.readOnly() ? List.of("rbind", "ro") : List.of("rbind");
            switch (m.type()) {
                case BIND -> out.add(new RuntimeMount("bind", Path.of(m.source()), m.target(), bindOptions));
                case VOLUME -> out.add(new RuntimeMount("bind", volumes.dataDir(m.source()), m.target(), bindOptions));
                case TMPFS -> {
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
}
