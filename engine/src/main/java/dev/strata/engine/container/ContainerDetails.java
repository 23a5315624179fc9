package dev.strata.engine.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** {@code inspect} of a container, in the shape {@code docker container inspect} prints. */
@JsonPropertyOrder({"Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath", "HostsPath", "LogPath", "Name",
        "RestartCount", "Driver", "Platform", "MountLabel", "ProcessLabel", "AppArmorProfile", "ExecIDs", "HostConfig", "GraphDriver",
        "Mounts", "Config", "NetworkSettings"})
public record ContainerDetails(
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
        @JsonProperty("Path") String path,
        @JsonProperty("Args") List<String> args,
        @JsonProperty("State") State state,
        @JsonProperty("Image") String image,
        @JsonProperty("ResolvConfPath") String resolvConfPath,
        @JsonProperty("HostnamePath") String hostnamePath,
        @JsonProperty("HostsPath") String hostsPath,
        @JsonProperty("LogPath") String logPath,
        @JsonProperty("Name") String name,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Platform") String platform,
        @JsonProperty("MountLabel") String mountLabel,
        @JsonProperty("ProcessLabel") String processLabel,
        @JsonProperty("AppArmorProfile") String appArmorProfile,
        @JsonProperty("ExecIDs") List<String> execIds,
        @JsonProperty("HostConfig") HostSpec hostConfig,
        @JsonProperty("GraphDriver") GraphDriver graphDriver,
        @JsonProperty("Mounts") List<MountPoint> mounts,
        @JsonProperty("Config") ContainerSpec config,
        @JsonProperty("NetworkSettings") NetworkSettings networkSettings) {

    /** Docker's {@code State}; times are RFC 3339, {@code 0001-01-01T00:00:00Z} for never. */
    @JsonPropertyOrder({"Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error", "StartedAt",
            "FinishedAt"})
    public record State(
            @JsonProperty("Status") String status,
            @JsonProperty("Running") boolean running,
            @JsonProperty("Paused") boolean paused,
            @JsonProperty("Restarting") boolean restarting,
            @JsonProperty("OOMKilled") boolean oomKilled,
            @JsonProperty("Dead") boolean dead,
            @JsonProperty("Pid") long pid,
            @JsonProperty("ExitCode") int exitCode,
            @JsonProperty("Error") String error,
            @JsonProperty("StartedAt") String startedAt,
            @JsonProperty("FinishedAt") String finishedAt) {

        static State of(ContainerState s) {
            return new State(s.status().label(), s.running(), s.paused(), false, s.oomKilled(), false, s.pid(), s.exitCode(), s.error(),
                    GoTime.format(s.startedAt()), GoTime.format(s.finishedAt()));
        }
    }

    /** Where the container's files are: for overlay2 the LowerDir, MergedDir, UpperDir and WorkDir. */
    @JsonPropertyOrder({"Data", "Name"})
    public record GraphDriver(@JsonProperty("Data") Map<String, String> data, @JsonProperty("Name") String name) {
    }

    /** One entry of {@code Mounts}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"})
    public record MountPoint(
            @JsonProperty("Type") String type,
            @JsonProperty("Name") String name,
            @JsonProperty("Source") String source,
            @JsonProperty("Destination") String destination,
            @JsonProperty("Driver") String driver,
            @JsonProperty("Mode") String mode,
            @JsonProperty("RW") boolean rw,
            @JsonProperty("Propagation") String propagation) {
    }

    /** Strata has no bridge network: the container shares the host's network or has only a loopback device. */
    @JsonPropertyOrder({"Bridge", "SandboxID", "SandboxKey", "Ports", "Networks"})
    public record NetworkSettings(
            @JsonProperty("Bridge") String bridge,
            @JsonProperty("SandboxID") String sandboxId,
            @JsonProperty("SandboxKey") String sandboxKey,
            @JsonProperty("Ports") Map<String, Object> ports,
            @JsonProperty("Networks") Map<String, Map<String, Object>> networks) {
    }
}
