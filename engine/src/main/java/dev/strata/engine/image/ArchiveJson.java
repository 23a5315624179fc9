package dev.strata.engine.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import dev.strata.image.Descriptor;
import dev.strata.image.ImageJson;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON documents of image archives: docker-archive's {@code manifest.json} and the OCI image layout's index,
 * manifests and descriptors. Field order follows what Docker writes, so that saved archives look like Docker's and
 * are byte-for-byte reproducible.
 */
final class ArchiveJson {
    /** The full image name containerd (and Docker 25+) puts on index.json entries: {@code docker.io/library/x:1}. */
    static final String ANNOTATION_IMAGE_NAME = "io.containerd.image.name";
    /** The OCI ref name: Docker writes just the tag, podman and skopeo a whole reference. */
    static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";
    /** The {@code oci-layout} file, exactly as Docker writes it. */
    static final String OCI_LAYOUT = "{\"imageLayoutVersion\": \"1.0.0\"}";

    private ArchiveJson() {
    }

    /** One image in docker-archive's {@code manifest.json}; paths are relative to the archive root. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"Config", "RepoTags", "Layers"})
    record ManifestItem(
            @JsonProperty("Config") String config,
            // Docker writes null for an image saved by ID, not an empty list.
            @JsonProperty("RepoTags") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> repoTags,
            @JsonProperty("Layers") List<String> layers) {
    }

    /** The order Docker's {@code save} writes a descriptor's fields in (a Jackson mix-in on {@link Descriptor}). */
    @JsonPropertyOrder({"mediaType", "digest", "size", "platform", "annotations"})
    interface SaveOrder {
    }

    /** The one JSON mapper, writing descriptors in {@link SaveOrder}. */
    static final ObjectMapper MAPPER = ((JsonMapper) ImageJson.MAPPER).rebuild().addMixIn(Descriptor.class, SaveOrder.class).build();


    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"schemaVersion", "mediaType", "manifests"})
    record Index(int schemaVersion, String mediaType, List<Descriptor> manifests) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers"})
    record Manifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {
    }
}
