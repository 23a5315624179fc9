package dev.strata.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads an image config from Jackson's tree instead of through its bean mapping. The first bean mapping of
 * {@link ImageConfig} in a process costs ~0.1 s of introspection (annotations, creators, properties) that the JVM's
 * AOT cache cannot keep, and most container commands read one config. This reader takes only configs whose every
 * field it knows has the type the records declare; for anything else (a number where a string belongs, an explicit
 * null in a place Jackson treats specially) it returns empty and {@link ImageJson#read} uses the bean mapping, so
 * results and errors stay Jackson's. ImageJsonTest checks the two agree.
 */
final class ImageConfigReader {
    /** Thrown inside this class when a value is not what the fast path handles. */
    private static final class Unhandled extends Exception {
        Unhandled() {
            super(null, null, false, false);
        }
    }

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
        if (absent(c)) {
            return null;
        }
        if (!c.isObject()) {
            throw new Unhandled();
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
        if (absent(r)) {
            return null;
        }
        if (!r.isObject()) {
            throw new Unhandled();
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
            JsonNode empty = row.get("empty_layer");
            if (empty != null && !empty.isBoolean()) {
                throw new Unhandled();
            }
            out.add(new ImageConfig.History(string(row, "created"), string(row, "created_by"), string(row, "author"),
                    string(row, "comment"), empty != null && empty.booleanValue()));
        }
        return out;
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }

    private static String string(JsonNode parent, String field) throws Unhandled {
        JsonNode n = parent.get(field);
        if (absent(n)) {
            return null;
        }
        if (!n.isString()) {
            throw new Unhandled();
        }
        return n.stringValue();
    }

    private static Boolean bool(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new Unhandled();
        }
        return n.booleanValue();
    }

    private static List<String> strings(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isArray()) {
            throw new Unhandled();
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (e.isNull()) {
                out.add(null);
            } else if (e.isString()) {
                out.add(e.stringValue());
            } else {
                throw new Unhandled();
            }
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isObject()) {
            throw new Unhandled();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                out.put(e.getKey(), null);
            } else if (v.isString()) {
                out.put(e.getKey(), v.stringValue());
            } else {
                throw new Unhandled();
            }
        }
        return out;
    }

    /** {@code ExposedPorts} and {@code Volumes}: a set written as an object whose values are {@code {}}. */
    private static Map<String, Object> emptyObjects(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isObject()) {
            throw new Unhandled();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            if (!v.isObject() || !v.isEmpty()) {
                throw new Unhandled();
            }
            out.put(e.getKey(), new LinkedHashMap<String, Object>());
        }
        return out;
    }
}
