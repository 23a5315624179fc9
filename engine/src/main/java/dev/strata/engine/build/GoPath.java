package dev.strata.engine.build;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code path/filepath} functions that Docker's context rules are written in terms of: {@code Clean} and
 * {@code Match} (one path element at a time: {@code *} and {@code ?} never match {@code /}; {@code [...]} classes
 * with ranges and {@code ^}; {@code \} escapes).
 */
final class GoPath {
    private GoPath() {
    }

    /** A malformed {@link #match} pattern (Go's {@code filepath.ErrBadPattern}). */
    static final class BadPattern extends Exception {
        BadPattern() {
            super("syntax error in pattern");
        }
    }

    /** {@code filepath.Clean}: no empty, "." or inner ".." elements; ".." above the root of an absolute path dropped. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        int dotdots = 0; // leading ".." elements of a relative path, which cannot be removed
        for (String e : path.split("/")) {
            if (e.isEmpty() || e.equals(".")) {
                continue;
            }
            if (e.equals("..")) {
                if (out.size() > dotdots) {
                    out.removeLast();
                } else if (!rooted) {
                    out.add("..");
                    dotdots++;
                }
                continue;
            }
            out.add(e);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** {@code filepath.Dir} of a clean relative path: "." for a top-level name. */
    static String dir(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : clean(path.substring(0, slash));
    }

    /** {@code path.Base}: the last element of a clean path ("/" for the root). */
    static String base(String path) {
        String c = clean(path);
        int slash = c.lastIndexOf('/');
        return c.equals("/") ? "/" : c.substring(slash + 1);
    }

    /** {@code filepath.Match(pattern, name)}. */
    static boolean match(String pattern, String name) throws BadPattern {
        int[] p = pattern.codePoints().toArray();
        int[] n = name.codePoints().toArray();
        int pi = 0;
        int ni = 0;
        outer:
        while (pi < p.length) {
            boolean star = false;
            while (pi < p.length && p[pi] == '*') {
                pi++;
                star = true;
            }
            int chunkEnd = chunkEnd(p, pi);
            if (star && chunkEnd == pi) {
                for (int i = ni; i < n.length; i++) {
                    if (n[i] == '/') {
                        return false; // a trailing * matches the rest unless it holds a /
                    }
                }
                return true;
            }
            int rest = matchChunk(p, pi, chunkEnd, n, ni);
            if (rest >= 0 && (rest == n.length || chunkEnd < p.length)) {
                ni = rest;
                pi = chunkEnd;
                continue;
            }
            if (star) {
                for (int i = ni; i < n.length && n[i] != '/'; i++) {
                    int t = matchChunk(p, pi, chunkEnd, n, i + 1);
                    if (t >= 0) {
                        if (chunkEnd == p.length && t < n.length) {
                            continue;
                        }
                        ni = t;
                        pi = chunkEnd;
                        continue outer;
                    }
                }
            }
            // No match; the rest of the pattern must still be well formed.
            pi = chunkEnd;
            while (pi < p.length) {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                int end = chunkEnd(p, pi);
                matchChunk(p, pi, end, new int[0], 0);
                pi = end;
            }
            return false;
        }
        return ni == n.length;
    }

    private static int chunkEnd(int[] p, int from) {
        boolean inRange = false;
        int i = from;
        for (; i < p.length; i++) {
            switch (p[i]) {
                case '\\' -> {
                    if (i + 1 < p.length) {
                        i++;
                    }
                }
                case '[' -> inRange = true;
                case ']' -> inRange = false;
                case '*' -> {
                    if (!inRange) {
                        return i;
                    }
                }
                default -> {
                }
            }
        }
        return i;
    }

    /** Matches p[from, to) at the start of s[si..]: the index in s after the match, or -1. */
    private static int matchChunk(int[] p, int from, int to, int[] s, int si) throws BadPattern {
        boolean failed = false;
        int c = from;
        while (c < to) {
            if (!failed && si >= s.length) {
                failed = true;
            }
            switch (p[c]) {
                case '[' -> {
                    int r = 0;
                    if (!failed) {
                        r = s[si++];
                    }
                    c++;
                    boolean negated = false;
                    if (c < to && p[c] == '^') {
                        negated = true;
                        c++;
                    }
                    boolean match = false;
                    int ranges = 0;
                    while (true) {
                        if (c < to && p[c] == ']' && ranges > 0) {
                            c++;
                            break;
                        }
                        int[] lo = escaped(p, c, to);
                        c = lo[1];
                        int hi = lo[0];
                        if (p[c] == '-') {
                            int[] h = escaped(p, c + 1, to);
                            hi = h[0];
                            c = h[1];
                        }
                        if (lo[0] <= r && r <= hi) {
                            match = true;
                        }
                        ranges++;
                    }
                    if (match == negated) {
                        failed = true;
                    }
                }
                case '?' -> {
                    if (!failed) {
                        if (s[si] == '/') {
                            failed = true;
                        }
                        si++;
                    }
                    c++;
                }
                default -> {
                    if (p[c] == '\\') {
                        c++;
                        if (c >= to) {
                            throw new BadPattern();
                        }
                    }
                    if (!failed) {
                        if (p[c] != s[si]) {
                            failed = true;
                        }
                        si++;
                    }
                    c++;
                }
            }
        }
        return failed ? -1 : si;
    }

    /** One (possibly escaped) character of a class: {character, index after it}. */
    private static int[] escaped(int[] p, int c, int to) throws BadPattern {
        if (c >= to || p[c] == '-' || p[c] == ']') {
            throw new BadPattern();
        }
        if (p[c] == '\\') {
            c++;
            if (c >= to) {
                throw new BadPattern();
            }
        }
        int r = p[c];
        c++;
        if (c >= to) {
            throw new BadPattern();
        }
        return new int[] {r, c};
    }
}
