package dev.strata.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * How a container runs on this host, in the shape of Docker's container {@code HostConfig}.
 *
 * @param mounts every mount the container asked for ({@code -v}, {@code --mount}, {@code --tmpfs}), in order
 * @param networkMode {@code host} or {@code none}
 * @param init run {@code tini} as PID 1 ({@code --init})
 * @param autoRemove remove the container when it exits ({@code --rm})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Mounts", "NetworkMode", "ReadonlyRootfs", "Init", "AutoRemove"})
public record HostSpec(
        @JsonProperty("Mounts") List<MountSpec> mounts,
        @JsonProperty("NetworkMode") String networkMode,
        @JsonProperty("ReadonlyRootfs") boolean readonlyRootfs,
        @JsonProperty("Init") boolean init,
        @JsonProperty("AutoRemove") boolean autoRemove) {

    /** A definition written without Mounts (a Docker ≤ 1.9 hostconfig.json that the migrator carried over) has none. */
    public HostSpec {
        mounts = mounts == null ? List.of() : mounts;
    }

    public static final String NETWORK_HOST = "host";
    public static final String NETWORK_NONE = "none";

    public HostSpec withMounts(List<MountSpec> m) {
        return new HostSpec(m, networkMode, readonlyRootfs, init, autoRemove);
    }

    public static HostSpec defaults() {
        return new HostSpec(List.of(), NETWORK_HOST, false, false, false);
    }
}
