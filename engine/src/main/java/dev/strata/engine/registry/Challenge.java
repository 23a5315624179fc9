package dev.strata.engine.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge: a scheme ({@code basic} or {@code bearer}, lower case) and its parameters,
 * e.g. {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"}.
 */
record Challenge(String scheme, Map<String, String> params) {
    static final String BASIC = "basic";
    static final String BEARER = "bearer";

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** Every challenge in the given header values (a value may hold several, comma-separated). */
    static List<Challenge> parse(List<String> headerValues) {
        List<Challenge> out = new ArrayList<>();
        for (String value : headerValues) {
            parseInto(value, out);
        }
        return out;
    }

    /** The challenge to answer: Bearer when offered (as Docker prefers), else Basic. */
    static Optional<Challenge> preferred(List<Challenge> challenges) {
        return challenges.stream().filter(c -> c.scheme().equals(BEARER)).findFirst()
                .or(() -> challenges.stream().filter(c -> c.scheme().equals(BASIC)).findFirst());
    }

    private static void parseInto(String s, List<Challenge> out) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ' && s.charAt(i) != ',') {
                i++;
            }
            if (start == i) {
                break;
            }
            String scheme = s.substring(start, i).toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            // parameters: key=value or key="quoted", separated by commas, until the next bare token (a new scheme)
            while (i < n) {
                int save = i;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                    i++;
                }
                int keyStart = i;
                while (i < n && s.charAt(i) != '=' && s.charAt(i) != ' ' && s.charAt(i) != ',') {
                    i++;
                }
                if (i >= n || s.charAt(i) != '=') {
                    i = save; // a new challenge starts here
                    break;
                }
                String key = s.substring(keyStart, i).toLowerCase(Locale.ROOT);
                i++;
                StringBuilder value = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    while (i < n && s.charAt(i) != '"') {
                        if (s.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(s.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ') {
                        value.append(s.charAt(i++));
                    }
                }
                params.put(key, value.toString());
            }
            out.add(new Challenge(scheme, params));
        }
    }
}
