package dev.strata.engine.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.layer.LayerStore;
import dev.strata.error.BadContentException;
import dev.strata.image.Image;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import dev.strata.layer.Layer;
import dev.strata.reference.Reference;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code inspect} of an image, in the shape {@code docker image inspect} prints. */
@JsonPropertyOrder({"Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "DockerVersion", "Author", "Config",
        "Architecture", "Variant", "Os", "Size", "VirtualSize", "GraphDriver", "RootFS", "Metadata"})
public record ImageDetails(
        @JsonProperty("Id") String id,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Parent") String parent,
        @JsonProperty("Comment") String comment,
        @JsonProperty("Created") String created,
        @JsonProperty("DockerVersion") String dockerVersion,
        @JsonProperty("Author") String author,
        @JsonProperty("Config") JsonNode config,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("Variant") String variant,
        @JsonProperty("Os") String os,
        @JsonProperty("Size") long size,
        @JsonProperty("VirtualSize") long virtualSize,
        @JsonProperty("GraphDriver") GraphDriver graphDriver,
        @JsonProperty("RootFS") RootFs rootFs,
        @JsonProperty("Metadata") Map<String, Object> metadata) {

    /** Where the image's files are, driver-specific. */
    @JsonPropertyOrder({"Name", "Data"})
    public record GraphDriver(@JsonProperty("Name") String name, @JsonProperty("Data") Map<String, String> data) {
    }

    @JsonPropertyOrder({"Type", "Layers"})
    public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {
    }

    static ImageDetails of(Image image, ImageConfig config, byte[] configBytes, List<Reference> tags, List<Reference> digests,
            List<Layer> stack, LayerStore layers) throws IOException, BadContentException {
        JsonNode raw;
        try {
            raw = ImageJson.MAPPER.readTree(configBytes).get("config");
        } catch (JacksonException e) {
            throw new BadContentException("image config " + image.id() + " is not valid JSON: " + e.getOriginalMessage());
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (!stack.isEmpty()) {
            data.put("Dir", layers.files(stack.getLast()).toString());
        }
        return new ImageDetails(
                image.id().toString(),
                tags.stream().map(Reference::familiarString).toList(),
                digests.stream().map(Reference::familiarString).toList(),
                image.parent().map(Object::toString).orElse(""),
                config.comment() == null ? "" : config.comment(),
                config.created() == null ? "" : config.created(),
                config.dockerVersion() == null ? "" : config.dockerVersion(),
                config.author() == null ? "" : config.author(),
                raw,
                config.architecture(),
                config.variant(),
                config.os(),
                image.size(),
                image.size(),
                new GraphDriver(layers.driverStatus().name(), data),
                new RootFs("layers", config.diffIds().stream().map(Object::toString).toList()),
                Map.of("LastTagTime", "0001-01-01T00:00:00Z"));
    }
}
