package dev.strata.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads from Jackson's tree for the fast readers of records that Jackson's bean mapping would otherwise
 * build ({@link ImageConfigReader}, the engine's container definitions). The first bean mapping of a record type
 * costs a JVM ~0.1 s of introspection that the AOT cache cannot keep. Each method takes exactly the values the bean
 * mapping maps without coercion and throws {@link Unhandled} for anything else, so that the caller falls back to
 * the bean mapping and its result or error.
 */
public final class JsonTree {
    /** A value the fast path does not take: use the bean mapping. */
    public static final class Unhandled extends Exception {
        public Unhandled() {
            super(null, null, false, false);
        }
    }

    private JsonTree() {
    }

    public static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }

    /** An object, or null when absent. */
    public static JsonNode object(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isObject()) {
            throw new Unhandled();
        }
        return n;
    }

    public static String string(JsonNode parent, String field) throws Unhandled {
        return string(parent.get(field));
    }

    /** A string, or null when absent or JSON null. */
    public static String string(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isString()) {
            throw new Unhandled();
        }
        return n.stringValue();
    }

    /** A {@code Boolean} property: null when absent. */
    public static Boolean bool(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new Unhandled();
        }
        return n.booleanValue();
    }

    /** A {@code boolean} property: false when missing (an explicit null is left to the bean mapping). */
    public static boolean flag(JsonNode parent, String field) throws Unhandled {
        JsonNode n = parent.get(field);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new Unhandled();
        }
        return n.booleanValue();
    }

    public static List<String> strings(JsonNode n) throws Unhandled {
        if (absent(n)) {
            return null;
        }
        if (!n.isArray()) {
            throw new Unhandled();
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            out.add(string(e));
        }
        return out;
    }

    public static Map<String, String> stringMap(JsonNode n) throws Unhandled {
        if (object(n) == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            out.put(e.getKey(), string(e.getValue()));
        }
        return out;
    }

    /** {@code ExposedPorts} and {@code Volumes}: a set written as an object whose values are {@code {}}. */
    public static Map<String, Object> emptyObjects(JsonNode n) throws Unhandled {
        if (object(n) == null) {
            return null;
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
