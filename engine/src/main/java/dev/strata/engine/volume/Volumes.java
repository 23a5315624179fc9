package dev.strata.engine.volume;

import dev.strata.container.Container;
import dev.strata.engine.container.ContainerDefinition;
import dev.strata.engine.container.MountSpec;
import dev.strata.error.InvalidArgumentException;
import dev.strata.error.StrataException;
import dev.strata.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Data volumes: directories outside the storage driver, mounted into containers. This first version resolves
 * bind mounts and tmpfs; named and anonymous volumes come with the volume store.
 */
public final class Volumes {
    private final Store store;

    public Volumes(Store store) {
        this.store = store;
    }

    /** The container's mounts as the runtime needs them, in the order they were given. */
    public List<RuntimeMount> mountsFor(Container container, ContainerDefinition definition) throws IOException, StrataException {
        List<RuntimeMount> out = new ArrayList<>();
        for (MountSpec m : definition.host().mounts()) {
            switch (m.type()) {
                case MountSpec.BIND -> out.add(new RuntimeMount("bind", Path.of(m.source()), m.target(),
                        m.readOnly() ? List.of("rbind", "ro") : List.of("rbind")));
                case MountSpec.TMPFS -> {
                    List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                    if (m.options() != null && !m.options().isEmpty()) {
                        options.addAll(List.of(m.options().split(",")));
                    }
                    out.add(new RuntimeMount("tmpfs", null, m.target(), options));
                }
                default -> throw new InvalidArgumentException("volume mounts are not supported yet: " + m.target());
            }
        }
        return out;
    }
}
