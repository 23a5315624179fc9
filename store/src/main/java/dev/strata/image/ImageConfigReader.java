package dev.strata.image;

import static dev.strata.image.JsonTree.absent;
import static dev.strata.image.JsonTree.bool;
import static dev.strata.image.JsonTree.emptyObjects;
import static dev.strata.image.JsonTree.flag;
import static dev.strata.image.JsonTree.object;
import static dev.strata.image.JsonTree.string;
import static dev.strata.image.JsonTree.stringMap;
import static dev.strata.image.JsonTree.strings;

import dev.strata.image.JsonTree.Unhandled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads an image config from Jackson's tree ({@link JsonTree}) instead of through its bean mapping, which costs
 * ~0.1 s of introspection the first time in a process, and most container commands read one config. It takes only
 * configs whose every known field has the type the records declare; for anything else it returns empty and
 * {@link ImageJson#read} uses the bean mapping, so results and errors stay Jackson's. ImageJsonTest checks the two
 * agree.
 */
final class ImageConfigReader {
    private ImageConfigReader() {
    }

    static Optional<ImageConfig> read(JsonNode root) {
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ImageConfig(string(root, "architecture"), string(root, "os"), string(root, "variant"),
                    string(root, "created"), string(root, "author"), string(root, "comment"), string(root, "docker_version"),
                    containerConfig(root.get("config")), rootFs(root.get("rootfs")), history(root.get("history"))));
        } catch (Unhandled e) {
            return Optional.empty();
        }
    }

    private static ContainerConfig containerConfig(JsonNode c) throws Unhandled {
        if (object(c) == null) {
            return null;
        }
        JsonNode healthcheck = c.get("Healthcheck");
        if (healthcheck != null && healthcheck.isNull()) {
            throw new Unhandled(); // Jackson's null for a JsonNode property is its own matter
        }
        return new ContainerConfig(string(c, "User"), emptyObjects(c.get("ExposedPorts")), strings(c.get("Env")),
                strings(c.get("Entrypoint")), strings(c.get("Cmd")), healthcheck, bool(c.get("ArgsEscaped")),
                emptyObjects(c.get("Volumes")), string(c, "WorkingDir"), stringMap(c.get("Labels")), string(c, "StopSignal"),
                strings(c.get("OnBuild")), strings(c.get("Shell")));
    }

    private static ImageConfig.RootFs rootFs(JsonNode r) throws Unhandled {
        if (object(r) == null) {
            return null;
        }
        return new ImageConfig.RootFs(string(r, "type"), strings(r.get("diff_ids")));
    }

    private static List<ImageConfig.History> history(JsonNode h) throws Unhandled {
        if (absent(h)) {
            return null;
        }
        if (!h.isArray()) {
            throw new Unhandled();
        }
        List<ImageConfig.History> out = new ArrayList<>(h.size());
        for (JsonNode row : h) {
            if (!row.isObject()) {
                throw new Unhandled();
            }
            out.add(new ImageConfig.History(string(row, "created"), string(row, "created_by"), string(row, "author"),
                    string(row, "comment"), flag(row, "empty_layer")));
        }
        return out;
    }
}
