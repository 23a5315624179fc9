package dev.strata.engine.container;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** What a container mount is: a host path, a data volume, or a tmpfs. Written as Docker names them. */
public enum MountType {
    BIND("bind"),
    VOLUME("volume"),
    TMPFS("tmpfs");

    private final String dockerName;

    MountType(String dockerName) {
        this.dockerName = dockerName;
    }

    /** {@code bind}, {@code volume}, {@code tmpfs}. */
    @JsonValue
    @Override
    public String toString() {
        return dockerName;
    }

    /** The type Docker calls {@code name}, if it is one of these. */
    public static Optional<MountType> parse(String name) {
        for (MountType t : values()) {
            if (t.dockerName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static MountType fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown mount type \"" + name + "\"; use bind, volume or tmpfs"));
    }
}
