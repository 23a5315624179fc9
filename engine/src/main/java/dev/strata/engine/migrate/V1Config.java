package dev.strata.engine.migrate;

import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.image.ImageJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a Docker ≤ 1.9 image {@code json} into an image config the way Docker 1.10's migration did
 * ({@code imagev1.MakeConfigFromV1Config} and {@code HistoryFromConfig} in moby's {@code image/v1}), byte for byte,
 * so that the image ID (the config's digest) is the one Docker 1.10 gave the same image:
 *
 * <ul>
 *   <li>the JSON object is taken key by key with each value kept as written (Go's {@code json.RawMessage}), then
 *       {@code id}, {@code parent}, {@code Size}, {@code parent_id}, {@code layer_id} and {@code throwaway} are removed
 *       and {@code rootfs} and {@code history} are set;</li>
 *   <li>it is written as Go's {@code json.Marshal} writes a map: keys sorted, no white space, values compacted with
 *       {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped;</li>
 *   <li>{@code history} has one row per v1 layer, bottom first: {@code created}, {@code author},
 *       {@code created_by} (the layer's {@code container_config.Cmd} joined by spaces) and {@code comment}, empty
 *       ones left out. Docker 1.10 set no {@code empty_layer} here: every v1 layer, empty or not, is a layer and has a
 *       DiffID in {@code rootfs.diff_ids}.</li>
 * </ul>
 *
 * <p>Not reproduced: for an image whose {@code docker_version} is older than 1.8.3, Docker first re-encoded the
 * JSON through its own Go structs (dropping unknown fields and reordering nested ones); such images get a config by
 * the rule above, so their IDs can differ from Docker's. {@link #exactId} says which case applies.
 */
final class V1Config {
    private static final List<String> DROPPED = List.of("id", "parent", "Size", "parent_id", "layer_id", "throwaway");
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private V1Config() {
    }

    /** One history row as Docker 1.10 derived it from a v1 layer's JSON. */
    record History(String created, String author, String createdBy, String comment) {
        byte[] toJson() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('{');
            writeString(out, "created");
            out.write(':');
            writeString(out, created);
            field(out, "author", author);
            field(out, "created_by", createdBy);
            field(out, "comment", comment);
            out.write('}');
            return out.toByteArray();
        }

        private static void field(ByteArrayOutputStream out, String name, String value) {
            if (value != null && !value.isEmpty()) {
                out.write(',');
                writeString(out, name);
                out.write(':');
                writeString(out, value);
            }
        }
    }

    /** Parses enough of a v1 JSON to check it and derive its history row. */
    static History history(byte[] v1Json, String what) throws BadContentException {
        JsonNode node;
        try {
            node = ImageJson.MAPPER.readTree(v1Json);
        } catch (JacksonException e) {
            throw new BadContentException(what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadContentException(what + " is not a JSON object");
        }
        topLevel(v1Json, what); // the raw split must work too
        String created = goTime(text(node.get("created")), what);
        JsonNode cmd = node.path("container_config").path("Cmd");
        String createdBy;
        if (cmd.isArray()) {
            List<String> parts = new ArrayList<>();
            cmd.forEach(p -> parts.add(p.isString() ? p.asString() : p.toString()));
            createdBy = String.join(" ", parts);
        } else {
            createdBy = cmd.isString() ? cmd.asString() : ""; // Docker's StrSlice took a lone string as one element
        }
        return new History(created, text(node.get("author")), createdBy, text(node.get("comment")));
    }

    /** The config Docker 1.10 made of {@code v1Json} with these DiffIDs and history rows (bottom layer first). */
    static byte[] convert(byte[] v1Json, List<Digest> diffIds, List<History> history, String what) throws BadContentException {
        TreeMap<byte[], byte[]> members = new TreeMap<>(Arrays::compareUnsigned);
        for (Map.Entry<String, byte[]> m : topLevel(v1Json, what).entrySet()) {
            if (!DROPPED.contains(m.getKey())) {
                members.put(m.getKey().getBytes(StandardCharsets.UTF_8), compact(m.getValue()));
            }
        }
        ByteArrayOutputStream rootfs = new ByteArrayOutputStream();
        rootfs.writeBytes("{\"type\":\"layers\"".getBytes(StandardCharsets.US_ASCII));
        if (!diffIds.isEmpty()) {
            rootfs.writeBytes(",\"diff_ids\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < diffIds.size(); i++) {
                if (i > 0) {
                    rootfs.write(',');
                }
                writeString(rootfs, diffIds.get(i).toString());
            }
            rootfs.write(']');
        }
        rootfs.write('}');
        members.put("rootfs".getBytes(StandardCharsets.US_ASCII), rootfs.toByteArray());
        ByteArrayOutputStream hist = new ByteArrayOutputStream();
        hist.write('[');
        for (int i = 0; i < history.size(); i++) {
            if (i > 0) {
                hist.write(',');
            }
            hist.writeBytes(history.get(i).toJson());
        }
        hist.write(']');
        members.put("history".getBytes(StandardCharsets.US_ASCII), hist.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream(v1Json.length + 512);
        out.write('{');
        boolean first = true;
        for (Map.Entry<byte[], byte[]> m : members.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            writeString(out, new String(m.getKey(), StandardCharsets.UTF_8));
            out.write(':');
            out.writeBytes(m.getValue());
        }
        out.write('}');
        return out.toByteArray();
    }

    /** True when Docker 1.10 took the JSON as it is (docker_version 1.8.3 or later), so {@link #convert} matches it. */
    static boolean exactId(byte[] v1Json) {
        try {
            JsonNode v = ImageJson.MAPPER.readTree(v1Json).get("docker_version");
            return v != null && v.isString() && !olderThan(v.asString(), new int[] {1, 8, 3});
        } catch (JacksonException e) {
            return false;
        }
    }

    /** Docker's version comparison: dot-separated numbers, missing parts count as 0, non-numbers as 0. */
    static boolean olderThan(String version, int[] than) {
        String[] parts = version.split("\\.");
        for (int i = 0; i < Math.max(parts.length, than.length); i++) {
            int a = 0;
            if (i < parts.length) {
                try {
                    a = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    a = 0;
                }
            }
            int b = i < than.length ? than[i] : 0;
            if (a != b) {
                return a < b;
            }
        }
        return false;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.isString() ? n.asString() : n.toString();
    }

    /** A v1 {@code created} re-encoded as Go's time.Time does (RFC 3339 with trailing zeros of the fraction dropped). */
    static String goTime(String created, String what) throws BadContentException {
        if (created.isEmpty()) {
            return "0001-01-01T00:00:00Z";
        }
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(created);
        } catch (DateTimeParseException e) {
            throw new BadContentException(what + " has an invalid \"created\" time \"" + created + "\"");
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
                t.getMinute(), t.getSecond()));
        if (t.getNano() != 0) {
            String frac = String.format("%09d", t.getNano());
            s.append('.').append(frac.replaceAll("0+$", ""));
        }
        ZoneOffset off = t.getOffset();
        if (off.getTotalSeconds() == 0) {
            s.append('Z');
        } else {
            int secs = Math.abs(off.getTotalSeconds());
            s.append(off.getTotalSeconds() < 0 ? '-' : '+').append(String.format("%02d:%02d", secs / 3600, secs / 60 % 60));
        }
        return s.toString();
    }

    // ---- Go's encoding/json, as far as this needs it ----

    /** The members of a JSON object as (decoded key, raw value bytes), later duplicates winning, as Go's Unmarshal. */
    static Map<String, byte[]> topLevel(byte[] json, String what) throws BadContentException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        int[] pos = {skipWs(json, 0)};
        if (pos[0] >= json.length || json[pos[0]] != '{') {
            throw new BadContentException(what + " is not a JSON object");
        }
        pos[0] = skipWs(json, pos[0] + 1);
        if (pos[0] < json.length && json[pos[0]] == '}') {
            return out;
        }
        while (true) {
            if (pos[0] >= json.length || json[pos[0]] != '"') {
                throw new BadContentException(what + " is not valid JSON (a key expected at byte " + pos[0] + ")");
            }
            int keyStart = pos[0];
            int keyEnd = skipValue(json, keyStart, what);
            String key = ImageJson.MAPPER.readValue(Arrays.copyOfRange(json, keyStart, keyEnd), String.class);
            pos[0] = skipWs(json, keyEnd);
            if (pos[0] >= json.length || json[pos[0]] != ':') {
                throw new BadContentException(what + " is not valid JSON (':' expected at byte " + pos[0] + ")");
            }
            int valueStart = skipWs(json, pos[0] + 1);
            int valueEnd = skipValue(json, valueStart, what);
            out.remove(key);
            out.put(key, Arrays.copyOfRange(json, valueStart, valueEnd));
            pos[0] = skipWs(json, valueEnd);
            if (pos[0] < json.length && json[pos[0]] == ',') {
                pos[0] = skipWs(json, pos[0] + 1);
                continue;
            }
            if (pos[0] < json.length && json[pos[0]] == '}') {
                return out;
            }
            throw new BadContentException(what + " is not valid JSON (',' or '}' expected at byte " + pos[0] + ")");
        }
    }

    private static int skipWs(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The end (exclusive) of the JSON value starting at {@code i}; nesting and strings are followed. */
    private static int skipValue(byte[] b, int i, String what) throws BadContentException {
        if (i >= b.length) {
            throw new BadContentException(what + " is truncated JSON");
        }
        int depth = 0;
        boolean inString = false;
        for (int j = i; j < b.length; j++) {
            byte c = b[j];
            if (inString) {
                if (c == '\\') {
                    j++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return j + 1;
                    }
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    depth--;
                    if (depth == 0) {
                        return j + 1;
                    }
                    if (depth < 0) {
                        return j; // a scalar ended by its container's close
                    }
                }
                case ',', ' ', '\t', '\n', '\r' -> {
                    if (depth == 0) {
                        return j;
                    }
                }
                default -> {
                }
            }
        }
        if (depth == 0 && !inString) {
            return b.length;
        }
        throw new BadContentException(what + " is truncated JSON");
    }

    /** Go's {@code compact} with HTML escaping: white space outside strings dropped, &lt; &gt; &amp; U+2028/9 escaped. */
    static byte[] compact(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        boolean inString = false;
        for (int i = 0; i < raw.length; i++) {
            int c = raw[i] & 0xff;
            if (c == '<' || c == '>' || c == '&') {
                out.writeBytes(new byte[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xf]});
                continue;
            }
            if (c == 0xE2 && i + 2 < raw.length && (raw[i + 1] & 0xff) == 0x80 && ((raw[i + 2] & 0xff) & ~1) == 0xA8) {
                out.writeBytes(new byte[] {'\\', 'u', '2', '0', '2', HEX[raw[i + 2] & 0xf]});
                i += 2;
                continue;
            }
            if (inString) {
                out.write(c);
                if (c == '\\' && i + 1 < raw.length) {
                    out.write(raw[++i]);
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (c == '"') {
                inString = true;
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    /** Go's string encoder with HTML escaping, as Go 1.5 (which built Docker 1.10) wrote it. */
    static void writeString(ByteArrayOutputStream out, String s) {
        out.write('"');
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                if (c >= 0x20 && c != '\\' && c != '"' && c != '<' && c != '>' && c != '&') {
                    out.write(c);
                } else if (c == '\\' || c == '"') {
                    out.write('\\');
                    out.write(c);
                } else if (c == '\n') {
                    out.write('\\');
                    out.write('n');
                } else if (c == '\r') {
                    out.write('\\');
                    out.write('r');
                } else {
                    out.writeBytes(new byte[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xf]});
                }
                continue;
            }
            if (c == 0xE2 && i + 2 < b.length && (b[i + 1] & 0xff) == 0x80 && ((b[i + 2] & 0xff) & ~1) == 0xA8) {
                out.writeBytes(new byte[] {'\\', 'u', '2', '0', '2', HEX[b[i + 2] & 0xf]});
                i += 2;
                continue;
            }
            out.write(c);
        }
        out.write('"');
    }
}
