package dev.strata.engine.image;

import dev.strata.error.InvalidArgumentException;
import dev.strata.image.ContainerConfig;
import dev.strata.image.ImageJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * Applies Dockerfile-style changes to an image's container config, as {@code docker import --change} and
 * {@code docker commit --change} do: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR,
 * STOPSIGNAL. CMD and ENTRYPOINT take the JSON (exec) form or a shell form, which becomes {@code /bin/sh -c}.
 */
public final class ConfigChanges {
    private static final List<String> SUPPORTED =
            List.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL");

    private ConfigChanges() {
    }

    public static ContainerConfig apply(ContainerConfig config, List<String> changes) throws InvalidArgumentException {
        ContainerConfig out = config;
        for (String change : changes) {
            out = applyOne(out, change);
        }
        return out;
    }

    private static ContainerConfig applyOne(ContainerConfig c, String change) throws InvalidArgumentException {
        String trimmed = change.strip();
        int space = indexOfWhitespace(trimmed);
        String keyword = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : trimmed.substring(space).strip();
        if (!SUPPORTED.contains(keyword)) {
            throw new InvalidArgumentException("invalid --change \"" + change + "\": " + (keyword.isEmpty() ? "empty change"
                    : "\"" + keyword + "\" is not supported") + "; supported: " + String.join(", ", SUPPORTED));
        }
        if (rest.isEmpty()) {
            throw new InvalidArgumentException("invalid --change \"" + change + "\": " + keyword + " needs an argument");
        }
        return switch (keyword) {
            case "CMD" -> c.toBuilder().cmd(command(rest, change)).build();
            case "ENTRYPOINT" -> c.toBuilder().entrypoint(command(rest, change)).build();
            case "ENV" -> c.toBuilder().env(env(c.env(), keyValues(rest, change, true))).build();
            case "LABEL" -> {
                Map<String, String> labels = new LinkedHashMap<>(c.labels() == null ? Map.of() : c.labels());
                labels.putAll(keyValues(rest, change, false));
                yield c.toBuilder().labels(labels).build();
            }
            case "EXPOSE" -> {
                Map<String, Object> ports = new LinkedHashMap<>(c.exposedPorts() == null ? Map.of() : c.exposedPorts());
                for (String p : rest.split("\\s+")) {
                    ports.put(port(p, change), Map.of());
                }
                yield c.toBuilder().exposedPorts(ports).build();
            }
            case "VOLUME" -> {
                Map<String, Object> volumes = new LinkedHashMap<>(c.volumes() == null ? Map.of() : c.volumes());
                for (String v : rest.startsWith("[") ? jsonArray(rest, change) : List.of(rest.split("\\s+"))) {
                    volumes.put(v, Map.of());
                }
                yield c.toBuilder().volumes(volumes).build();
            }
            case "ONBUILD" -> {
                List<String> triggers = new ArrayList<>(c.onBuild() == null ? List.of() : c.onBuild());
                triggers.add(rest);
                yield c.toBuilder().onBuild(triggers).build();
            }
            case "USER" -> c.toBuilder().user(rest).build();
            case "WORKDIR" -> c.toBuilder().workingDir(rest).build();
            case "STOPSIGNAL" -> c.toBuilder().stopSignal(rest).build();
            default -> throw new AssertionError(keyword);
        };
    }

    private static List<String> command(String rest, String change) throws InvalidArgumentException {
        if (rest.startsWith("[")) {
            return jsonArray(rest, change);
        }
        return List.of("/bin/sh", "-c", rest);
    }

    private static List<String> jsonArray(String rest, String change) throws InvalidArgumentException {
        try {
            return ImageJson.MAPPER.readValue(rest, new TypeReference<List<String>>() { });
        } catch (JacksonException e) {
            throw new InvalidArgumentException("invalid --change \"" + change + "\": not a JSON array of strings: "
                    + e.getOriginalMessage());
        }
    }

    /** ENV/LABEL arguments: {@code k=v k2="v 2"} pairs, or the legacy {@code KEY value} form. */
    private static Map<String, String> keyValues(String rest, String change, boolean env) throws InvalidArgumentException {
        Map<String, String> out = new LinkedHashMap<>();
        int firstSpace = indexOfWhitespace(rest);
        int firstEq = rest.indexOf('=');
        if (firstEq < 0 || (firstSpace >= 0 && firstSpace < firstEq)) {
            if (firstSpace < 0) {
                throw new InvalidArgumentException("invalid --change \"" + change + "\": want KEY=VALUE or KEY VALUE");
            }
            out.put(rest.substring(0, firstSpace), rest.substring(firstSpace).strip());
            return out;
        }
        for (String word : words(rest, change)) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new InvalidArgumentException("invalid --change \"" + change + "\": \"" + word + "\" is not KEY=VALUE");
            }
            out.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return out;
    }

    /** Splits on whitespace outside quotes and removes the quotes, as the Dockerfile parser does. */
    private static List<String> words(String s, String change) throws InvalidArgumentException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else if (ch == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else if (ch == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else {
                cur.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new InvalidArgumentException("invalid --change \"" + change + "\": unmatched quote " + quote);
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    private static List<String> env(List<String> current, Map<String, String> set) {
        List<String> out = new ArrayList<>();
        Map<String, String> merged = new LinkedHashMap<>();
        if (current != null) {
            for (String e : current) {
                int eq = e.indexOf('=');
                merged.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
        }
        merged.putAll(set);
        merged.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static String port(String p, String change) throws InvalidArgumentException {
        if (!p.matches("\\d{1,5}(-\\d{1,5})?(/(tcp|udp|sctp))?")) {
            throw new InvalidArgumentException("invalid --change \"" + change + "\": \"" + p + "\" is not a port (like 80 or 53/udp)");
        }
        return p.contains("/") ? p : p + "/tcp";
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
