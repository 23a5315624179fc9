package dev.strata.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A container's configuration, in the shape of Docker's container {@code Config} (what {@code inspect} shows):
 * the image's defaults merged with what the user gave to {@code create} or {@code run}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "ExposedPorts", "Tty",
        "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels",
        "StopSignal"})
public record ContainerSpec(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("OpenStdin") boolean openStdin,
        @JsonProperty("StdinOnce") boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Image") String image,
        @JsonProperty("Volumes") Map<String, Object> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal) {

    public ContainerSpec withHostname(String h) {
        return new ContainerSpec(h, domainname, user, attachStdin, attachStdout, attachStderr, exposedPorts, tty, openStdin,
                stdinOnce, env, cmd, image, volumes, workingDir, entrypoint, onBuild, labels, stopSignal);
    }

    /** The part of this configuration an image keeps when the container is committed. */
    public dev.strata.image.ContainerConfig toImageConfig() {
        return new dev.strata.image.ContainerConfig(user == null || user.isEmpty() ? null : user, exposedPorts, env, entrypoint, cmd,
                null, null, volumes, workingDir == null || workingDir.isEmpty() ? null : workingDir, labels == null || labels.isEmpty() ? null : labels,
                stopSignal, onBuild, null);
    }

    /** The command line the container runs: entrypoint followed by cmd. */
    public List<String> commandLine() {
        List<String> out = new java.util.ArrayList<>();
        if (entrypoint != null) {
            out.addAll(entrypoint);
        }
        if (cmd != null) {
            out.addAll(cmd);
        }
        return out;
    }
}
