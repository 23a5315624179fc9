package dev.strata.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The {@code config} section of an image config: how a container of this image runs by default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Healthcheck", "ArgsEscaped", "Volumes", "WorkingDir",
        "Labels", "StopSignal", "OnBuild", "Shell"})
public record ContainerConfig(
        @JsonProperty("User") String user,
        @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Healthcheck") JsonNode healthcheck,
        @JsonProperty("ArgsEscaped") Boolean argsEscaped,
        @JsonProperty("Volumes") Map<String, Object> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("Shell") List<String> shell) {

    public static final ContainerConfig EMPTY =
            new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public ContainerConfig withUser(String v) {
        return new ContainerConfig(v, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withExposedPorts(Map<String, Object> v) {
        return new ContainerConfig(user, v, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withEnv(List<String> v) {
        return new ContainerConfig(user, exposedPorts, v, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withEntrypoint(List<String> v) {
        return new ContainerConfig(user, exposedPorts, env, v, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withCmd(List<String> v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, v, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withHealthcheck(JsonNode v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, v, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withVolumes(Map<String, Object> v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, v, workingDir, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withWorkingDir(String v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, v, labels,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withLabels(Map<String, String> v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, v,
                stopSignal, onBuild, shell);
    }

    public ContainerConfig withStopSignal(String v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                v, onBuild, shell);
    }

    public ContainerConfig withOnBuild(List<String> v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, v, shell);
    }

    public ContainerConfig withShell(List<String> v) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                stopSignal, onBuild, v);
    }
}
