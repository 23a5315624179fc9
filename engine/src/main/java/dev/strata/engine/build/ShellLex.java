package dev.strata.engine.build;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Variable substitution and word splitting as Docker's Dockerfile lexer does them (BuildKit's
 * {@code frontend/dockerfile/shell}): {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}},
 * {@code ${VAR:+word}}, {@code ${VAR+word}}, {@code ${VAR:?msg}}, {@code ${VAR?msg}}, the pattern forms
 * {@code ${VAR#p}}, {@code ${VAR##p}}, {@code ${VAR%p}}, {@code ${VAR%%p}}, {@code ${VAR/p/r}},
 * {@code ${VAR//p/r}}; single quotes are literal, double quotes expand {@code $} and let the escape character
 * escape {@code "}, {@code $} and itself, and outside quotes the escape character escapes any character. It is
 * not a shell: no command substitution, no globbing, no arithmetic. Positional and special parameters
 * ({@code $1}, {@code $@}, ...) are never set.
 *
 * <p>An instance is cheap and not thread-safe; make one per use.
 */
public final class ShellLex {
    private static final int EOF = -1;

    private final int escape;
    // BuildKit's knobs, used by the parser to find heredoc words; never set for instruction expansion.
    boolean rawQuotes;
    boolean rawEscapes;
    boolean skipUnsetEnv;
    boolean skipProcessQuotes;

    private String input;
    private int pos;
    private Function<String, String> env;
    private final Set<String> matched = new LinkedHashSet<>();
    private final Set<String> unmatched = new LinkedHashSet<>();

    /** A lexer whose escape character is {@code escape} ({@code \} or {@code `}, from the escape directive). */
    public ShellLex(char escape) {
        this.escape = escape;
    }

    /** A malformed word: an unclosed quote or brace, a bad substitution, or a {@code ${VAR?msg}} that fired. */
    public static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    /**
     * The word with quotes removed and variables substituted, spaces kept (Docker's {@code ProcessWord}).
     *
     * @param env a variable's value, or null when it is not set
     */
    public String expand(String word, Function<String, String> env) throws SyntaxException {
        return run(word, env).word;
    }

    /**
     * The word substituted and then split at unquoted white space, as EXPOSE and the heredoc detection do
     * (Docker's {@code ProcessWords}); white space that came from a variable's value splits too.
     */
    public List<String> split(String word, Function<String, String> env) throws SyntaxException {
        return run(word, env).words;
    }

    /** The names looked up by the last {@link #expand}/{@link #split} that were set. */
    Set<String> matched() {
        return matched;
    }

    /** The names looked up by the last {@link #expand}/{@link #split} that were not set. */
    Set<String> unmatched() {
        return unmatched;
    }

    private record Result(String word, List<String> words) {
    }

    private Result run(String word, Function<String, String> env) throws SyntaxException {
        this.input = word;
        this.pos = 0;
        this.env = env;
        matched.clear();
        unmatched.clear();
        try {
            return processStopOn(EOF, rawEscapes);
        } catch (SyntaxException e) {
            throw new SyntaxException("failed to process " + quote(word) + ": " + e.getMessage());
        }
    }

    /** Go's {@code %q} for the common characters: the word in double quotes, {@code "} and {@code \} escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    // ---- scanner ----

    private int peek() {
        return pos < input.length() ? input.codePointAt(pos) : EOF;
    }

    private int next() {
        if (pos >= input.length()) {
            return EOF;
        }
        int c = input.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    /** Words being split: unquoted white space ends a word; quoted text and escaped characters never do. */
    private static final class Words {
        final StringBuilder buf = new StringBuilder();
        final List<String> words = new ArrayList<>();
        boolean inWord;

        void addChar(int ch) {
            if (isSpace(ch) && inWord) {
                if (!buf.isEmpty()) {
                    words.add(buf.toString());
                    buf.setLength(0);
                    inWord = false;
                }
            } else if (!isSpace(ch)) {
                addRawChar(ch);
            }
        }

        void addRawChar(int ch) {
            buf.appendCodePoint(ch);
            inWord = true;
        }

        void addString(String s) {
            s.codePoints().forEach(this::addChar);
        }

        void addRawString(String s) {
            buf.append(s);
            inWord = true;
        }

        List<String> finish() {
            if (!buf.isEmpty()) {
                words.add(buf.toString());
                buf.setLength(0);
                inWord = false;
            }
            return words;
        }
    }

    private Result processStopOn(int stop, boolean raw) throws SyntaxException {
        boolean saved = rawEscapes;
        rawEscapes = raw;
        try {
            StringBuilder result = new StringBuilder();
            Words words = new Words();
            while (peek() != EOF) {
                int ch = peek();
                if (stop != EOF && ch == stop) {
                    next();
                    return new Result(result.toString(), words.finish());
                }
                String special = null;
                boolean fromVariable = false;
                if (ch == '$') {
                    special = processDollar();
                    fromVariable = true;
                } else if (ch == '<') {
                    special = processPossibleHeredoc();
                } else if (!skipProcessQuotes && ch == '\'') {
                    special = processSingleQuote();
                } else if (!skipProcessQuotes && ch == '"') {
                    special = processDoubleQuote();
                }
                if (special != null) {
                    result.append(special);
                    if (fromVariable) {
                        words.addString(special);
                    } else {
                        words.addRawString(special);
                    }
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    if (rawEscapes) {
                        words.addRawChar(ch);
                        result.appendCodePoint(ch);
                    }
                    ch = next();
                    if (ch == EOF) {
                        break; // an escape at the very end is dropped
                    }
                    words.addRawChar(ch);
                } else {
                    words.addChar(ch);
                }
                result.appendCodePoint(ch);
            }
            if (stop != EOF) {
                throw new SyntaxException("unexpected end of statement while looking for matching " + Character.toString(stop));
            }
            return new Result(result.toString(), words.finish());
        } finally {
            rawEscapes = saved;
        }
    }

    private String processSingleQuote() throws SyntaxException {
        StringBuilder out = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            out.appendCodePoint(ch);
        }
        while (true) {
            ch = next();
            if (ch == EOF) {
                throw new SyntaxException("unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'') {
                if (rawQuotes) {
                    out.appendCodePoint(ch);
                }
                return out.toString();
            }
            out.appendCodePoint(ch);
        }
    }

    private String processDoubleQuote() throws SyntaxException {
        StringBuilder out = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            out.appendCodePoint(ch);
        }
        while (true) {
            int p = peek();
            if (p == EOF) {
                throw new SyntaxException("unexpected end of statement while looking for matching double-quote");
            }
            if (p == '"') {
                ch = next();
                if (rawQuotes) {
                    out.appendCodePoint(ch);
                }
                return out.toString();
            }
            if (p == '$') {
                out.append(processDollar());
                continue;
            }
            ch = next();
            if (ch == escape) {
                if (rawEscapes) {
                    out.appendCodePoint(ch);
                }
                int after = peek();
                if (after == EOF) {
                    continue; // reported as the unclosed quote on the next round
                }
                // Inside double quotes only ", $ and the escape character itself can be escaped.
                if (after == '"' || after == '$' || after == escape) {
                    ch = next();
                }
            }
            out.appendCodePoint(ch);
        }
    }

    private String processDollar() throws SyntaxException {
        next(); // '$'
        if (peek() != '{') {
            String name = processName();
            if (name.isEmpty()) {
                return "$";
            }
            String value = lookup(name);
            if (value == null && skipUnsetEnv) {
                return "$" + name;
            }
            return value == null ? "" : value;
        }
        next(); // '{'
        int first = peek();
        if (first == EOF) {
            throw new SyntaxException("syntax error: missing '}'");
        }
        if (first == '{' || first == '}' || first == ':') {
            throw new SyntaxException("syntax error: bad substitution");
        }
        String name = processName();
        int ch = next();
        if (ch == EOF) {
            throw new SyntaxException("syntax error: missing '}'");
        }
        String modifier = Character.toString(ch);
        boolean nullIsUnset = false;
        switch (ch) {
            case '}' -> {
                String value = lookup(name);
                if (value == null && skipUnsetEnv) {
                    return "${" + name + "}";
                }
                return value == null ? "" : value;
            }
            case '/' -> {
                return processReplace(name);
            }
            case ':' -> {
                nullIsUnset = true;
                ch = next();
                if (ch == EOF) {
                    throw new SyntaxException("syntax error: missing '}'");
                }
                modifier += Character.toString(ch);
            }
            case '+', '-', '?', '#', '%' -> {
            }
            default -> throw new SyntaxException("unsupported modifier (" + modifier + ") in substitution");
        }
        boolean patternOperator = ch == '#' || ch == '%';
        if (nullIsUnset && patternOperator) {
            throw new SyntaxException("unsupported modifier (" + modifier + ") in substitution");
        }
        String word = processStopOnClosing('}', patternOperator);
        String value = lookup(name);
        boolean set = value != null;
        if (!set && skipUnsetEnv) {
            return "${" + name + modifier + word + "}";
        }
        boolean empty = !set || (nullIsUnset && value.isEmpty());
        return switch (ch) {
            case '-' -> empty ? word : value;
            case '+' -> empty ? "" : word;
            case '?' -> {
                if (!set) {
                    throw new SyntaxException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                if (empty) {
                    throw new SyntaxException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                }
                yield value;
            }
            case '#', '%' -> {
                String v = set ? value : "";
                boolean greedy = !word.isEmpty() && word.codePointAt(0) == ch;
                String pattern = greedy ? word.substring(1) : word;
                yield ch == '%' ? trimSuffix(pattern, v, greedy) : trimPrefix(pattern, v, greedy);
            }
            default -> throw new SyntaxException("unsupported modifier (" + modifier + ") in substitution");
        };
    }

    private String processStopOnClosing(int stop, boolean raw) throws SyntaxException {
        try {
            return processStopOn(stop, raw).word;
        } catch (SyntaxException e) {
            if (peek() == EOF) {
                throw new SyntaxException(stop == '/' ? "syntax error: missing '/' in ${}" : "syntax error: missing '}'");
            }
            throw e;
        }
    }

    private String processReplace(String name) throws SyntaxException {
        boolean all = peek() == '/';
        if (all) {
            next();
        }
        String pattern = processStopOnClosing('/', true);
        String replacement = processStopOnClosing('}', true);
        String value = lookup(name);
        if (value == null && skipUnsetEnv) {
            return "${" + name + "/" + pattern + "/" + replacement + "}";
        }
        String v = value == null ? "" : value;
        Pattern re = shellPattern(pattern, true, false);
        Matcher m = re.matcher(v);
        String literal = Matcher.quoteReplacement(replacement);
        return all ? m.replaceAll(literal) : m.replaceFirst(literal);
    }

    private String processName() {
        StringBuilder name = new StringBuilder();
        while (peek() != EOF) {
            int ch = peek();
            if (name.isEmpty() && Character.isDigit(ch)) {
                while (peek() != EOF && Character.isDigit(peek())) {
                    name.appendCodePoint(next());
                }
                return name.toString();
            }
            if (name.isEmpty() && isSpecialParameter(ch)) {
                return Character.toString(next());
            }
            if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                break;
            }
            name.appendCodePoint(next());
        }
        return name.toString();
    }

    /** {@code <<} and the blanks after it stay together so that {@code << EOF} is seen as one heredoc word. */
    private String processPossibleHeredoc() {
        next();
        if (peek() != '<') {
            return "<";
        }
        next();
        StringBuilder out = new StringBuilder("<<");
        while (peek() == ' ' || peek() == '\t' || peek() == '\r') {
            out.appendCodePoint(next());
        }
        return out.toString();
    }

    private String lookup(String name) {
        String value = env.apply(name);
        (value != null ? matched : unmatched).add(name);
        return value;
    }

    private static boolean isSpecialParameter(int ch) {
        return switch (ch) {
            case '@', '*', '#', '?', '-', '$', '!', '0' -> true;
            default -> false;
        };
    }

    /** Go's {@code unicode.IsSpace}, which (unlike Java's) counts U+0085 and U+00A0 too. */
    static boolean isSpace(int ch) {
        return switch (ch) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0 -> true;
            default -> ch > 0xFF && Character.isSpaceChar(ch);
        };
    }

    // ---- ${VAR#pattern} and friends: '*' any string, '?' any character, the escape '\' quotes the next one ----

    private static Pattern shellPattern(String pattern, boolean greedy, boolean anchored) throws SyntaxException {
        StringBuilder out = new StringBuilder(anchored ? "^" : "");
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == '*') {
                out.append(greedy ? ".*" : ".*?");
            } else if (c == '?') {
                out.append('.');
            } else if (c == '\\') {
                if (i < pattern.length() && (pattern.charAt(i) == '}' || pattern.charAt(i) == '/')) {
                    continue; // the escape that kept } or / inside ${...} is not part of the pattern
                }
                int n = i < pattern.length() ? pattern.codePointAt(i) : EOF;
                if (n != '*' && n != '?' && n != '\\') {
                    throw new SyntaxException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                            + (n == EOF ? "" : Character.toString(n)) + "'");
                }
                i += Character.charCount(n);
                out.append('\\').appendCodePoint(n);
            } else if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                out.append('\\').append((char) c);
            } else {
                out.appendCodePoint(c);
            }
        }
        return Pattern.compile(out.toString());
    }

    private static String trimPrefix(String pattern, String value, boolean greedy) throws SyntaxException {
        Matcher m = shellPattern(pattern, greedy, true).matcher(value);
        return m.find() ? value.substring(m.end()) : value;
    }

    /** The shortest or longest matching suffix: reverse both and trim a prefix (regexes only search forwards). */
    private static String trimSuffix(String pattern, String value, boolean greedy) throws SyntaxException {
        String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
        return reverse(reversed);
    }

    /** Reverses a pattern keeping each escape in front of the character it escapes: {@code a\*c} gives {@code c\*a}. */
    static String reversePattern(String pattern) {
        int[] cps = pattern.codePoints().toArray();
        int[] out = new int[cps.length];
        int last = cps.length - 1;
        for (int i = 0; i <= last; ) {
            int at = last - i;
            if (cps[i] == '\\' && i != last) {
                out[at - 1] = cps[i];
                out[at] = cps[i + 1];
                i += 2;
            } else {
                out[at] = cps[i];
                i++;
            }
        }
        return new String(out, 0, out.length);
    }

    private static String reverse(String s) {
        int[] cps = s.codePoints().toArray();
        for (int i = 0, j = cps.length - 1; i < j; i++, j--) {
            int t = cps[i];
            cps[i] = cps[j];
            cps[j] = t;
        }
        return new String(cps, 0, cps.length);
    }
}
