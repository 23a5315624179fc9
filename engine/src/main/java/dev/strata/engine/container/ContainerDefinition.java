package dev.strata.engine.container;

import static dev.strata.image.JsonTree.emptyObjects;
import static dev.strata.image.JsonTree.flag;
import static dev.strata.image.JsonTree.object;
import static dev.strata.image.JsonTree.string;
import static dev.strata.image.JsonTree.stringMap;
import static dev.strata.image.JsonTree.strings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.image.ImageJson;
import dev.strata.image.JsonTree;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What a container row stores about how to run it: Docker's {@code Config} and {@code HostConfig}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Config", "HostConfig"})
public record ContainerDefinition(@JsonProperty("Config") ContainerSpec config, @JsonProperty("HostConfig") HostSpec host) {
    public String toJson() {
        return ImageJson.MAPPER.writeValueAsString(this);
    }

    public static ContainerDefinition fromJson(String json) {
        try {
            JsonNode root = ImageJson.MAPPER.readTree(json);
            if (root != null && root.isObject()) {
                return new ContainerDefinition(spec(object(root.get("Config"))), host(object(root.get("HostConfig"))));
            }
        } catch (JsonTree.Unhandled | JacksonException e) {
            // a value the tree reader does not take: the bean mapping reads it, or reports it
        }
        return ImageJson.MAPPER.readValue(json, ContainerDefinition.class);
    }

    // Read from the tree (JsonTree): the first bean mapping of these records would cost each command ~0.1 s.

    private static ContainerSpec spec(JsonNode c) throws JsonTree.Unhandled {
        if (c == null) {
            return null;
        }
        return new ContainerSpec(string(c, "Hostname"), string(c, "Domainname"), string(c, "User"), flag(c, "AttachStdin"),
                flag(c, "AttachStdout"), flag(c, "AttachStderr"), emptyObjects(c.get("ExposedPorts")), flag(c, "Tty"),
                flag(c, "OpenStdin"), flag(c, "StdinOnce"), strings(c.get("Env")), strings(c.get("Cmd")), string(c, "Image"),
                emptyObjects(c.get("Volumes")), string(c, "WorkingDir"), strings(c.get("Entrypoint")), strings(c.get("OnBuild")),
                stringMap(c.get("Labels")), string(c, "StopSignal"));
    }

    private static HostSpec host(JsonNode h) throws JsonTree.Unhandled {
        if (h == null) {
            return null;
        }
        JsonNode mounts = h.get("Mounts");
        List<MountSpec> list = null;
        if (!JsonTree.absent(mounts)) {
            if (!mounts.isArray()) {
                throw new JsonTree.Unhandled();
            }
            list = new ArrayList<>();
            for (JsonNode m : mounts) {
                if (object(m) == null) {
                    throw new JsonTree.Unhandled();
                }
                MountType type = MountType.parse(string(m, "Type")).orElseThrow(JsonTree.Unhandled::new);
                list.add(new MountSpec(type, string(m, "Source"), string(m, "Target"), flag(m, "ReadOnly"),
                        string(m, "Options")));
            }
        }
        return new HostSpec(list, string(h, "NetworkMode"), flag(h, "ReadonlyRootfs"), flag(h, "Init"), flag(h, "AutoRemove"));
    }
}
