package dev.strata.engine.build;

import dev.strata.engine.build.Instruction.ArgSpec;
import dev.strata.engine.build.Instruction.CommandLine;
import dev.strata.engine.build.Instruction.Heredoc;
import dev.strata.engine.build.Instruction.KeyValue;
import dev.strata.image.ImageJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Parses a Dockerfile the way Docker does (BuildKit's {@code frontend/dockerfile/parser} and
 * {@code instructions}, which the classic builder shares): parser directives at the very top ({@code escape}
 * sets the escape character, {@code syntax} and {@code check} are recorded and ignored), comments, line
 * continuations (comment lines and empty lines inside a continuation are skipped, the latter with a warning),
 * here-documents for RUN, COPY and ADD, exec (JSON) form versus shell form (a malformed JSON array falls back to
 * the shell form; a well-formed array of anything but strings is an error), flags, and every instruction's
 * argument rules and error messages.
 */
public final class DockerfileParser {
    static final char DEFAULT_ESCAPE = '\\';
    private static final Pattern DIRECTIVE = Pattern.compile("([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(.+?)[\\t\\n\\f\\r ]*");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");
    private static final Pattern HEREDOC = Pattern.compile("(\\d*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)");
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-_.]*");
    private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^[\\t\\n\\x0B\\f\\r ]*ONBUILD[\\t\\n\\x0B\\f\\r ]*");

    private DockerfileParser() {
    }

    /** Parses {@code content} (UTF-8, a byte-order mark is skipped); {@code file} names it in errors. */
    public static Dockerfile parse(String file, byte[] content) throws DockerfileException {
        if (content.length == 0) {
            throw new DockerfileException(file, 0, "", "the Dockerfile cannot be empty");
        }
        return parse(file, new String(content, StandardCharsets.UTF_8));
    }

    public static Dockerfile parse(String file, String content) throws DockerfileException {
        if (content.isEmpty()) {
            throw new DockerfileException(file, 0, "", "the Dockerfile cannot be empty");
        }
        Lines lines = new Lines(file, content, DEFAULT_ESCAPE, 0);
        List<Node> nodes = lines.parse();
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        Instruction.From from = null;
        Set<String> names = new HashSet<>();
        for (Node node : nodes) {
            Instruction instruction = instruction(file, node);
            if (instruction instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from, current));
                }
                if (f.name().isPresent() && !names.add(f.name().get())) {
                    throw DockerfileException.at(f.location(), "FROM", "duplicate stage name \"" + f.name().get() + "\"");
                }
                from = f;
                current = new ArrayList<>();
            } else if (from == null) {
                if (instruction instanceof Instruction.Arg a) {
                    metaArgs.add(a);
                } else {
                    throw DockerfileException.at(instruction.location(), instruction.keyword(),
                            "no build stage in current context (" + instruction.keyword()
                                    + " before the first FROM; only ARG may come before it)");
                }
            } else {
                current.add(instruction);
            }
        }
        if (from == null) {
            throw new DockerfileException(file, 0, "", "dockerfile contains no stages to build");
        }
        stages.add(new Stage(stages.size(), from, current));
        return new Dockerfile(file, lines.escape, lines.directives, metaArgs, stages, lines.warnings);
    }

    /**
     * Parses one ONBUILD trigger of a base image (the expression stored in its config), as Docker does when a build
     * starts FROM that image; errors are reported at {@code file:line}, the FROM that brought the trigger in.
     */
    public static Instruction parseTrigger(String file, int line, String expression) throws DockerfileException {
        Lines lines = new Lines(file, expression, DEFAULT_ESCAPE, line - 1);
        lines.directivesDone = true;
        List<Node> nodes = lines.parse();
        if (nodes.size() != 1) {
            throw new DockerfileException(file, line, "ONBUILD", "invalid ONBUILD trigger: " + expression);
        }
        Node node = nodes.getFirst();
        node = new Node(node.keyword, node.flags, node.args, node.pairs, node.json, node.original, line, line,
                node.heredocs, node.child);
        checkTrigger(file, node);
        return instruction(file, node);
    }

    // ---- lines to nodes ----

    /** An instruction's line, split into keyword, flags and arguments, before the instruction's own rules. */
    private record Node(String keyword, List<String> flags, List<String> args, List<KeyValue> pairs, boolean json,
            String original, int start, int end, List<Heredoc> heredocs, Node child) {
        String upper() {
            return keyword.toUpperCase(Locale.ROOT);
        }
    }

    /** A syntax error found while splitting a line, before the location is known. */
    private static final class LineError extends Exception {
        LineError(String message) {
            super(message);
        }
    }

    private static final class Lines {
        final String file;
        final List<String> raw = new ArrayList<>();
        final Map<String, String> directives = new LinkedHashMap<>();
        final List<Dockerfile.Warning> warnings = new ArrayList<>();
        final int lineOffset;
        char escape;
        boolean directivesDone;
        int next;
        int current;

        Lines(String file, String content, char escape, int lineOffset) {
            this.file = file;
            this.escape = escape;
            this.lineOffset = lineOffset;
            int start = 0;
            while (start < content.length()) {
                int nl = content.indexOf('\n', start);
                int end = nl < 0 ? content.length() : nl + 1;
                raw.add(content.substring(start, end));
                start = end;
            }
            if (!raw.isEmpty() && raw.getFirst().startsWith("\uFEFF")) {
                raw.set(0, raw.getFirst().substring(1));
            }
        }

        List<Node> parse() throws DockerfileException {
            List<Node> nodes = new ArrayList<>();
            while (next < raw.size()) {
                String token = trimLeft(trimNewline(raw.get(next++)));
                directive(token, current + 1);
                if (isComment(token)) {
                    token = "";
                }
                current++;
                int start = current;
                Continued c = continued(token);
                if (c.end && c.text.isEmpty()) {
                    continue;
                }
                StringBuilder line = new StringBuilder(c.text);
                boolean emptyContinuation = false;
                boolean end = c.end;
                while (!end && next < raw.size()) {
                    String r = raw.get(next++);
                    current++;
                    if (isComment(r)) {
                        continue;
                    }
                    String t = trimNewline(r);
                    if (trimLeft(t).isEmpty()) {
                        emptyContinuation = true;
                        continue;
                    }
                    c = continued(t);
                    end = c.end;
                    line.append(c.text);
                }
                String text = line.toString();
                if (emptyContinuation) {
                    warnings.add(new Dockerfile.Warning(lineOffset + current, "Empty continuation line found in: " + text));
                }
                Node node;
                try {
                    node = node(text, lineOffset + start);
                } catch (LineError e) {
                    throw new DockerfileException(file, lineOffset + start, keywordOf(text), e.getMessage());
                }
                List<Heredoc> heredocs = List.of();
                if (canContainHeredoc(node) && text.contains("<<")) {
                    heredocs = readHeredocs(text, lineOffset + start, node);
                }
                nodes.add(attach(node, heredocs, lineOffset + current));
                // A trigger is one line; whatever follows belongs to nobody, as in Docker.
            }
            if (nodes.isEmpty()) {
                throw new DockerfileException(file, 0, "", "file with no instructions");
            }
            return nodes;
        }

        private static Node attach(Node n, List<Heredoc> heredocs, int end) {
            Node child = n.child == null ? null : new Node(n.child.keyword, n.child.flags, n.child.args, n.child.pairs,
                    n.child.json, n.child.original, n.start, end, heredocs, null);
            return new Node(n.keyword, n.flags, n.args, n.pairs, n.json, n.original, n.start, end, heredocs, child);
        }

        private List<Heredoc> readHeredocs(String text, int start, Node node) throws DockerfileException {
            List<Spec> specs;
            try {
                specs = heredocsOfLine(text);
            } catch (ShellLex.SyntaxException e) {
                throw new DockerfileException(file, start, node.upper(), e.getMessage());
            }
            List<Heredoc> out = new ArrayList<>();
            for (Spec spec : specs) {
                StringBuilder content = new StringBuilder();
                boolean terminated = false;
                while (next < raw.size()) {
                    String r = raw.get(next++);
                    current++;
                    String candidate = trimNewline(r);
                    if (spec.chomp) {
                        candidate = candidate.replaceFirst("^\t+", "");
                    }
                    if (candidate.equals(spec.name)) {
                        terminated = true;
                        break;
                    }
                    content.append(r);
                }
                if (!terminated) {
                    throw new DockerfileException(file, start, node.upper(), "unterminated heredoc");
                }
                out.add(new Heredoc(spec.name, content.toString(), spec.chomp, spec.expand, spec.fd));
            }
            return out;
        }

        /** A parser directive ({@code # escape=`}) while they are still allowed: before anything else. */
        private void directive(String line, int lineNo) throws DockerfileException {
            if (directivesDone) {
                return;
            }
            if (!line.startsWith("#")) {
                directivesDone = true;
                return;
            }
            Matcher m = DIRECTIVE.matcher(trimLeft(line.substring(1)));
            String key = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
            if (!DIRECTIVES.contains(key)) {
                directivesDone = true;
                return;
            }
            if (directives.containsKey(key)) {
                throw new DockerfileException(file, lineOffset + lineNo, "", "only one " + key + " parser directive can be used");
            }
            String value = m.group(2);
            if (key.equals("escape")) {
                if (!value.equals("`") && !value.equals("\\")) {
                    throw new DockerfileException(file, lineOffset + lineNo, "",
                            "invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
            }
            directives.put(key, value);
        }

        private record Continued(String text, boolean end) {
        }

        /**
         * The escape character at the end of a line (trailing blanks allowed) continues it, unless it is itself
         * escaped; it is removed along with those blanks.
         */
        private Continued continued(String line) {
            int end = line.length();
            while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                end--;
            }
            if (end == 0 || line.charAt(end - 1) != escape) {
                return new Continued(line, true);
            }
            if (end == 1) {
                return new Continued("", false);
            }
            if (line.charAt(end - 2) == escape) {
                return new Continued(line, true);
            }
            return new Continued(line.substring(0, end - 1), false);
        }

        private Node node(String line, int lineNo) throws LineError {
            String trimmed = trimSpace(line);
            String[] parts = WHITESPACE.split(trimmed, 2);
            String keyword = parts[0];
            List<String> flags = List.of();
            String rest = "";
            if (parts.length == 2) {
                Flagged f = extractFlags(parts[1]);
                flags = f.flags;
                rest = trimSpace(f.rest);
            }
            List<String> args = List.of();
            List<KeyValue> pairs = List.of();
            boolean json = false;
            Node child = null;
            switch (keyword.toLowerCase(Locale.ROOT)) {
                case "add", "copy", "volume" -> {
                    List<String> j = jsonArray(rest);
                    json = j != null;
                    args = json ? j : whitespaceWords(rest);
                }
                case "cmd", "entrypoint", "run", "shell" -> {
                    if (!rest.isEmpty()) {
                        List<String> j = jsonArray(rest);
                        json = j != null;
                        args = json ? j : List.of(rest);
                    }
                }
                case "env", "label" -> pairs = nameValues(rest, keyword.toUpperCase(Locale.ROOT));
                case "arg" -> args = quotedWords(rest);
                case "expose", "from" -> args = whitespaceWords(rest);
                case "healthcheck" -> {
                    int sep = 0;
                    while (sep < rest.length() && !ShellLex.isSpace(rest.charAt(sep))) {
                        sep++;
                    }
                    if (sep > 0) {
                        String command = trimLeft(rest.substring(sep));
                        List<String> a = new ArrayList<>();
                        a.add(rest.substring(0, sep));
                        if (!command.isEmpty()) {
                            List<String> j = jsonArray(command);
                            json = j != null;
                            a.addAll(json ? j : List.of(command));
                        }
                        args = a;
                    }
                }
                case "maintainer", "stopsignal", "user", "workdir" -> args = rest.isEmpty() ? List.of() : List.of(rest);
                case "onbuild" -> {
                    if (!rest.isEmpty()) {
                        child = node(rest, lineNo);
                    }
                }
                default -> {
                    // an unknown instruction: reported when the node becomes an instruction, as Docker does
                }
            }
            return new Node(keyword, flags, args, pairs, json, trimmed, lineNo, lineNo, List.of(), child);
        }

        /** The words of ENV and LABEL: {@code name value} (old form) or {@code name=value ...}, quotes kept. */
        private List<KeyValue> nameValues(String rest, String keyword) throws LineError {
            List<String> words = quotedWords(rest);
            if (words.isEmpty()) {
                return List.of();
            }
            if (!words.getFirst().contains("=")) {
                String[] parts = WHITESPACE.split(rest, 2);
                if (parts.length < 2) {
                    throw new LineError(keyword + " must have two arguments");
                }
                return List.of(new KeyValue(parts[0], parts[1]));
            }
            List<KeyValue> out = new ArrayList<>();
            for (String word : words) {
                int eq = word.indexOf('=');
                if (eq < 0) {
                    throw new LineError("Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
                }
                out.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1)));
            }
            return out;
        }

        /** Splits at blanks outside quotes, keeping the quotes and escapes for the later substitution. */
        private List<String> quotedWords(String rest) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            boolean blankOk = false;
            int quote = 0;
            int n = rest.length();
            for (int i = 0; i < n; ) {
                int ch = rest.codePointAt(i);
                int w = Character.charCount(ch);
                if (quote == 0) {
                    if (ShellLex.isSpace(ch)) {
                        if (inWord && (blankOk || !word.isEmpty())) {
                            words.add(word.toString());
                        }
                        word.setLength(0);
                        inWord = false;
                        blankOk = false;
                        i += w;
                        continue;
                    }
                    inWord = true;
                    if (ch == '\'' || ch == '"') {
                        quote = ch;
                        blankOk = true;
                    } else if (ch == escape) {
                        if (i + w == n) {
                            i += w;
                            continue; // an escape at the very end is dropped
                        }
                        word.appendCodePoint(ch);
                        i += w;
                        ch = rest.codePointAt(i);
                        w = Character.charCount(ch);
                    }
                    word.appendCodePoint(ch);
                    i += w;
                } else {
                    if (ch == quote) {
                        quote = 0;
                    } else if (ch == escape && quote != '\'') {
                        if (i + w == n) {
                            quote = 0;
                            i += w;
                            continue;
                        }
                        word.appendCodePoint(ch);
                        i += w;
                        ch = rest.codePointAt(i);
                        w = Character.charCount(ch);
                    }
                    word.appendCodePoint(ch);
                    i += w;
                }
            }
            if (inWord && (blankOk || !word.isEmpty())) {
                words.add(word.toString());
            }
            return words;
        }

        private record Flagged(String rest, List<String> flags) {
        }

        /** Leading {@code --name[=value]} words (quotes and escapes processed), and the rest of the line. */
        private Flagged extractFlags(String line) {
            List<String> flags = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean blankOk = false;
            int quote = 0;
            boolean inWord = false;
            int n = line.length();
            for (int i = 0; i <= n; i++) {
                char ch = i < n ? line.charAt(i) : 0;
                if (!inWord) {
                    if (i == n) {
                        break;
                    }
                    if (ShellLex.isSpace(ch)) {
                        continue;
                    }
                    if (ch != '-' || i + 1 == n || line.charAt(i + 1) != '-') {
                        return new Flagged(line.substring(i), flags);
                    }
                    inWord = true;
                }
                if (i == n) {
                    String w = word.toString();
                    if (!w.equals("--") && (blankOk || !w.isEmpty())) {
                        flags.add(w);
                    }
                    break;
                }
                if (quote == 0) {
                    if (ShellLex.isSpace(ch)) {
                        String w = word.toString();
                        inWord = false;
                        if (w.equals("--")) {
                            return new Flagged(line.substring(i), flags);
                        }
                        if (blankOk || !w.isEmpty()) {
                            flags.add(w);
                        }
                        word.setLength(0);
                        blankOk = false;
                        continue;
                    }
                    if (ch == '\'' || ch == '"') {
                        quote = ch;
                        blankOk = true;
                        continue;
                    }
                    if (ch == escape) {
                        if (i + 1 == n) {
                            continue;
                        }
                        ch = line.charAt(++i);
                    }
                    word.append(ch);
                } else {
                    if (ch == quote) {
                        quote = 0;
                        continue;
                    }
                    if (ch == escape) {
                        if (i + 1 == n) {
                            quote = 0;
                            continue;
                        }
                        ch = line.charAt(++i);
                    }
                    word.append(ch);
                }
            }
            return new Flagged("", flags);
        }
    }

    private static String keywordOf(String line) {
        return WHITESPACE.split(trimSpace(line), 2)[0].toUpperCase(Locale.ROOT);
    }

    private static boolean canContainHeredoc(Node node) {
        Node n = node.keyword.equalsIgnoreCase("onbuild") && node.child != null ? node.child : node;
        String k = n.keyword.toLowerCase(Locale.ROOT);
        return (k.equals("run") || k.equals("copy") || k.equals("add")) && !n.json;
    }

    // ---- heredoc words ----

    /** A heredoc word: {@code <<EOF}, {@code <<-EOF}, {@code 3<<"EOF"}, {@code <<'EOF'}. */
    private record Spec(String name, boolean chomp, boolean expand, int fd) {
    }

    /** The heredocs a line opens, in order: its words (quotes and escapes kept) that read as heredoc words. */
    private static List<Spec> heredocsOfLine(String line) throws ShellLex.SyntaxException {
        ShellLex lex = new ShellLex('\\');
        lex.rawQuotes = true;
        lex.rawEscapes = true;
        lex.skipUnsetEnv = true;
        List<String> words;
        try {
            words = lex.split(line, name -> null);
        } catch (ShellLex.SyntaxException e) {
            words = List.of(); // Docker ignores a line it cannot split here; the instruction reports it
        }
        List<Spec> specs = new ArrayList<>();
        for (String word : words) {
            Optional<Spec> spec = heredocSpec(word);
            spec.ifPresent(specs::add);
        }
        return specs;
    }

    private static Optional<Spec> heredocSpec(String word) throws ShellLex.SyntaxException {
        Matcher m = HEREDOC.matcher(word);
        if (!m.matches() || m.group(3).isEmpty()) {
            return Optional.empty();
        }
        int fd = m.group(1).isEmpty() ? 0 : parseFd(m.group(1));
        boolean chomp = m.group(2).equals("-");
        String rest = m.group(3);
        ShellLex lex = new ShellLex('\\');
        lex.skipUnsetEnv = true;
        List<String> words = lex.split(rest, name -> null);
        if (words.size() != 1) {
            return Optional.empty();
        }
        lex.rawQuotes = true;
        List<String> raw = lex.split(rest, name -> null);
        if (raw.size() != 1) {
            throw new ShellLex.SyntaxException("internal lexing of heredoc produced inconsistent results: " + rest);
        }
        // Quotes anywhere in the delimiter word turn expansion off, as in a shell.
        boolean expand = quotes(words.getFirst()) == quotes(raw.getFirst());
        return Optional.of(new Spec(words.getFirst(), chomp, expand, fd));
    }

    private static int parseFd(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long quotes(String s) {
        return s.chars().filter(c -> c == '\'' || c == '"').count();
    }

    /** The heredoc a COPY/ADD/RUN argument opens, if it is a heredoc word. */
    static Optional<Heredoc> heredocWord(String word) {
        try {
            return heredocSpec(word).map(s -> new Heredoc(s.name, "", s.chomp, s.expand, s.fd));
        } catch (ShellLex.SyntaxException e) {
            return Optional.empty();
        }
    }

    // ---- nodes to instructions ----

    private static Instruction instruction(String file, Node node) throws DockerfileException {
        SourceLocation where = new SourceLocation(file, node.start, node.end, node.original);
        try {
            return convert(file, node, where);
        } catch (LineError e) {
            throw new DockerfileException(file, node.start, node.upper(), e.getMessage());
        }
    }

    private static Instruction convert(String file, Node node, SourceLocation where) throws LineError, DockerfileException {
        Flags flags = new Flags(node.flags);
        List<String> args = node.args;
        String keyword = node.upper();
        switch (keyword) {
            case "FROM" -> {
                Optional<String> name = Optional.empty();
                if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
                    String lower = args.get(2).toLowerCase(Locale.ROOT);
                    if (!STAGE_NAME.matcher(lower).matches()) {
                        throw new LineError("invalid name for build stage: \"" + args.get(2)
                                + "\", name can't start with a number or contain symbols");
                    }
                    name = Optional.of(lower);
                } else if (args.size() != 1) {
                    throw new LineError("FROM requires either one or three arguments");
                }
                Flags.Value platform = flags.string("platform");
                flags.parse();
                return new Instruction.From(where, args.getFirst(), name, platform.optional());
            }
            case "RUN" -> {
                Flags.Value network = flags.string("network");
                Flags.Value mount = flags.strings("mount");
                flags.parse();
                if (mount.used) {
                    throw new LineError("the --mount option requires BuildKit: Strata builds like Docker's classic "
                            + "builder, which does not support RUN --mount");
                }
                Instruction.Network mode = switch (network.value == null ? "default" : network.value) {
                    case "default" -> Instruction.Network.DEFAULT;
                    case "none" -> Instruction.Network.NONE;
                    case "host" -> Instruction.Network.HOST;
                    default -> throw new LineError("invalid network mode \"" + network.value + "\"");
                };
                return new Instruction.Run(where, new CommandLine(args, node.json), node.heredocs, mode);
            }
            case "CMD" -> {
                flags.parse();
                return new Instruction.Cmd(where, new CommandLine(args, node.json));
            }
            case "ENTRYPOINT" -> {
                flags.parse();
                return new Instruction.Entrypoint(where, new CommandLine(args, node.json));
            }
            case "COPY", "ADD" -> {
                if (args.size() < 2) {
                    throw new LineError(keyword + " requires at least two arguments, but only one was provided. "
                            + "Destination could not be determined");
                }
                Flags.Value chown = flags.string("chown");
                Flags.Value chmod = flags.string("chmod");
                Flags.Value link = flags.bool("link");
                Flags.Value from = keyword.equals("COPY") ? flags.string("from") : null;
                Flags.Value checksum = keyword.equals("ADD") ? flags.string("checksum") : null;
                Flags.Value keepGitDir = keyword.equals("ADD") ? flags.bool("keep-git-dir") : null;
                flags.parse();
                String dest = args.getLast();
                if (heredocWord(dest).isPresent()) {
                    throw new LineError(keyword + " cannot accept a heredoc as a destination");
                }
                List<String> sources = new ArrayList<>();
                List<Heredoc> inline = new ArrayList<>();
                for (String src : args.subList(0, args.size() - 1)) {
                    Optional<Heredoc> h = heredocWord(src);
                    if (h.isPresent()) {
                        Heredoc spec = h.get();
                        Heredoc read = node.heredocs.stream().filter(d -> d.name().equals(spec.name())).findFirst()
                                .orElse(spec);
                        inline.add(new Heredoc(spec.name(), read.content(), spec.chomp(), spec.expand(), spec.fd()));
                    } else {
                        sources.add(src);
                    }
                }
                if (keyword.equals("COPY")) {
                    return new Instruction.Copy(where, sources, inline, dest, from.optional(), chown.optional(),
                            chmod.optional(), link.isTrue());
                }
                return new Instruction.Add(where, sources, inline, dest, chown.optional(), chmod.optional(), link.isTrue(),
                        checksum.optional(), keepGitDir.isTrue());
            }
            case "ENV", "LABEL" -> {
                flags.parse();
                if (node.pairs.isEmpty()) {
                    throw new LineError(keyword + " requires at least one argument");
                }
                for (KeyValue kv : node.pairs) {
                    if (kv.key().isEmpty()) {
                        throw new LineError(keyword + " names can not be blank");
                    }
                }
                return keyword.equals("ENV") ? new Instruction.Env(where, node.pairs) : new Instruction.Label(where, node.pairs);
            }
            case "ARG" -> {
                if (args.isEmpty()) {
                    throw new LineError("ARG requires at least one argument");
                }
                flags.parse();
                List<ArgSpec> specs = new ArrayList<>();
                for (String word : args) {
                    int eq = word.indexOf('=');
                    if (eq == 0) {
                        throw new LineError("ARG names can not be blank");
                    }
                    specs.add(eq < 0 ? new ArgSpec(word, Optional.empty())
                            : new ArgSpec(word.substring(0, eq), Optional.of(word.substring(eq + 1))));
                }
                return new Instruction.Arg(where, specs);
            }
            case "WORKDIR", "USER", "STOPSIGNAL", "MAINTAINER" -> {
                if (args.size() != 1) {
                    throw new LineError(keyword + " requires exactly one argument");
                }
                flags.parse();
                String value = args.getFirst();
                return switch (keyword) {
                    case "WORKDIR" -> new Instruction.Workdir(where, value);
                    case "USER" -> new Instruction.User(where, value);
                    case "STOPSIGNAL" -> new Instruction.StopSignal(where, value);
                    default -> new Instruction.Maintainer(where, value);
                };
            }
            case "EXPOSE" -> {
                if (args.isEmpty()) {
                    throw new LineError("EXPOSE requires at least one argument");
                }
                flags.parse();
                return new Instruction.Expose(where, args.stream().sorted().toList());
            }
            case "VOLUME" -> {
                if (args.isEmpty()) {
                    throw new LineError("VOLUME requires at least one argument");
                }
                flags.parse();
                List<String> paths = new ArrayList<>();
                for (String v : args) {
                    String t = trimSpace(v);
                    if (t.isEmpty()) {
                        throw new LineError("VOLUME specified can not be an empty string");
                    }
                    paths.add(t);
                }
                return new Instruction.Volume(where, paths);
            }
            case "SHELL" -> {
                flags.parse();
                if (args.isEmpty()) {
                    throw new LineError("SHELL requires at least one argument");
                }
                if (!node.json) {
                    throw new LineError("SHELL requires the arguments to be in JSON form");
                }
                return new Instruction.Shell(where, args);
            }
            case "HEALTHCHECK" -> {
                return healthcheck(node, flags, where);
            }
            case "ONBUILD" -> {
                if (node.child == null) {
                    throw new LineError("ONBUILD requires at least one argument");
                }
                flags.parse();
                checkTrigger(file, node.child);
                StringBuilder expression = new StringBuilder(ONBUILD_PREFIX.matcher(node.original).replaceFirst(""));
                for (Heredoc h : node.heredocs) {
                    expression.append('\n').append(h.content()).append(h.name());
                }
                return new Instruction.Onbuild(where, expression.toString(), convert(file, node.child, where));
            }
            default -> throw new LineError("unknown instruction: " + node.keyword);
        }
    }

    private static void checkTrigger(String file, Node trigger) throws DockerfileException {
        String t = trigger.upper();
        switch (t) {
            case "ONBUILD" -> throw new DockerfileException(file, trigger.start, "ONBUILD",
                    "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER", "FROM" -> throw new DockerfileException(file, trigger.start, "ONBUILD",
                    t + " isn't allowed as an ONBUILD trigger");
            default -> {
            }
        }
    }

    private static Instruction healthcheck(Node node, Flags flags, SourceLocation where) throws LineError {
        List<String> args = node.args;
        if (args.isEmpty()) {
            throw new LineError("HEALTHCHECK requires at least one argument");
        }
        String type = args.getFirst().toUpperCase(Locale.ROOT);
        List<String> rest = args.subList(1, args.size());
        if (type.equals("NONE")) {
            if (!rest.isEmpty()) {
                throw new LineError("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(where, List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, 0);
        }
        Flags.Value interval = flags.string("interval");
        Flags.Value timeout = flags.string("timeout");
        Flags.Value startPeriod = flags.string("start-period");
        Flags.Value startInterval = flags.string("start-interval");
        Flags.Value retries = flags.string("retries");
        flags.parse();
        if (!type.equals("CMD")) {
            throw new LineError("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        if (rest.isEmpty()) {
            throw new LineError("Missing command after HEALTHCHECK CMD");
        }
        List<String> test = new ArrayList<>();
        test.add(node.json ? "CMD" : "CMD-SHELL");
        test.addAll(rest);
        Duration every = interval(interval);
        Duration limit = interval(timeout);
        Duration grace = interval(startPeriod);
        Duration startEvery = interval(startInterval);
        int tries = 0;
        if (retries.value != null && !retries.value.isEmpty()) {
            long n;
            try {
                n = Long.parseLong(retries.value);
            } catch (NumberFormatException e) {
                throw new LineError("strconv.ParseInt: parsing \"" + retries.value + "\": invalid syntax");
            }
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                throw new LineError("strconv.ParseInt: parsing \"" + retries.value + "\": value out of range");
            }
            if (n < 0) {
                throw new LineError("--retries cannot be negative (" + n + ")");
            }
            tries = (int) n;
        }
        return new Instruction.Healthcheck(where, test, every, limit, grace, startEvery, tries);
    }

    private static Duration interval(Flags.Value flag) throws LineError {
        if (flag.value == null || flag.value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration d;
        try {
            d = GoDuration.parse(flag.value);
        } catch (IllegalArgumentException e) {
            throw new LineError(e.getMessage());
        }
        if (d.isZero()) {
            return d;
        }
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            throw new LineError("Interval \"" + flag.name + "\" cannot be less than 1ms");
        }
        return d;
    }

    /** An instruction's flags, checked the way Docker's BFlags checks them. */
    private static final class Flags {
        private final List<String> args;
        private final Map<String, Value> known = new LinkedHashMap<>();

        Flags(List<String> args) {
            this.args = args;
        }

        enum Kind { BOOL, STRING, STRINGS }

        static final class Value {
            final String name;
            final Kind kind;
            String value;
            final List<String> values = new ArrayList<>();
            boolean used;

            Value(String name, Kind kind) {
                this.name = name;
                this.kind = kind;
            }

            Optional<String> optional() {
                return used ? Optional.of(value) : Optional.empty();
            }

            boolean isTrue() {
                return "true".equals(value);
            }
        }

        Value string(String name) {
            return add(name, Kind.STRING);
        }

        Value bool(String name) {
            return add(name, Kind.BOOL);
        }

        Value strings(String name) {
            return add(name, Kind.STRINGS);
        }

        private Value add(String name, Kind kind) {
            Value v = new Value(name, kind);
            known.put(name, v);
            return v;
        }

        void parse() throws LineError {
            for (String a : args) {
                if (a.equals("--")) {
                    return;
                }
                if (!a.startsWith("--")) {
                    throw new LineError("arg should start with -- : " + a);
                }
                int eq = a.indexOf('=');
                String flagName = eq < 0 ? a : a.substring(0, eq);
                String value = eq < 0 ? "" : a.substring(eq + 1);
                boolean hasValue = eq >= 0;
                Value flag = known.get(flagName.substring(2));
                if (flag == null) {
                    throw new LineError("unknown flag: " + flagName);
                }
                if (flag.used && flag.kind != Kind.STRINGS) {
                    throw new LineError("duplicate flag specified: " + flagName);
                }
                flag.used = true;
                switch (flag.kind) {
                    case BOOL -> {
                        if (hasValue && value.isEmpty()) {
                            throw new LineError("missing a value on flag: " + flagName);
                        }
                        switch (value.toLowerCase(Locale.ROOT)) {
                            case "true", "" -> flag.value = "true";
                            case "false" -> flag.value = "false";
                            default -> throw new LineError("expecting boolean value for flag " + flagName + ", not: " + value);
                        }
                    }
                    case STRING -> {
                        if (!hasValue) {
                            throw new LineError("missing a value on flag: " + flagName);
                        }
                        flag.value = value;
                    }
                    case STRINGS -> {
                        if (!hasValue) {
                            throw new LineError("missing a value on flag: " + flagName);
                        }
                        flag.values.add(value);
                    }
                }
            }
        }
    }

    // ---- JSON (exec form) ----

    /**
     * The strings of {@code text} if it is a JSON array of strings; null if it is not JSON (the shell form). Read with
     * the one JSON mapper, which is as strict as Go's encoding/json (no comments, no trailing data).
     *
     * @throws LineError a JSON array holding something other than strings
     */
    private static List<String> jsonArray(String text) throws LineError {
        String t = trimLeft(text);
        if (!t.startsWith("[")) {
            return null;
        }
        JsonNode array;
        try {
            array = ImageJson.MAPPER.readTree(t);
        } catch (JacksonException e) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : array) {
            if (!v.isString()) {
                throw new LineError("when using JSON array syntax, arrays must be comprised of strings only");
            }
            out.add(v.asString());
        }
        return out;
    }

    // ---- small string helpers with Go's notion of white space ----

    static String trimNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    static String trimLeft(String s) {
        int i = 0;
        while (i < s.length() && ShellLex.isSpace(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        return s.substring(i);
    }

    static String trimSpace(String s) {
        String left = trimLeft(s);
        int end = left.length();
        while (end > 0) {
            int cp = left.codePointBefore(end);
            if (!ShellLex.isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return left.substring(0, end);
    }

    private static boolean isComment(String line) {
        return trimLeft(line).startsWith("#");
    }

    private static List<String> whitespaceWords(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String w : WHITESPACE.split(rest, -1)) {
            out.add(w);
        }
        return out;
    }
}
