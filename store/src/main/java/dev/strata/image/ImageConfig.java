package dev.strata.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.digest.Digest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * An image config (OCI image config, which Docker's is a superset of). Read from stored bytes to answer questions;
 * written only for images Strata creates itself. A config that came from elsewhere is never re-serialised: its
 * bytes, and so its image ID, stay exactly as they came.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"architecture", "os", "variant", "created", "author", "comment", "config", "rootfs", "history"})
public record ImageConfig(
        String architecture,
        String os,
        String variant,
        String created,
        String author,
        String comment,
        @JsonProperty("docker_version") String dockerVersion,
        ContainerConfig config,
        RootFs rootfs,
        List<History> history) {

    /** The {@code rootfs} section: the DiffIDs of the image's layers, bottom first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type", "diff_ids"})
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {
        public List<Digest> layers() {
            return diffIds == null ? List.of() : diffIds.stream().map(Digest::parse).toList();
        }
    }

    /** One {@code history} row; rows with {@code empty_layer} made no layer. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"created", "created_by", "author", "comment", "empty_layer"})
    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") boolean emptyLayer) {
    }

    public List<Digest> diffIds() {
        return rootfs == null ? List.of() : rootfs.layers();
    }

    public List<History> historyOrEmpty() {
        return history == null ? List.of() : history;
    }

    public ContainerConfig configOrEmpty() {
        return config == null ? ContainerConfig.EMPTY : config;
    }

    public Optional<Instant> createdInstant() {
        return parseTime(created);
    }

    /** RFC 3339 times as Go writes them (with or without fractions, Z or an offset). */
    public static Optional<Instant> parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
