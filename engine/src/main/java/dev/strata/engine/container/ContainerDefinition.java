package dev.strata.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.image.ImageJson;

/** What a container row stores about how to run it: Docker's {@code Config} and {@code HostConfig}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Config", "HostConfig"})
public record ContainerDefinition(@JsonProperty("Config") ContainerSpec config, @JsonProperty("HostConfig") HostSpec host) {
    public String toJson() {
        return ImageJson.MAPPER.writeValueAsString(this);
    }

    public static ContainerDefinition fromJson(String json) {
        return ImageJson.MAPPER.readValue(json, ContainerDefinition.class);
    }
}
