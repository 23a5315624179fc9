package dev.strata.engine.runtime;

import dev.strata.image.ImageJson;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The little JSON the runtime path writes and reads (the OCI config, conmon's sync messages, runc's log lines and
 * output), through the one JSON mapper. A container start parses its definition with it anyway, so this costs no
 * extra class loading.
 */
final class JsonText {
    private JsonText() {
    }

    /** Writes maps (in their iteration order), lists, strings, numbers, booleans and null, indented. */
    static String write(Object value) {
        return ImageJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    }

    /** The document {@code json}, or empty when it is not JSON (a runtime's log line may be plain text). */
    static Optional<JsonNode> parse(String json) {
        try {
            return Optional.of(ImageJson.MAPPER.readTree(json));
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** The string value of a top-level field of a JSON object. */
    static Optional<String> stringField(String json, String name) {
        return parse(json).map(n -> n.get(name)).filter(JsonNode::isString).map(JsonNode::asString);
    }

    static Optional<Long> numberField(String json, String name) {
        return parse(json).map(n -> n.get(name)).filter(JsonNode::isIntegralNumber).map(JsonNode::asLong);
    }
}
