package dev.strata.cli.format;

import dev.strata.cli.format.GoTemplate.Values;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Go's {@code fmt.Sprintf} for the values a template sees: the verbs {@code %v %s %q %d %x %X %o %b %c %t %f %e %g
 * %T %%}, the flags {@code - + 0}, width and precision. A verb that does not fit its value prints Go's
 * {@code %!d(string=abc)}; missing and extra arguments print {@code %!s(MISSING)} and {@code %!(EXTRA int=1)}.
 */
final class GoPrintf {
    private GoPrintf() {
    }

    /** Flags, width and precision of one verb; -1 when not given. */
    private record Spec(boolean minus, boolean plus, boolean zero, int width, int precision) {
    }

    static String sprintf(String format, List<JsonNode> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            boolean minus = false;
            boolean plus = false;
            boolean zero = false;
            for (; i < format.length(); i++) {
                char f = format.charAt(i);
                if (f == '-') {
                    minus = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f != ' ' && f != '#') {
                    break;
                }
            }
            int width = -1;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = Math.max(width, 0) * 10 + (format.charAt(i++) - '0');
            }
            int precision = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    precision = precision * 10 + (format.charAt(i++) - '0');
                }
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Spec spec = new Spec(minus, plus, zero && !minus, width, precision);
            out.append(pad(one(args.get(next++), verb, spec), spec, "dxXobfeEgG".indexOf(verb) >= 0));
        }
        if (next < args.size()) {
            out.append("%!(EXTRA ");
            for (int a = next; a < args.size(); a++) {
                out.append(a > next ? ", " : "").append(Values.goType(args.get(a))).append('=').append(Values.print(args.get(a)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String pad(String s, Spec spec, boolean numeric) {
        int length = s.codePointCount(0, s.length());
        if (spec.width() <= length) {
            return s;
        }
        String fill = (spec.zero() && numeric ? "0" : " ").repeat(spec.width() - length);
        if (spec.minus()) {
            return s + fill;
        }
        if (spec.zero() && numeric && (s.startsWith("-") || s.startsWith("+"))) {
            return s.charAt(0) + fill + s.substring(1);
        }
        return fill + s;
    }

    /** One value under one verb; arrays and objects apply it to their elements, as fmt does. */
    private static String one(JsonNode v, char verb, Spec spec) {
        if (verb == 'T') {
            return v.isMissingNode() ? "<nil>" : Values.goType(v);
        }
        if (v.isMissingNode()) {
            return verb == 'v' ? "<nil>" : "%!" + verb + "(<nil>)";
        }
        if (verb == 'v' && !v.isNumber()) {
            return Values.print(v);
        }
        if (v.isNull()) {
            return "[]";
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : " ").append(one(v.get(i), verb, spec));
            }
            return b.append(']').toString();
        }
        if (v.isObject()) {
            StringBuilder b = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : Values.sorted(v).entrySet()) {
                b.append(first ? "" : " ").append(one(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(e.getKey()), verb, spec))
                        .append(':').append(one(e.getValue(), verb, spec));
                first = false;
            }
            return b.append(']').toString();
        }
        if (v.isString()) {
            String s = v.stringValue();
            return switch (verb) {
                case 's' -> spec.precision() >= 0 && spec.precision() < s.codePointCount(0, s.length())
                        ? s.substring(0, s.offsetByCodePoints(0, spec.precision())) : s;
                case 'q' -> quote(s);
                case 'x', 'X' -> {
                    String hex = java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
                    yield verb == 'X' ? hex.toUpperCase(Locale.ROOT) : hex;
                }
                default -> bad(v, verb);
            };
        }
        if (v.isBoolean()) {
            return verb == 't' ? Boolean.toString(v.booleanValue()) : bad(v, verb);
        }
        if (v.isIntegralNumber()) {
            BigInteger n = v.bigIntegerValue();
            String sign = spec.plus() && n.signum() >= 0 ? "+" : "";
            return switch (verb) {
                case 'v', 'd' -> sign + n;
                case 'x' -> sign + n.toString(16);
                case 'X' -> sign + n.toString(16).toUpperCase(Locale.ROOT);
                case 'o' -> sign + n.toString(8);
                case 'b' -> sign + n.toString(2);
                case 'c' -> new String(Character.toChars(n.intValue()));
                case 'q' -> "'" + quote(new String(Character.toChars(n.intValue()))).replaceAll("^\"|\"$", "") + "'";
                default -> bad(v, verb);
            };
        }
        double d = v.doubleValue();
        String sign = spec.plus() && d >= 0 ? "+" : "";
        return switch (verb) {
            case 'v', 'g' -> sign + (spec.precision() < 0 ? GoFloat.formatShortest(d) : GoFloat.formatG(d, spec.precision()));
            case 'f', 'F' -> sign + String.format(Locale.ROOT, "%." + (spec.precision() < 0 ? 6 : spec.precision()) + "f", d);
            case 'e', 'E' -> {
                String e = String.format(Locale.ROOT, "%." + (spec.precision() < 0 ? 6 : spec.precision()) + "e", d);
                yield sign + (verb == 'E' ? e.toUpperCase(Locale.ROOT) : e);
            }
            default -> bad(v, verb);
        };
    }

    private static String bad(JsonNode v, char verb) {
        return "%!" + verb + "(" + Values.goType(v) + "=" + Values.print(v) + ")";
    }

    /** Go's {@code strconv.Quote}: double quotes, Go escapes, printable characters as they are. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 11 -> b.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (cp != ' ' && !printable(cp)) {
                        b.append(cp < 0x10000 ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    private static boolean printable(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SPACE_SEPARATOR;
    }
}
