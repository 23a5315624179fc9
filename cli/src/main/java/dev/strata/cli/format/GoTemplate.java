package dev.strata.cli.format;

import dev.strata.image.ImageJson;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;

/**
 * The part of Go's {@code text/template} that {@code docker --format} users write, run over Jackson trees: what
 * {@code strata inspect -f '{{.State.Status}}'} and {@code strata ps --format 'table {{.ID}}\t{{.Names}}'} evaluate.
 *
 * <p>Supported: text; actions with pipelines ({@code {{.Config.Labels | json}}}), fields and field chains
 * ({@code .}, {@code .State.Pid}, {@code $v.Name}, {@code (index .Mounts 0).Source}), variables ({@code $},
 * {@code $x := ...}, {@code $x = ...}), string ({@code "a\tb"}, {@code `raw`}), number, character, boolean and
 * {@code nil} constants; {@code if}/{@code else if}/{@code else}, {@code with}/{@code else with}, {@code range} (over
 * arrays, objects in key order, and integers; with {@code $e :=} or {@code $k, $v :=}; {@code else};
 * {@code break}, {@code continue}); comments; trim markers (<code>{{- </code> and <code> -}}</code>). Functions: Go's {@code and or not
 * eq ne lt le gt ge len index print printf println} and docker's {@code json join split lower upper title truncate
 * pad}. Not supported: {@code define}, {@code template}, {@code block}, methods (docker's {@code .Label "x"}).
 *
 * <p>Docker runs templates over Go structs, Strata over JSON, so a few cases are decided here:
 * <ul>
 *   <li>a field the top-level object lacks is an error, {@code can't evaluate field X}, as a missing struct field is
 *       in docker (inspect objects and list rows are structs there); a key missing deeper (in a map such as
 *       {@code .Config.Labels}) prints {@code <no value>}, as Go prints a missing map key;</li>
 *   <li>JSON {@code null} prints as {@code []}: in docker's structs most nulls are nil slices ({@code Entrypoint},
 *       {@code ExecIDs}, {@code Binds}); it is false, has length 0 and ranges over nothing;</li>
 *   <li>{@code index} of a missing key gives the empty string, as on docker's {@code map[string]string} labels;</li>
 *   <li>numbers compare by value whatever their JSON form.</li>
 * </ul>
 * Values print as Go's {@code fmt} prints them: strings raw, integers without a fraction, floats the shortest way
 * ({@code 1.5}, {@code 1e+06}), arrays {@code [a b]}, objects {@code map[k1:v1 k2:v2]} with sorted keys.
 *
 * <p>Errors read like Go's and name the template and the line:column of the place (a 0-based column, as Go counts):
 * {@code template: inspect:1:9: function "foo" not defined},
 * {@code template: inspect:1:2: executing "inspect" at <.Foo>: can't evaluate field Foo}.
 */
public final class GoTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The functions a template may call; and/or are evaluated lazily, the others take evaluated arguments. */
    private static final Set<String> FUNCTIONS = Set.of("and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len",
            "index", "print", "printf", "println", "json", "join", "split", "lower", "upper", "title", "truncate", "pad");

    /** Docker's text functions that a table header leaves as they are, so that a header cell reads like its field's name. */
    private static final Set<String> HEADER_FUNCTIONS = Set.of("json", "split", "join", "title", "lower", "upper", "truncate");

    private final String name;
    private final String text;
    private final List<Node> nodes;

    private GoTemplate(String name, String text, List<Node> nodes) {
        this.name = name;
        this.text = text;
        this.nodes = nodes;
    }

    /** Parses {@code text}; {@code name} names it in error messages (docker's command, e.g. {@code inspect}). */
    public static GoTemplate parse(String name, String text) throws TemplateException {
        return new GoTemplate(name, text, new Parser(name, text).parseTemplate());
    }

    /** The template's source text. */
    public String text() {
        return text;
    }

    /** Runs the template with {@code data} as dot. */
    public String execute(JsonNode data) throws TemplateException {
        return run(data, false);
    }

    /**
     * Runs the template over a table's header names (field name to column title), as docker makes a header row:
     * its text functions ({@code json}, {@code upper}, ...) pass the title through.
     */
    public String executeHeader(JsonNode titles) throws TemplateException {
        return run(titles, true);
    }

    private String run(JsonNode data, boolean header) throws TemplateException {
        Exec exec = new Exec(data, header);
        try {
            exec.walk(data, nodes);
        } catch (ExecError e) {
            throw new TemplateException("template: " + name + ":" + position(text, e.pos) + ": executing \"" + name + "\" at <"
                    + e.source + ">: " + e.getMessage());
        } catch (Jump j) {
            throw new IllegalStateException("break or continue outside range", j); // the parser does not allow it
        }
        return exec.out.toString();
    }

    /** Go's {@code line:column} of an offset: 1-based line, 0-based column. */
    private static String position(String text, int pos) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (pos - lineStart);
    }

    // ---- syntax tree ---------------------------------------------------------------------------------------------

    private sealed interface Node permits Text, Action, Control, Break, Continue {
    }

    private record Text(String text) implements Node {
    }

    /** {@code {{pipeline}}}: prints the value unless the pipeline declares or assigns a variable. */
    private record Action(Pipe pipe) implements Node {
    }

    private enum ControlKind { IF, WITH, RANGE }

    private record Control(ControlKind kind, Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {
    }

    private record Break() implements Node {
    }

    private record Continue() implements Node {
    }

    /** {@code $a, $b := cmd | cmd}: {@code assign} for {@code =}. */
    private record Pipe(List<String> variables, boolean assign, List<Command> commands) {
    }

    private record Command(List<Arg> args) {
    }

    /** An operand, with where it starts and its source text for error messages. */
    private sealed interface Arg permits Field, Variable, Function, Constant, Nil, Sub {
        int pos();

        String source();
    }

    /** {@code .A.B}; no names for dot itself. */
    private record Field(int pos, String source, List<String> names) implements Arg {
    }

    private record Variable(int pos, String source, String name, List<String> names) implements Arg {
    }

    private record Function(int pos, String source, String name) implements Arg {
    }

    private record Constant(int pos, String source, JsonNode value) implements Arg {
    }

    private record Nil(int pos, String source) implements Arg {
    }

    /** {@code (pipeline).A.B}. */
    private record Sub(int pos, String source, Pipe pipe, List<String> names) implements Arg {
    }

    // ---- lexer ---------------------------------------------------------------------------------------------------

    private enum Kind { TEXT, LEFT, RIGHT, FIELD, DOT, VARIABLE, IDENT, STRING, RAW_STRING, CHAR, NUMBER, PIPE, LPAREN, RPAREN,
        DECLARE, ASSIGN, COMMA, EOF }

    /** {@code spaced}: white space came right before it, which separates a field from a chain after {@code )}. */
    private record Token(Kind kind, String text, int pos, boolean spaced) {
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isWordChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static final class Lexer {
        private final String name;
        private final String src;
        private final List<Token> tokens = new ArrayList<>();
        private int i;

        Lexer(String name, String src) {
            this.name = name;
            this.src = src;
        }

        List<Token> run() throws TemplateException {
            boolean trimLeading = false;
            while (true) {
                int open = src.indexOf("{{", i);
                String text = src.substring(i, open < 0 ? src.length() : open);
                if (trimLeading) {
                    text = text.stripLeading();
                }
                boolean trimTrailing = open >= 0 && src.startsWith("{{-", open) && open + 3 < src.length() && isSpace(src.charAt(open + 3));
                if (trimTrailing) {
                    text = text.stripTrailing();
                }
                if (!text.isEmpty()) {
                    tokens.add(new Token(Kind.TEXT, text, i, false));
                }
                if (open < 0) {
                    break;
                }
                i = open + (trimTrailing ? 4 : 2);
                if (trimTrailing) {
                    while (i < src.length() && isSpace(src.charAt(i))) {
                        i++;
                    }
                }
                if (src.startsWith("/*", i)) {
                    trimLeading = comment(open);
                } else {
                    tokens.add(new Token(Kind.LEFT, "{{", open, false));
                    trimLeading = action(open);
                }
            }
            tokens.add(new Token(Kind.EOF, "", src.length(), true));
            return tokens;
        }

        /** A comment action; returns whether it ends with a trim marker. */
        private boolean comment(int open) throws TemplateException {
            int close = src.indexOf("*/", i + 2);
            if (close < 0) {
                throw error(open, "unclosed comment");
            }
            i = close + 2;
            if (rightTrimAt(i)) {
                i += 4;
                return true;
            }
            if (!src.startsWith("}}", i)) {
                throw error(open, "comment ends before closing delimiter");
            }
            i += 2;
            return false;
        }

        private boolean rightTrimAt(int at) {
            return at < src.length() && isSpace(src.charAt(at)) && src.startsWith("-}}", at + 1);
        }

        /** The tokens of one action up to its {@code }}}; returns whether that has a trim marker. */
        private boolean action(int open) throws TemplateException {
            boolean spaced = true;
            while (true) {
                if (i >= src.length()) {
                    throw error(open, "unclosed action");
                }
                char c = src.charAt(i);
                int start = i;
                if (isSpace(c)) {
                    if (rightTrimAt(i)) {
                        tokens.add(new Token(Kind.RIGHT, "}}", i + 2, true));
                        i += 4;
                        return true;
                    }
                    i++;
                    spaced = true;
                    continue;
                }
                if (src.startsWith("}}", i)) {
                    tokens.add(new Token(Kind.RIGHT, "}}", i, spaced));
                    i += 2;
                    return false;
                }
                Kind kind = switch (c) { // the one-character tokens
                    case '|' -> Kind.PIPE;
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case ',' -> Kind.COMMA;
                    case '=' -> Kind.ASSIGN;
                    default -> null;
                };
                if (kind != null) {
                    i++;
                } else switch (c) {
                    case ':' -> {
                        if (!src.startsWith(":=", i)) {
                            throw error(i, "expected :=");
                        }
                        kind = Kind.DECLARE;
                        i += 2;
                    }
                    case '"' -> {
                        kind = Kind.STRING;
                        quoted('"', open);
                    }
                    case '\'' -> {
                        kind = Kind.CHAR;
                        quoted('\'', open);
                    }
                    case '`' -> {
                        int close = src.indexOf('`', i + 1);
                        if (close < 0) {
                            throw error(i, "unterminated raw quoted string");
                        }
                        kind = Kind.RAW_STRING;
                        i = close + 1;
                    }
                    case '$' -> {
                        kind = Kind.VARIABLE;
                        i++;
                        word();
                        chain();
                    }
                    case '.' -> {
                        if (i + 1 < src.length() && Character.isDigit(src.charAt(i + 1))) {
                            kind = Kind.NUMBER;
                            number();
                        } else if (i + 1 < src.length() && isWordChar(src.charAt(i + 1))) {
                            kind = Kind.FIELD;
                            chain();
                        } else {
                            kind = Kind.DOT;
                            i++;
                        }
                    }
                    default -> {
                        if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < src.length()
                                && (Character.isDigit(src.charAt(i + 1)) || src.charAt(i + 1) == '.'))) {
                            kind = Kind.NUMBER;
                            number();
                        } else if (isWordChar(c)) {
                            kind = Kind.IDENT;
                            word();
                        } else {
                            throw error(i, "unrecognized character in action: " + String.format("U+%04X '%s'", (int) c, c));
                        }
                    }
                }
                tokens.add(new Token(kind, src.substring(start, i), start, spaced));
                spaced = false;
            }
        }

        private void word() {
            while (i < src.length() && isWordChar(src.charAt(i))) {
                i++;
            }
        }

        /** {@code .A.B...} from here. */
        private void chain() {
            while (i + 1 < src.length() && src.charAt(i) == '.' && isWordChar(src.charAt(i + 1))) {
                i++;
                word();
            }
        }

        private void number() {
            i++;
            while (i < src.length()) {
                char c = src.charAt(i);
                char prev = src.charAt(i - 1);
                if (isWordChar(c) || c == '.' || ((c == '+' || c == '-') && "eEpP".indexOf(prev) >= 0)) {
                    i++;
                } else {
                    break;
                }
            }
        }

        private void quoted(char quote, int open) throws TemplateException {
            int start = i;
            i++;
            while (true) {
                if (i >= src.length() || src.charAt(i) == '\n') {
                    throw error(start, quote == '"' ? "unterminated quoted string" : "unterminated character constant");
                }
                char c = src.charAt(i++);
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    return;
                }
            }
        }

        private TemplateException error(int pos, String message) {
            return new TemplateException("template: " + name + ":" + position(src, pos) + ": " + message);
        }
    }

    // ---- parser --------------------------------------------------------------------------------------------------

    private static final class Parser {
        private final String name;
        private final String src;
        private final List<Token> tokens;
        private final List<String> variables = new ArrayList<>(List.of("$"));
        private int next;
        private int rangeDepth;
        private int parenDepth;

        Parser(String name, String src) throws TemplateException {
            this.name = name;
            this.src = src;
            this.tokens = new Lexer(name, src).run();
        }

        List<Node> parseTemplate() throws TemplateException {
            List<Node> nodes = new ArrayList<>();
            Token stop = parseList(nodes);
            if (stop.kind() != Kind.EOF) {
                throw error(stop, "unexpected {{" + stop.text() + "}}");
            }
            return nodes;
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            return tokens.get(next++);
        }

        /** Text and actions up to {@code {{end}}}, {@code {{else}}} or the end; returns that keyword (consumed) or EOF. */
        private Token parseList(List<Node> list) throws TemplateException {
            while (true) {
                Token t = take();
                switch (t.kind()) {
                    case EOF -> {
                        return t;
                    }
                    case TEXT -> list.add(new Text(t.text()));
                    case LEFT -> {
                        Token k = peek();
                        if (k.kind() == Kind.IDENT) {
                            switch (k.text()) {
                                case "end", "else" -> {
                                    take();
                                    return k;
                                }
                                case "if" -> {
                                    take();
                                    list.add(parseControl(ControlKind.IF, k));
                                    continue;
                                }
                                case "with" -> {
                                    take();
                                    list.add(parseControl(ControlKind.WITH, k));
                                    continue;
                                }
                                case "range" -> {
                                    take();
                                    list.add(parseControl(ControlKind.RANGE, k));
                                    continue;
                                }
                                case "break", "continue" -> {
                                    take();
                                    if (rangeDepth == 0) {
                                        throw error(k, "{{" + k.text() + "}} outside {{range}}");
                                    }
                                    expect(Kind.RIGHT, k.text());
                                    list.add(k.text().equals("break") ? new Break() : new Continue());
                                    continue;
                                }
                                case "define", "template", "block" -> throw error(k, "{{" + k.text() + "}} is not supported");
                                default -> {
                                    // a function call
                                }
                            }
                        }
                        list.add(new Action(parsePipeline("command", Kind.RIGHT)));
                    }
                    default -> throw error(t, "unexpected " + describe(t));
                }
            }
        }

        /** After {@code {{if}}}, {@code {{with}}} or {@code {{range}}}: its pipeline, body, else branch and {@code {{end}}}. */
        private Control parseControl(ControlKind kind, Token at) throws TemplateException {
            int mark = variables.size();
            String context = at.text();
            Pipe pipe = parsePipeline(context, Kind.RIGHT);
            if (kind == ControlKind.RANGE) {
                rangeDepth++;
            }
            List<Node> body = new ArrayList<>();
            Token stop = parseList(body);
            if (kind == ControlKind.RANGE) {
                rangeDepth--;
            }
            List<Node> otherwise = List.of();
            if (stop.kind() == Kind.EOF) {
                throw error(at, "unexpected EOF: {{" + context + "}} has no {{end}}");
            }
            if (stop.text().equals("else")) {
                Token n = peek();
                if (n.kind() == Kind.IDENT && (n.text().equals("if") || n.text().equals("with"))) {
                    // {{else if x}} ... {{end}}: an if in the else branch that shares this {{end}}
                    take();
                    otherwise = List.of(parseControl(n.text().equals("if") ? ControlKind.IF : ControlKind.WITH, n));
                    truncate(mark);
                    return new Control(kind, pipe, body, otherwise);
                }
                expect(Kind.RIGHT, "else");
                List<Node> elseBody = new ArrayList<>();
                Token end = parseList(elseBody);
                if (end.kind() == Kind.EOF) {
                    throw error(at, "unexpected EOF: {{" + context + "}} has no {{end}}");
                }
                if (!end.text().equals("end")) {
                    throw error(end, "expected end; found {{" + end.text() + "}}");
                }
                otherwise = elseBody;
            }
            expect(Kind.RIGHT, "end");
            truncate(mark);
            return new Control(kind, pipe, body, otherwise);
        }

        private void truncate(int mark) {
            while (variables.size() > mark) {
                variables.removeLast();
            }
        }

        private void expect(Kind kind, String context) throws TemplateException {
            Token t = take();
            if (t.kind() != kind) {
                throw error(t, "unexpected " + describe(t) + " in " + context);
            }
        }

        private Pipe parsePipeline(String context, Kind end) throws TemplateException {
            Token first = peek();
            List<String> declared = new ArrayList<>();
            boolean assign = false;
            if (first.kind() == Kind.VARIABLE && first.text().indexOf('.') < 0) {
                Token op = tokens.get(next + 1);
                if (op.kind() == Kind.DECLARE || op.kind() == Kind.ASSIGN) {
                    next += 2;
                    declared.add(first.text());
                    assign = op.kind() == Kind.ASSIGN;
                } else if (op.kind() == Kind.COMMA && context.equals("range")) {
                    next += 2;
                    Token second = take();
                    Token op2 = take();
                    if (second.kind() != Kind.VARIABLE || second.text().indexOf('.') >= 0
                            || (op2.kind() != Kind.DECLARE && op2.kind() != Kind.ASSIGN)) {
                        throw error(second, "range can only initialize variables");
                    }
                    declared.add(first.text());
                    declared.add(second.text());
                    assign = op2.kind() == Kind.ASSIGN;
                }
            }
            List<Command> commands = new ArrayList<>();
            while (true) {
                Token t = peek();
                if (t.kind() == end) {
                    take();
                    break;
                }
                if (t.kind() == Kind.PIPE) {
                    if (commands.isEmpty()) {
                        throw error(t, "missing command before |");
                    }
                    take();
                }
                commands.add(parseCommand(end));
            }
            if (commands.isEmpty()) {
                throw error(first, "missing value for " + context);
            }
            for (int c = 1; c < commands.size(); c++) {
                Arg a = commands.get(c).args().getFirst();
                if (a instanceof Constant || a instanceof Nil || (a instanceof Field f && f.names().isEmpty())) {
                    throw error(a.pos(), "non executable command in pipeline stage " + (c + 1));
                }
            }
            for (String v : declared) {
                if (assign) {
                    if (!variables.contains(v)) {
                        throw error(first, "undefined variable \"" + v + "\"");
                    }
                } else {
                    variables.add(v);
                }
            }
            return new Pipe(List.copyOf(declared), assign, List.copyOf(commands));
        }

        private Command parseCommand(Kind end) throws TemplateException {
            List<Arg> args = new ArrayList<>();
            while (true) {
                Token t = peek();
                if (t.kind() == Kind.PIPE || t.kind() == end) {
                    break;
                }
                if (t.kind() == Kind.RIGHT) {
                    throw error(t, "unclosed left paren");
                }
                if (t.kind() == Kind.RPAREN) {
                    throw error(t, "unexpected right paren");
                }
                if (!args.isEmpty() && !t.spaced()) {
                    throw error(t, "missing space before " + describe(t));
                }
                args.add(parseOperand());
            }
            if (args.isEmpty()) {
                throw error(peek(), "missing value for command");
            }
            return new Command(List.copyOf(args));
        }

        private Arg parseOperand() throws TemplateException {
            Token t = take();
            int pos = t.pos();
            return switch (t.kind()) {
                case FIELD -> new Field(pos, t.text(), names(t.text().substring(1)));
                case DOT -> new Field(pos, ".", List.of());
                case VARIABLE -> {
                    int dot = t.text().indexOf('.');
                    String var = dot < 0 ? t.text() : t.text().substring(0, dot);
                    if (!variables.contains(var)) {
                        throw error(t, "undefined variable \"" + var + "\"");
                    }
                    yield new Variable(pos, t.text(), var, dot < 0 ? List.of() : names(t.text().substring(dot + 1)));
                }
                case IDENT -> switch (t.text()) {
                    case "true", "false" -> new Constant(pos, t.text(), NODES.booleanNode(t.text().equals("true")));
                    case "nil" -> new Nil(pos, t.text());
                    case "if", "else", "end", "range", "with", "break", "continue", "define", "template", "block" ->
                            throw error(t, "unexpected <" + t.text() + "> in operand");
                    default -> {
                        if (!FUNCTIONS.contains(t.text())) {
                            throw error(t, "function \"" + t.text() + "\" not defined");
                        }
                        yield new Function(pos, t.text(), t.text());
                    }
                };
                case STRING -> new Constant(pos, t.text(), NODES.stringNode(unquote(t, t.text())));
                case RAW_STRING -> new Constant(pos, t.text(), NODES.stringNode(t.text().substring(1, t.text().length() - 1)));
                case CHAR -> {
                    String s = unquote(t, t.text());
                    if (s.codePointCount(0, s.length()) != 1) {
                        throw error(t, "malformed character constant: " + t.text());
                    }
                    yield new Constant(pos, t.text(), NODES.numberNode(s.codePointAt(0)));
                }
                case NUMBER -> new Constant(pos, t.text(), number(t));
                case LPAREN -> {
                    parenDepth++;
                    Pipe inner = parsePipeline("parenthesized pipeline", Kind.RPAREN);
                    parenDepth--;
                    List<String> chain = new ArrayList<>();
                    int end = tokens.get(next - 1).pos() + 1;
                    while (peek().kind() == Kind.FIELD && !peek().spaced()) {
                        Token f = take();
                        chain.addAll(names(f.text().substring(1)));
                        end = f.pos() + f.text().length();
                    }
                    yield new Sub(pos, src.substring(pos, end), inner, List.copyOf(chain));
                }
                default -> throw error(t, "unexpected " + describe(t) + " in operand");
            };
        }

        private static List<String> names(String chain) {
            return List.of(chain.split("\\.", -1));
        }

        private JsonNode number(Token t) throws TemplateException {
            String s = t.text().replace("_", "");
            boolean negative = s.startsWith("-");
            String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
            try {
                BigInteger value;
                String lower = digits.toLowerCase();
                if (lower.startsWith("0x")) {
                    value = new BigInteger(digits.substring(2), 16);
                } else if (lower.startsWith("0b")) {
                    value = new BigInteger(digits.substring(2), 2);
                } else if (lower.startsWith("0o")) {
                    value = new BigInteger(digits.substring(2), 8);
                } else if (digits.matches("0[0-7]+")) {
                    value = new BigInteger(digits, 8);
                } else if (digits.matches("[0-9]+")) {
                    value = new BigInteger(digits);
                } else {
                    // a float: "1.5", "1e3", ".5" (digits with a point or an exponent)
                    if (!digits.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                        throw new NumberFormatException();
                    }
                    return NODES.numberNode(Double.parseDouble(s));
                }
                value = negative ? value.negate() : value;
                return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
            } catch (NumberFormatException e) {
                throw error(t, "bad number syntax: \"" + t.text() + "\"");
            }
        }

        /** A Go interpreted string or character constant's value. */
        private String unquote(Token t, String quoted) throws TemplateException {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < quoted.length() - 1; i++) {
                char c = quoted.charAt(i);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = quoted.charAt(++i);
                switch (e) {
                    case 'a' -> b.append('\u0007');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'v' -> b.append('\u000b');
                    case '\\', '"', '\'' -> b.append(e);
                    case 'x', 'u', 'U' -> {
                        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        b.appendCodePoint(hex(t, quoted, i + 1, n));
                        i += n;
                    }
                    default -> {
                        if (e >= '0' && e <= '7' && i + 2 < quoted.length() - 1) {
                            try {
                                b.append((char) Integer.parseInt(quoted.substring(i, i + 3), 8));
                            } catch (NumberFormatException x) {
                                throw error(t, "invalid syntax: " + quoted);
                            }
                            i += 2;
                        } else {
                            throw error(t, "invalid syntax: unknown escape \\" + e + " in " + quoted);
                        }
                    }
                }
            }
            return b.toString();
        }

        private int hex(Token t, String quoted, int from, int n) throws TemplateException {
            try {
                if (from + n > quoted.length() - 1) {
                    throw new NumberFormatException();
                }
                int cp = Integer.parseInt(quoted.substring(from, from + n), 16);
                if (!Character.isValidCodePoint(cp)) {
                    throw new NumberFormatException();
                }
                return cp;
            } catch (NumberFormatException e) {
                throw error(t, "invalid syntax: " + quoted);
            }
        }

        private static String describe(Token t) {
            return switch (t.kind()) {
                case EOF -> "EOF";
                case RIGHT -> "\"}}\"";
                case LEFT -> "\"{{\"";
                case TEXT -> "text";
                default -> "\"" + t.text() + "\"";
            };
        }

        private TemplateException error(Token t, String message) {
            return error(t.pos(), message);
        }

        private TemplateException error(int pos, String message) {
            return new TemplateException("template: " + name + ":" + position(src, pos) + ": " + message);
        }
    }

    // ---- execution -----------------------------------------------------------------------------------------------

    /** A failure while running, at an operand; turned into a {@link TemplateException} with the place. */
    private static final class ExecError extends Exception {
        final int pos;
        final String source;

        ExecError(Arg at, String message) {
            super(message, null, false, false);
            this.pos = at.pos();
            this.source = at.source();
        }
    }

    /** {@code {{break}}} and {@code {{continue}}} unwinding to their range. */
    private static final class Jump extends RuntimeException {
        static final Jump BREAK = new Jump();
        static final Jump CONTINUE = new Jump();

        private Jump() {
            super(null, null, false, false);
        }
    }

    /** A function's complaint about its arguments, reported as Go's {@code error calling f: ...}. */
    private static final class CallError extends Exception {
        CallError(String message) {
            super(message, null, false, false);
        }
    }

    private record Binding(String name, JsonNode value) {
    }

    private static final class Exec {
        final StringBuilder out = new StringBuilder();
        final JsonNode root;
        final boolean header;
        final List<Binding> variables = new ArrayList<>();

        Exec(JsonNode root, boolean header) {
            this.root = root;
            this.header = header;
            variables.add(new Binding("$", root));
        }

        void walk(JsonNode dot, List<Node> nodes) throws ExecError {
            // instanceof rather than a pattern switch: its bootstrap spins classes at run time, ~10 ms of every ps
            for (Node n : nodes) {
                if (n instanceof Text t) {
                    out.append(t.text());
                } else if (n instanceof Action a) {
                    JsonNode v = pipe(dot, a.pipe());
                    if (a.pipe().variables().isEmpty()) {
                        out.append(v.isMissingNode() ? "<no value>" : Values.print(v));
                    }
                } else if (n instanceof Control c) {
                    control(dot, c);
                } else if (n instanceof Break) {
                    throw Jump.BREAK;
                } else if (n instanceof Continue) {
                    throw Jump.CONTINUE;
                }
            }
        }

        private void control(JsonNode dot, Control c) throws ExecError {
            int mark = variables.size();
            try {
                JsonNode v = pipe(dot, c.pipe());
                switch (c.kind()) {
                    case IF -> walk(dot, Values.truth(v) ? c.body() : c.otherwise());
                    case WITH -> {
                        if (Values.truth(v)) {
                            walk(v, c.body());
                        } else {
                            walk(dot, c.otherwise());
                        }
                    }
                    case RANGE -> range(dot, c, v, mark);
                }
            } finally {
                pop(mark);
            }
        }

        private void range(JsonNode dot, Control c, JsonNode v, int mark) throws ExecError {
            List<Map.Entry<JsonNode, JsonNode>> items = new ArrayList<>();
            if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    items.add(Map.entry(NODES.numberNode(i), v.get(i)));
                }
            } else if (v.isObject()) {
                Values.sorted(v).forEach((k, e) -> items.add(Map.entry(NODES.stringNode(k), e)));
            } else if (v.isIntegralNumber()) {
                for (long i = 0; i < v.longValue(); i++) {
                    items.add(Map.entry(NODES.numberNode(i), NODES.numberNode(i)));
                }
            } else if (!v.isNull() && !v.isMissingNode()) {
                throw new ExecError(c.pipe().commands().getFirst().args().getFirst(), "range can't iterate over " + Values.print(v));
            }
            if (items.isEmpty()) {
                walk(dot, c.otherwise());
                return;
            }
            List<String> names = c.pipe().variables();
            for (Map.Entry<JsonNode, JsonNode> item : items) {
                // like Go: one variable takes the element, two take key (or index) and element
                if (names.size() == 1) {
                    set(names.getFirst(), item.getValue());
                } else if (names.size() == 2) {
                    set(names.get(0), item.getKey());
                    set(names.get(1), item.getValue());
                }
                int iteration = variables.size();
                try {
                    walk(item.getValue(), c.body());
                } catch (Jump j) {
                    if (j == Jump.BREAK) {
                        break;
                    }
                } finally {
                    pop(iteration);
                }
            }
        }

        private void pop(int mark) {
            while (variables.size() > mark) {
                variables.removeLast();
            }
        }

        /** The innermost variable of that name takes the value. */
        private void set(String name, JsonNode value) {
            for (int i = variables.size() - 1; i >= 0; i--) {
                if (variables.get(i).name().equals(name)) {
                    variables.set(i, new Binding(name, value));
                    return;
                }
            }
            throw new IllegalStateException("undefined variable " + name); // the parser checked
        }

        private JsonNode lookup(String name) {
            for (int i = variables.size() - 1; i >= 0; i--) {
                if (variables.get(i).name().equals(name)) {
                    return variables.get(i).value();
                }
            }
            throw new IllegalStateException("undefined variable " + name); // the parser checked
        }

        private JsonNode pipe(JsonNode dot, Pipe pipe) throws ExecError {
            JsonNode value = null;
            for (Command c : pipe.commands()) {
                value = command(dot, c, value);
            }
            for (String v : pipe.variables()) {
                if (pipe.assign()) {
                    set(v, value);
                } else {
                    variables.add(new Binding(v, value));
                }
            }
            return value;
        }

        /** One command; {@code piped} is the previous command's value (null for the first), its last argument. */
        private JsonNode command(JsonNode dot, Command c, JsonNode piped) throws ExecError {
            Arg first = c.args().getFirst();
            if (first instanceof Function f) {
                return call(dot, f, c.args().subList(1, c.args().size()), piped);
            }
            if (c.args().size() > 1 || piped != null) {
                throw new ExecError(first, "can't give argument to non-function " + first.source());
            }
            if (first instanceof Nil) {
                throw new ExecError(first, "nil is not a command");
            }
            return arg(dot, first);
        }

        private JsonNode arg(JsonNode dot, Arg a) throws ExecError {
            if (a instanceof Field f) {
                return fields(dot, f.names(), f);
            } else if (a instanceof Variable v) {
                return fields(lookup(v.name()), v.names(), v);
            } else if (a instanceof Constant k) {
                return k.value();
            } else if (a instanceof Function f) {
                return call(dot, f, List.of(), null);
            } else if (a instanceof Sub s) {
                return fields(pipe(dot, s.pipe()), s.names(), s);
            }
            return MissingNode.getInstance(); // Nil: Go's untyped nil
        }

        private JsonNode fields(JsonNode receiver, List<String> names, Arg at) throws ExecError {
            JsonNode v = receiver;
            for (String name : names) {
                if (v.isObject()) {
                    JsonNode field = v.get(name);
                    if (field == null) {
                        if (v == root) {
                            throw new ExecError(at, "can't evaluate field " + name);
                        }
                        field = MissingNode.getInstance();
                    }
                    v = field;
                } else if (v.isNull() || v.isMissingNode()) {
                    throw new ExecError(at, "nil pointer evaluating " + Values.goType(v) + "." + name);
                } else {
                    throw new ExecError(at, "can't evaluate field " + name + " in type " + Values.goType(v));
                }
            }
            return v;
        }

        private JsonNode call(JsonNode dot, Function f, List<Arg> args, JsonNode piped) throws ExecError {
            int count = args.size() + (piped == null ? 0 : 1);
            if (f.name().equals("and") || f.name().equals("or")) {
                if (count == 0) {
                    throw new ExecError(f, "wrong number of args for " + f.name() + ": want at least 1 got 0");
                }
                // evaluated one by one, and only as far as needed, as Go does since 1.18
                boolean and = f.name().equals("and");
                JsonNode v = null;
                for (int i = 0; i < count; i++) {
                    v = i < args.size() ? arg(dot, args.get(i)) : piped;
                    if (Values.truth(v) != and) {
                        return v;
                    }
                }
                return v;
            }
            List<JsonNode> values = new ArrayList<>(count);
            for (Arg a : args) {
                values.add(arg(dot, a));
            }
            if (piped != null) {
                values.add(piped);
            }
            try {
                if (header && HEADER_FUNCTIONS.contains(f.name())) {
                    arity(f.name(), values, 1, f.name().equals("split") || f.name().equals("join") || f.name().equals("truncate") ? 2 : 1);
                    return values.getFirst();
                }
                return Functions.call(f.name(), values);
            } catch (CallError e) {
                throw new ExecError(f, e.getMessage());
            }
        }
    }

    static void arity(String name, List<JsonNode> args, int min, int max) throws CallError {
        if (args.size() < min || (max >= 0 && args.size() > max)) {
            String want = max < 0 ? "at least " + min : min == max ? Integer.toString(min) : min + " to " + max;
            throw new CallError("wrong number of args for " + name + ": want " + want + " got " + args.size());
        }
    }

    // ---- functions -----------------------------------------------------------------------------------------------

    private static final class Functions {
        static JsonNode call(String name, List<JsonNode> a) throws CallError {
            switch (name) {
                case "not" -> {
                    arity(name, a, 1, 1);
                    return NODES.booleanNode(!Values.truth(a.getFirst()));
                }
                case "eq" -> {
                    arity(name, a, 2, -1);
                    for (JsonNode other : a.subList(1, a.size())) {
                        if (Values.compare(name, a.getFirst(), other) == 0) {
                            return NODES.booleanNode(true);
                        }
                    }
                    return NODES.booleanNode(false);
                }
                case "ne" -> {
                    arity(name, a, 2, 2);
                    return NODES.booleanNode(Values.compare(name, a.get(0), a.get(1)) != 0);
                }
                case "lt", "le", "gt", "ge" -> {
                    arity(name, a, 2, 2);
                    int c = Values.compare(name, a.get(0), a.get(1));
                    return NODES.booleanNode(switch (name) {
                        case "lt" -> c < 0;
                        case "le" -> c <= 0;
                        case "gt" -> c > 0;
                        default -> c >= 0;
                    });
                }
                case "len" -> {
                    arity(name, a, 1, 1);
                    JsonNode v = a.getFirst();
                    if (v.isString()) {
                        return NODES.numberNode(v.stringValue().getBytes(StandardCharsets.UTF_8).length);
                    }
                    if (v.isContainer() || v.isNull() || v.isMissingNode()) {
                        return NODES.numberNode(v.size());
                    }
                    throw new CallError("error calling len: len of type " + Values.goType(v));
                }
                case "index" -> {
                    arity(name, a, 1, -1);
                    return index(a.getFirst(), a.subList(1, a.size()));
                }
                case "print" -> {
                    return NODES.stringNode(Values.sprint(a, false));
                }
                case "println" -> {
                    return NODES.stringNode(Values.sprint(a, true));
                }
                case "printf" -> {
                    arity(name, a, 1, -1);
                    return NODES.stringNode(GoPrintf.sprintf(string(a.getFirst()), a.subList(1, a.size())));
                }
                case "json" -> {
                    arity(name, a, 1, 1);
                    JsonNode v = a.getFirst();
                    // Go's json.Encoder with SetEscapeHTML(false), its newline trimmed: docker's json function
                    return NODES.stringNode(v.isMissingNode() ? "null" : ImageJson.MAPPER.writeValueAsString(v));
                }
                case "join" -> {
                    arity(name, a, 2, 2);
                    JsonNode list = a.get(0);
                    if (list.isNull() || list.isMissingNode()) {
                        return NODES.stringNode("");
                    }
                    if (!list.isArray()) {
                        throw new CallError("wrong type for value; expected []string; got " + Values.goType(list));
                    }
                    List<String> parts = new ArrayList<>();
                    for (JsonNode e : list) {
                        parts.add(Values.print(e));
                    }
                    return NODES.stringNode(String.join(string(a.get(1)), parts));
                }
                case "split" -> {
                    arity(name, a, 2, 2);
                    String s = string(a.get(0));
                    String sep = string(a.get(1));
                    ArrayNode parts = NODES.arrayNode();
                    if (sep.isEmpty()) {
                        s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
                    } else {
                        for (String p : s.split(java.util.regex.Pattern.quote(sep), -1)) {
                            parts.add(p);
                        }
                    }
                    return parts;
                }
                case "lower" -> {
                    arity(name, a, 1, 1);
                    return NODES.stringNode(string(a.getFirst()).toLowerCase(java.util.Locale.ROOT));
                }
                case "upper" -> {
                    arity(name, a, 1, 1);
                    return NODES.stringNode(string(a.getFirst()).toUpperCase(java.util.Locale.ROOT));
                }
                case "title" -> {
                    arity(name, a, 1, 1);
                    return NODES.stringNode(title(string(a.getFirst())));
                }
                case "truncate" -> {
                    arity(name, a, 2, 2);
                    String s = string(a.get(0));
                    int n = (int) integer(a.get(1));
                    return NODES.stringNode(s.length() < n ? s : s.substring(0, Math.max(n, 0)));
                }
                case "pad" -> {
                    arity(name, a, 3, 3);
                    return NODES.stringNode(" ".repeat((int) Math.max(integer(a.get(1)), 0)) + string(a.get(0))
                            + " ".repeat((int) Math.max(integer(a.get(2)), 0)));
                }
                default -> throw new CallError("function \"" + name + "\" not defined");
            }
        }

        private static JsonNode index(JsonNode item, List<JsonNode> keys) throws CallError {
            JsonNode v = item;
            for (JsonNode k : keys) {
                if (v.isNull() || v.isMissingNode()) {
                    throw new CallError("error calling index: index of untyped nil");
                }
                if (v.isArray()) {
                    long i = integer(k);
                    if (i < 0 || i >= v.size()) {
                        throw new CallError("error calling index: index out of range: " + i);
                    }
                    v = v.get((int) i);
                } else if (v.isObject()) {
                    if (!k.isString()) {
                        throw new CallError("error calling index: value has type " + Values.goType(k) + "; should be string");
                    }
                    // a missing key gives the element type's zero value; docker's labels are strings
                    JsonNode e = v.get(k.stringValue());
                    v = e == null ? NODES.stringNode("") : e;
                } else if (v.isString()) {
                    byte[] bytes = v.stringValue().getBytes(StandardCharsets.UTF_8);
                    long i = integer(k);
                    if (i < 0 || i >= bytes.length) {
                        throw new CallError("error calling index: index out of range: " + i);
                    }
                    v = NODES.numberNode(bytes[(int) i] & 0xff);
                } else {
                    throw new CallError("error calling index: can't index item of type " + Values.goType(v));
                }
            }
            return v;
        }

        /** Docker's title: cases.Title with NoLower, the first letter of each word in upper case. */
        private static String title(String s) {
            StringBuilder b = new StringBuilder(s.length());
            boolean inWord = false;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                b.appendCodePoint(inWord ? cp : Character.toTitleCase(cp));
                inWord = Character.isLetterOrDigit(cp) || cp == '\'' || cp == '_';
                i += Character.charCount(cp);
            }
            return b.toString();
        }

        static String string(JsonNode v) throws CallError {
            if (!v.isString()) {
                throw new CallError("wrong type for value; expected string; got " + Values.goType(v));
            }
            return v.stringValue();
        }

        static long integer(JsonNode v) throws CallError {
            if (!v.isIntegralNumber()) {
                throw new CallError("wrong type for value; expected int; got " + Values.goType(v));
            }
            return v.longValue();
        }
    }

    /** Go's ways of printing and comparing the values a template sees. */
    static final class Values {
        private Values() {
        }

        /** Go's {@code %v}: see the class comment for null. A missing value is Go's nil, {@code <nil>}. */
        static String print(JsonNode v) {
            if (v.isMissingNode()) {
                return "<nil>";
            }
            if (v.isNull()) {
                return "[]";
            }
            if (v.isString()) {
                return v.stringValue();
            }
            if (v.isBoolean()) {
                return Boolean.toString(v.booleanValue());
            }
            if (v.isNumber()) {
                return number(v);
            }
            StringBuilder b = new StringBuilder();
            if (v.isArray()) {
                b.append('[');
                for (int i = 0; i < v.size(); i++) {
                    b.append(i == 0 ? "" : " ").append(print(v.get(i)));
                }
                return b.append(']').toString();
            }
            b.append("map[");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted(v).entrySet()) {
                b.append(first ? "" : " ").append(e.getKey()).append(':').append(print(e.getValue()));
                first = false;
            }
            return b.append(']').toString();
        }

        static Map<String, JsonNode> sorted(JsonNode object) {
            Map<String, JsonNode> m = new TreeMap<>();
            object.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        }

        static String number(JsonNode v) {
            return v.isIntegralNumber() ? v.bigIntegerValue().toString() : GoFloat.formatShortest(v.doubleValue());
        }

        /** Go's {@code fmt.Sprint} (spaces between operands when neither is a string) or {@code Sprintln} (always, and a newline). */
        static String sprint(List<JsonNode> args, boolean line) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < args.size(); i++) {
                if (i > 0 && (line || (!args.get(i - 1).isString() && !args.get(i).isString()))) {
                    b.append(' ');
                }
                b.append(print(args.get(i)));
            }
            return line ? b.append('\n').toString() : b.toString();
        }

        /** Go's {@code truth}: false, 0, "", empty and nil are false. */
        static boolean truth(JsonNode v) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isNumber()) {
                return v.decimalValue().signum() != 0;
            }
            if (v.isString()) {
                return !v.stringValue().isEmpty();
            }
            return v.isContainer() && !v.isEmpty();
        }

        /**
         * Compares like Go's eq (equality only) or lt: numbers by value, strings, booleans (equality only); nil equals
         * only nil. Anything else is Go's error.
         */
        static int compare(String function, JsonNode a, JsonNode b) throws CallError {
            boolean equality = function.equals("eq") || function.equals("ne");
            boolean aNil = a.isNull() || a.isMissingNode();
            boolean bNil = b.isNull() || b.isMissingNode();
            if (equality && (aNil || bNil)) {
                return aNil && bNil ? 0 : 1;
            }
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue());
            }
            if (a.isString() && b.isString()) {
                return a.stringValue().compareTo(b.stringValue());
            }
            if (equality && a.isBoolean() && b.isBoolean()) {
                return a.booleanValue() == b.booleanValue() ? 0 : 1;
            }
            if (a.isContainer() || b.isContainer() || aNil || bNil || (!equality && a.isBoolean())) {
                throw new CallError("error calling " + function + ": " + (equality ? "non-comparable type" : "invalid type for comparison"));
            }
            throw new CallError("error calling " + function + ": incompatible types for comparison");
        }

        /** The Go type a value would have had, for messages and {@code %T}. */
        static String goType(JsonNode v) {
            if (v.isString()) {
                return "string";
            }
            if (v.isBoolean()) {
                return "bool";
            }
            if (v.isIntegralNumber()) {
                return "int";
            }
            if (v.isNumber()) {
                return "float64";
            }
            if (v.isArray()) {
                return "[]interface {}";
            }
            if (v.isObject()) {
                return "map[string]interface {}";
            }
            return "interface {}";
        }
    }
}
