package dev.strata.engine.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One mount a container asks for, in the shape of Docker's {@code HostConfig.Mounts[]}: from {@code -v}, from
 * {@code --mount}, from {@code --tmpfs}, or an anonymous volume for an image's {@code VOLUME}.
 *
 * @param type bind, volume or tmpfs
 * @param source host path (bind), volume name (volume; empty for an anonymous one), unused for tmpfs
 * @param target absolute path in the container
 * @param options tmpfs options ({@code size=64m,mode=1777}) or bind propagation; may be empty
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"Type", "Source", "Target", "ReadOnly", "Options"})
public record MountSpec(
        @JsonProperty("Type") MountType type,
        @JsonProperty("Source") String source,
        @JsonProperty("Target") String target,
        @JsonProperty("ReadOnly") boolean readOnly,
        @JsonProperty("Options") String options) {

    public static final MountType BIND = MountType.BIND;
    public static final MountType VOLUME = MountType.VOLUME;
    public static final MountType TMPFS = MountType.TMPFS;
}
