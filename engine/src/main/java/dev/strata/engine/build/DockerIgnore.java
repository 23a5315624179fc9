package dev.strata.engine.build;

import dev.strata.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The patterns of a {@code .dockerignore} file and Docker's rules for them (moby's {@code patternmatcher} and
 * {@code ignorefile}): one pattern a line; lines starting with {@code #} are comments; surrounding blanks are
 * trimmed; each pattern is cleaned like a path and a leading {@code /} dropped (patterns are relative to the
 * context root); {@code *} and {@code ?} match within one path element, {@code **} any number of elements,
 * {@code [...]} a class, {@code \} escapes; {@code !pattern} makes an exception. The last pattern that matches a
 * path decides; a pattern that matches a directory matches everything below it.
 */
public final class DockerIgnore {
    private static final DockerIgnore NONE = new DockerIgnore(List.of(), List.of());

    private final List<String> lines;
    private final List<Rule> rules;

    private DockerIgnore(List<String> lines, List<Rule> rules) {
        this.lines = List.copyOf(lines);
        this.rules = List.copyOf(rules);
    }

    /** No patterns: nothing is excluded. */
    public static DockerIgnore none() {
        return NONE;
    }

    /** Reads the content of a {@code .dockerignore} file. */
    public static DockerIgnore parse(String content) throws InvalidArgumentException {
        List<String> patterns = new ArrayList<>();
        boolean first = true;
        for (String line : content.split("\n", -1)) {
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            first = false;
            if (line.startsWith("#")) {
                continue;
            }
            String p = DockerfileParser.trimSpace(line);
            if (p.isEmpty()) {
                continue;
            }
            boolean invert = p.charAt(0) == '!';
            if (invert) {
                p = DockerfileParser.trimSpace(p.substring(1));
            }
            if (!p.isEmpty()) {
                p = GoPath.clean(p);
                if (p.length() > 1 && p.charAt(0) == '/') {
                    p = p.substring(1);
                }
            }
            patterns.add(invert ? "!" + p : p);
        }
        return of(patterns);
    }

    /** Patterns as {@link #parse} leaves them ({@code !} for exceptions). */
    public static DockerIgnore of(List<String> patterns) throws InvalidArgumentException {
        List<Rule> rules = new ArrayList<>();
        for (String raw : patterns) {
            String p = DockerfileParser.trimSpace(raw);
            if (p.isEmpty()) {
                continue;
            }
            p = GoPath.clean(p);
            boolean exclusion = false;
            if (p.charAt(0) == '!') {
                if (p.length() == 1) {
                    throw new InvalidArgumentException(".dockerignore: illegal exclusion pattern: \"!\"");
                }
                exclusion = true;
                p = p.substring(1);
            }
            try {
                GoPath.match(p, ".");
            } catch (GoPath.BadPattern e) {
                throw new InvalidArgumentException(".dockerignore: syntax error in pattern: " + p);
            }
            rules.add(Rule.compile(p, exclusion));
        }
        return new DockerIgnore(patterns, rules);
    }

    /** The patterns, as read. */
    public List<String> patterns() {
        return lines;
    }

    /** This list with more patterns after it. */
    DockerIgnore plus(List<String> more) throws InvalidArgumentException {
        List<String> all = new ArrayList<>(lines);
        all.addAll(more);
        return of(all);
    }

    boolean hasExceptions() {
        return rules.stream().anyMatch(r -> r.exclusion);
    }

    /** Whether an exception pattern lies below {@code dir}, so that an excluded directory must still be walked. */
    boolean exceptionBelow(String dir) {
        String slash = dir + "/";
        return rules.stream().anyMatch(r -> r.exclusion && (r.cleaned + "/").startsWith(slash));
    }

    /**
     * Whether {@code path} (relative to the context root, {@code /}-separated) is excluded: the last pattern that
     * matches it or one of its parent directories decides (moby's {@code MatchesOrParentMatches}).
     */
    public boolean excludes(String path) throws InvalidArgumentException {
        return matches(path, false);
    }

    /**
     * moby's older {@code Matches}, which looks at only one parent directory: the docker CLI uses it to decide
     * whether the Dockerfile and {@code .dockerignore} must be put back into the context.
     */
    boolean excludesOneParent(String path) throws InvalidArgumentException {
        return matches(path, true);
    }

    private boolean matches(String path, boolean oneParent) throws InvalidArgumentException {
        String file = GoPath.clean(path);
        if (file.equals(".")) {
            return false;
        }
        String parent = GoPath.dir(file);
        String[] parentDirs = parent.split("/");
        boolean matched = false;
        for (Rule rule : rules) {
            if (rule.exclusion != matched) {
                continue;
            }
            boolean match = rule.matches(file);
            if (!match && !parent.equals(".")) {
                if (oneParent) {
                    if (rule.dirs <= parentDirs.length) {
                        match = rule.matches(String.join("/", java.util.Arrays.copyOf(parentDirs, rule.dirs)));
                    }
                } else {
                    for (int i = 0; i < parentDirs.length && !match; i++) {
                        match = rule.matches(String.join("/", java.util.Arrays.copyOf(parentDirs, i + 1)));
                    }
                }
            }
            if (match) {
                matched = !rule.exclusion;
            }
        }
        return matched;
    }

    /** One compiled pattern: exact, prefix ({@code dir/**}), suffix ({@code **}{@code /name}) or a regex. */
    private record Rule(String cleaned, boolean exclusion, int dirs, Kind kind, Pattern regex, String error) {
        enum Kind { EXACT, PREFIX, SUFFIX, REGEX }

        boolean matches(String path) throws InvalidArgumentException {
            return switch (kind) {
                case EXACT -> path.equals(cleaned);
                case PREFIX -> path.startsWith(cleaned.substring(0, cleaned.length() - 2));
                case SUFFIX -> {
                    String suffix = cleaned.substring(2);
                    yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
                }
                case REGEX -> {
                    if (regex == null) {
                        throw new InvalidArgumentException(".dockerignore: syntax error in pattern: " + error);
                    }
                    yield regex.matcher(path).matches();
                }
            };
        }

        static Rule compile(String p, boolean exclusion) {
            StringBuilder re = new StringBuilder("^");
            Kind kind = Kind.EXACT;
            int[] cps = p.codePoints().toArray();
            int i = 0;
            for (int step = 0; i < cps.length; step++) {
                int ch = cps[i++];
                if (ch == '*') {
                    if (i < cps.length && cps[i] == '*') {
                        i++;
                        if (i < cps.length && cps[i] == '/') {
                            i++;
                        }
                        if (i >= cps.length) {
                            if (kind == Kind.EXACT) {
                                kind = Kind.PREFIX;
                            } else {
                                re.append(".*");
                                kind = Kind.REGEX;
                            }
                        } else {
                            re.append("(.*/)?");
                            kind = Kind.REGEX;
                        }
                        if (step == 0) {
                            kind = Kind.SUFFIX;
                        }
                    } else {
                        re.append("[^/]*");
                        kind = Kind.REGEX;
                    }
                } else if (ch == '?') {
                    re.append("[^/]");
                    kind = Kind.REGEX;
                } else if (".+()|{}$".indexOf(ch) >= 0) {
                    re.append('\\').appendCodePoint(ch);
                } else if (ch == '\\') {
                    if (i < cps.length) {
                        re.append('\\').appendCodePoint(cps[i++]);
                        kind = Kind.REGEX;
                    } else {
                        re.append("\\\\");
                    }
                } else if (ch == '[' || ch == ']') {
                    re.appendCodePoint(ch);
                    kind = Kind.REGEX;
                } else {
                    re.appendCodePoint(ch);
                }
            }
            Pattern compiled = null;
            if (kind == Kind.REGEX) {
                re.append('$');
                try {
                    compiled = Pattern.compile(javaClasses(re.toString()));
                } catch (PatternSyntaxException e) {
                    compiled = null; // Go reports a pattern its regexp package rejects when it is first used
                }
            }
            return new Rule(p, exclusion, p.split("/", -1).length, kind, compiled, p);
        }

        /**
         * Go's regexp reads {@code [} and {@code &} inside a class literally and a {@code ]} right after the
         * opening bracket as a member; Java would nest or intersect, so those are escaped.
         */
        private static String javaClasses(String re) {
            StringBuilder out = new StringBuilder();
            boolean inClass = false;
            for (int i = 0; i < re.length(); i++) {
                char c = re.charAt(i);
                if (c == '\\' && i + 1 < re.length()) {
                    out.append(c).append(re.charAt(++i));
                    continue;
                }
                if (!inClass) {
                    if (c == '[') {
                        inClass = true;
                        out.append(c);
                        if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                            out.append('^');
                            i++;
                        }
                        if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
                            out.append("\\]");
                            i++;
                        }
                    } else {
                        out.append(c);
                    }
                    continue;
                }
                if (c == ']') {
                    inClass = false;
                    out.append(c);
                } else if (c == '[' || c == '&') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
