package dev.strata.engine.image;

import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.image.ContainerConfig;
import dev.strata.image.ImageConfig;
import dev.strata.image.ImageJson;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derives the config of a new image from its parent's config bytes (commit, build): everything the parent had
 * stays, including fields Strata does not model, and the new layer and history row are appended.
 */
public final class ConfigDocument {
    private ConfigDocument() {
    }

    /**
     * @param diffId the new layer's DiffID, or empty for a step that made no layer ({@code empty_layer})
     */
    public static byte[] derive(byte[] parentConfig, String created, ContainerConfig config, Optional<Digest> diffId,
            ImageConfig.History history, Optional<String> author) throws BadContentException {
        ObjectNode doc;
        try {
            JsonNode tree = ImageJson.MAPPER.readTree(parentConfig);
            if (!(tree instanceof ObjectNode o)) {
                throw new BadContentException("the parent image's config is not a JSON object");
            }
            doc = o.deepCopy();
        } catch (JacksonException e) {
            throw new BadContentException("the parent image's config is not valid JSON: " + e.getOriginalMessage());
        }
        // Fields that described the parent's build container would be wrong for the new image.
        doc.remove("container");
        doc.remove("container_config");
        doc.put("created", created);
        author.ifPresent(a -> doc.put("author", a));
        doc.set("config", ImageJson.MAPPER.valueToTree(config));
        ObjectNode rootfs = doc.has("rootfs") && doc.get("rootfs") instanceof ObjectNode r ? r : doc.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.has("diff_ids") && rootfs.get("diff_ids") instanceof ArrayNode a ? a : rootfs.putArray("diff_ids");
        diffId.ifPresent(d -> diffIds.add(d.toString()));
        ArrayNode rows = doc.has("history") && doc.get("history") instanceof ArrayNode h ? h : doc.putArray("history");
        rows.add(ImageJson.MAPPER.valueToTree(new ImageConfig.History(history.created(), history.createdBy(), history.author(),
                history.comment(), diffId.isEmpty())));
        return ImageJson.MAPPER.writeValueAsBytes(doc);
    }
}
