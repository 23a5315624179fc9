package dev.strata.reference;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pieces of Docker's reference grammar (distribution/reference {@code regexp.go}). Each check returns the
 * reason a piece is invalid, or empty when it is valid, so that parse errors can name the rule that failed.
 *
 * <pre>
 * reference        := name [ ":" tag ] [ "@" digest ]
 * name             := [domain '/'] path
 * domain           := host [':' port]
 * host             := domain-name | '[' IPv6 ']'
 * domain-name      := domain-component ['.' domain-component]*
 * domain-component := /[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]/
 * port             := /[0-9]+/
 * path             := path-component ['/' path-component]*
 * path-component   := /[a-z0-9]+/ [separator /[a-z0-9]+/]*
 * separator        := /[_.]|__|[-]+/
 * tag              := /[\w][\w.-]{0,127}/
 * </pre>
 */
final class Grammar {
    /** The longest repository path (the name without its domain), as distribution/reference v0.6 counts it. */
    static final int PATH_MAX = 255;
    static final int TAG_MAX = 128;

    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]++]");
    private static final Pattern PORT = Pattern.compile("[0-9]++");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]++(?:(?:__|[._]|-++)[a-z0-9]++)*+");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private Grammar() {
    }

    static Optional<String> checkDomain(String domain) {
        if (domain.isEmpty()) {
            return Optional.of("domain must not be empty");
        }
        String host = domain;
        int portStart;
        if (domain.startsWith("[")) {
            int close = domain.indexOf(']');
            portStart = close < 0 ? -1 : close + 1;
            host = close < 0 ? domain : domain.substring(0, close + 1);
            if (!IPV6.matcher(host).matches()) {
                return Optional.of("invalid domain " + InvalidReferenceException.quote(domain)
                        + ": an IPv6 address is hex digits and colons in square brackets, without a zone");
            }
            if (portStart < domain.length() && domain.charAt(portStart) != ':') {
                return Optional.of("invalid domain " + InvalidReferenceException.quote(domain)
                        + ": only a :port may follow an IPv6 address");
            }
        } else {
            portStart = domain.indexOf(':');
            if (portStart >= 0) {
                host = domain.substring(0, portStart);
            }
            for (String component : host.split("\\.", -1)) {
                if (!DOMAIN_COMPONENT.matcher(component).matches()) {
                    return Optional.of("invalid domain " + InvalidReferenceException.quote(domain)
                            + ": a domain is dot-separated labels of letters, digits and inner dashes"
                            + " (or an IPv6 address in brackets), with an optional :port");
                }
            }
        }
        if (portStart >= 0 && portStart < domain.length()) {
            String port = domain.substring(portStart + 1);
            if (!PORT.matcher(port).matches()) {
                return Optional.of("invalid port " + InvalidReferenceException.quote(port) + " in domain "
                        + InvalidReferenceException.quote(domain) + ": a port is decimal digits");
            }
        }
        return Optional.empty();
    }

    static Optional<String> checkPath(String path) {
        if (path.isEmpty()) {
            return Optional.of("repository name must have at least one component");
        }
        if (!path.equals(path.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of("repository name must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            Optional<String> problem = checkPathComponent(component);
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (path.length() > PATH_MAX) {
            return Optional.of("repository name must not be more than " + PATH_MAX + " characters");
        }
        return Optional.empty();
    }

    private static Optional<String> checkPathComponent(String component) {
        if (component.isEmpty()) {
            return Optional.of("repository name must not have an empty path component (leading, trailing or double '/')");
        }
        if (PATH_COMPONENT.matcher(component).matches()) {
            return Optional.empty();
        }
        String quoted = InvalidReferenceException.quote(component);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (!isLowerAlnum(c) && c != '.' && c != '_' && c != '-') {
                return Optional.of("path component " + quoted + " has invalid character " + describe(c)
                        + ": use lowercase letters, digits and the separators '.', '_', '__' or '-'");
            }
        }
        if (!isLowerAlnum(component.charAt(0)) || !isLowerAlnum(component.charAt(component.length() - 1))) {
            return Optional.of("path component " + quoted + " must start and end with a lowercase letter or digit");
        }
        return Optional.of("path component " + quoted
                + " has an invalid separator: letters and digits may be separated by one '.', one or two '_',"
                + " or any number of '-'");
    }

    static Optional<String> checkTag(String tag) {
        if (tag.isEmpty()) {
            return Optional.of("tag must not be empty");
        }
        if (TAG.matcher(tag).matches()) {
            return Optional.empty();
        }
        String quoted = InvalidReferenceException.quote(tag);
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!isWord(c) && c != '.' && c != '-') {
                return Optional.of("tag " + quoted + " has invalid character " + describe(c)
                        + ": a tag has letters, digits, '_', '.' and '-'");
            }
        }
        if (!isWord(tag.charAt(0))) {
            return Optional.of("tag " + quoted + " must start with a letter, digit or '_'");
        }
        return Optional.of("tag must not be more than " + TAG_MAX + " characters");
    }

    static boolean isLowerHex(String s, int minLength, int maxLength) {
        if (s.length() < minLength || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static boolean hasUpperCase(String s) {
        return !s.equals(s.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isWord(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
