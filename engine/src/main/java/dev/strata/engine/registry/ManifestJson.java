package dev.strata.engine.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.image.Descriptor;
import java.util.List;
import java.util.Map;

/**
 * Typed JSON templates of the distribution documents: descriptors, image manifests (OCI and Docker v2.2) and
 * indexes (OCI image index, Docker manifest list). Documents that came from a registry are kept as the bytes they
 * came in; these records only read them, and write the manifests Strata makes itself.
 */
public final class ManifestJson {
    private ManifestJson() {
    }

    /** An image manifest: one config and its layers, bottom first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers", "annotations"})
    public record ImageManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
            Map<String, String> annotations) {
    }

    /** An image index or manifest list: one manifest per platform. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"schemaVersion", "mediaType", "manifests"})
    public record ImageIndex(int schemaVersion, String mediaType, List<Descriptor> manifests) {
    }

    /** A manifest GET's body as far as needed to tell what it is. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Probe(Integer schemaVersion, String mediaType, Descriptor config, List<Descriptor> manifests, List<Object> fsLayers) {
    }
}
