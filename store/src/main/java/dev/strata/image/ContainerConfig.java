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

    /** A builder starting from this config: {@code config.toBuilder().cmd(List.of("sh")).build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a config field by field (the Dockerfile builder and {@code --change} set one at a time). */
    public static final class Builder {
        private String user;
        private Map<String, Object> exposedPorts;
        private List<String> env;
        private List<String> entrypoint;
        private List<String> cmd;
        private JsonNode healthcheck;
        private Boolean argsEscaped;
        private Map<String, Object> volumes;
        private String workingDir;
        private Map<String, String> labels;
        private String stopSignal;
        private List<String> onBuild;
        private List<String> shell;

        private Builder(ContainerConfig c) {
            user = c.user;
            exposedPorts = c.exposedPorts;
            env = c.env;
            entrypoint = c.entrypoint;
            cmd = c.cmd;
            healthcheck = c.healthcheck;
            argsEscaped = c.argsEscaped;
            volumes = c.volumes;
            workingDir = c.workingDir;
            labels = c.labels;
            stopSignal = c.stopSignal;
            onBuild = c.onBuild;
            shell = c.shell;
        }

        public Builder user(String v) {
            user = v;
            return this;
        }

        public Builder exposedPorts(Map<String, Object> v) {
            exposedPorts = v;
            return this;
        }

        public Builder env(List<String> v) {
            env = v;
            return this;
        }

        public Builder entrypoint(List<String> v) {
            entrypoint = v;
            return this;
        }

        public Builder cmd(List<String> v) {
            cmd = v;
            return this;
        }

        public Builder healthcheck(JsonNode v) {
            healthcheck = v;
            return this;
        }

        public Builder argsEscaped(Boolean v) {
            argsEscaped = v;
            return this;
        }

        public Builder volumes(Map<String, Object> v) {
            volumes = v;
            return this;
        }

        public Builder workingDir(String v) {
            workingDir = v;
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder stopSignal(String v) {
            stopSignal = v;
            return this;
        }

        public Builder onBuild(List<String> v) {
            onBuild = v;
            return this;
        }

        public Builder shell(List<String> v) {
            shell = v;
            return this;
        }

        public ContainerConfig build() {
            return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, healthcheck, argsEscaped, volumes, workingDir, labels,
                    stopSignal, onBuild, shell);
        }
    }
}
