package dev.strata.engine.build;

import dev.strata.engine.build.Instruction.ArgSpec;
import dev.strata.engine.build.Instruction.Heredoc;
import dev.strata.engine.build.Instruction.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The variables of one stage while it is built: the environment (the base image's, then each ENV) and the ARGs the
 * stage has declared so far, seen through {@link BuildArgs}. The executor walks the stage's instructions in order:
 *
 * <pre>{@code
 * Instruction step = scope.expand(instruction);   // substitute with the values as they are now
 * ... run or record the step ...
 * scope.apply(step);                              // ENV and ARG change what later steps see
 * }</pre>
 *
 * Substitution follows Docker's list: ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and ARG
 * (FROM is substituted with the meta ARGs by {@link BuildPlan}); not RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK,
 * MAINTAINER, nor ONBUILD, whose trigger is substituted when it runs in a later build. A whole instruction is
 * substituted at once, so {@code ENV A=1 B=$A} gives B the value A had before the line.
 */
public final class StageScope {
    private final BuildArgs args;
    private final char escape;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, Optional<String>> declared = new LinkedHashMap<>();

    StageScope(BuildArgs args, char escape, List<String> baseEnv) {
        this.args = args;
        this.escape = escape;
        for (String e : baseEnv) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
    }

    /** What {@code $name} expands to now, empty when it is not set. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(get(name));
    }

    private String get(String name) {
        if (env.containsKey(name)) {
            return env.get(name);
        }
        if (declared.containsKey(name) || BuildArgs.PROXY_ARGS.contains(name)) {
            return args.value(name, declared.get(name));
        }
        return null;
    }

    /** The instruction with variables substituted where Docker substitutes them, quotes removed. */
    public Instruction expand(Instruction instruction) throws DockerfileException {
        ShellLex lex = new ShellLex(escape);
        Function<String, String> vars = this::get;
        try {
            return switch (instruction) {
                case Instruction.Env e -> new Instruction.Env(e.location(), pairs(lex, e.variables()));
                case Instruction.Label l -> new Instruction.Label(l.location(), pairs(lex, l.labels()));
                case Instruction.Arg a -> {
                    List<ArgSpec> specs = new ArrayList<>();
                    for (ArgSpec spec : a.args()) {
                        specs.add(BuildArgs.expandSpec(lex, a, spec, vars));
                    }
                    yield new Instruction.Arg(a.location(), specs);
                }
                case Instruction.Copy c -> new Instruction.Copy(c.location(), words(lex, c.sources()), inline(c.inline()),
                        lex.expand(c.destination(), vars), c.from(), optional(lex, c.chown()), optional(lex, c.chmod()),
                        c.link());
                case Instruction.Add a -> new Instruction.Add(a.location(), words(lex, a.sources()), inline(a.inline()),
                        lex.expand(a.destination(), vars), optional(lex, a.chown()), optional(lex, a.chmod()), a.link(),
                        optional(lex, a.checksum()), a.keepGitDir());
                case Instruction.Workdir w -> new Instruction.Workdir(w.location(), lex.expand(w.path(), vars));
                case Instruction.User u -> new Instruction.User(u.location(), lex.expand(u.user(), vars));
                case Instruction.StopSignal s -> new Instruction.StopSignal(s.location(), lex.expand(s.signal(), vars));
                case Instruction.Volume v -> new Instruction.Volume(v.location(), words(lex, v.paths()));
                case Instruction.Expose e -> {
                    // The one instruction where a variable may expand to several words: EXPOSE $PORTS.
                    List<String> ports = new ArrayList<>();
                    for (String p : e.ports()) {
                        ports.addAll(lex.split(p, vars));
                    }
                    yield new Instruction.Expose(e.location(), ports);
                }
                case Instruction.From f -> f;
                case Instruction.Run r -> r;
                case Instruction.Cmd c -> c;
                case Instruction.Entrypoint e -> e;
                case Instruction.Shell s -> s;
                case Instruction.Healthcheck h -> h;
                case Instruction.Onbuild o -> o;
                case Instruction.Maintainer m -> m;
            };
        } catch (ShellLex.SyntaxException e) {
            throw DockerfileException.at(instruction.location(), instruction.keyword(), e.getMessage());
        }
    }

    /**
     * Records what an instruction, already {@link #expand expanded}, does to the variables: ENV sets (an existing
     * name keeps its place), ARG declares. Other instructions change nothing.
     */
    public void apply(Instruction expanded) {
        switch (expanded) {
            case Instruction.Env e -> e.variables().forEach(kv -> env.put(kv.key(), kv.value()));
            case Instruction.Arg a -> a.args().forEach(spec -> {
                declared.put(spec.name(), spec.defaultValue());
                args.referenced(spec.name());
            });
            default -> {
            }
        }
    }

    /** The image config's {@code Env} as it is now: the base image's and the stage's ENVs, in order. */
    public List<String> env() {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * The environment a RUN gets: {@link #env()} plus every ARG in scope that has a value and no ENV of the
     * same name (the ARGs are not kept in the image).
     */
    public List<String> runEnv() {
        List<String> out = env();
        argValues().forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * The ARG values a RUN uses, as Docker puts them in front of its history line and cache key
     * ({@code |2 A=1 B=2 /bin/sh -c ...}): sorted, proxy variables only when the Dockerfile declared them.
     */
    public List<String> argsForHistory() {
        TreeSet<String> out = new TreeSet<>();
        argValues().forEach((k, v) -> {
            if (declared.containsKey(k) || !BuildArgs.PROXY_ARGS.contains(k)) {
                out.add(k + "=" + v);
            }
        });
        return List.copyOf(out);
    }

    private Map<String, String> argValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : declared.keySet()) {
            String v = args.value(name, declared.get(name));
            if (v != null && !env.containsKey(name)) {
                out.put(name, v);
            }
        }
        for (String name : new TreeSet<>(BuildArgs.PROXY_ARGS)) {
            if (!declared.containsKey(name) && !env.containsKey(name)) {
                String v = args.value(name, Optional.empty());
                if (v != null) {
                    out.put(name, v);
                }
            }
        }
        return out;
    }

    private List<KeyValue> pairs(ShellLex lex, List<KeyValue> in) throws ShellLex.SyntaxException {
        List<KeyValue> out = new ArrayList<>();
        for (KeyValue kv : in) {
            out.add(new KeyValue(lex.expand(kv.key(), this::get), lex.expand(kv.value(), this::get)));
        }
        return out;
    }

    private List<String> words(ShellLex lex, List<String> in) throws ShellLex.SyntaxException {
        List<String> out = new ArrayList<>();
        for (String w : in) {
            out.add(lex.expand(w, this::get));
        }
        return out;
    }

    private Optional<String> optional(ShellLex lex, Optional<String> word) throws ShellLex.SyntaxException {
        return word.isPresent() ? Optional.of(lex.expand(word.get(), this::get)) : Optional.empty();
    }

    /**
     * Here-document sources of COPY/ADD: tabs chomped, and the body substituted when the delimiter was not quoted.
     * As in BuildKit, quotes in the body are literal and the escape is always {@code \}.
     */
    private List<Heredoc> inline(List<Heredoc> in) throws ShellLex.SyntaxException {
        List<Heredoc> out = new ArrayList<>();
        for (Heredoc h : in) {
            String body = h.body();
            if (h.expand()) {
                ShellLex lex = new ShellLex('\\');
                lex.skipProcessQuotes = true;
                body = lex.expand(body, this::get);
            }
            out.add(new Heredoc(h.name(), body, false, h.expand(), h.fd()));
        }
        return out;
    }

    // ---- EXPOSE port specs (docker/go-connections nat.ParsePortSpecs) ----

    /** {@code 80}, {@code 80/udp}, {@code 8000-8002}, {@code [ip:]host:container[/proto]} to {@code port/proto} each. */
    static List<String> portSpecs(Instruction.Expose expose) throws DockerfileException {
        List<String> out = new ArrayList<>();
        for (String raw : expose.ports()) {
            String[] parts = raw.split(":", -1);
            String container = parts[parts.length - 1];
            String proto;
            String[] pp = container.split("/", -1);
            if (container.isEmpty() || pp[0].isEmpty()) {
                proto = "";
                container = "";
            } else if (pp.length == 1) {
                proto = "tcp";
            } else {
                proto = pp[1].isEmpty() ? "tcp" : pp[1];
                container = pp[0];
            }
            if (container.isEmpty()) {
                throw DockerfileException.at(expose.location(), "EXPOSE", "no port specified: " + raw + "<empty>");
            }
            int[] range = portRange(container);
            if (range == null) {
                throw DockerfileException.at(expose.location(), "EXPOSE", "invalid containerPort: " + container);
            }
            proto = proto.toLowerCase(java.util.Locale.ROOT);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw DockerfileException.at(expose.location(), "EXPOSE", "invalid proto: " + proto);
            }
            for (int p = range[0]; p <= range[1]; p++) {
                String spec = p + "/" + proto;
                if (!out.contains(spec)) {
                    out.add(spec);
                }
            }
        }
        return out;
    }

    private static int[] portRange(String ports) {
        int dash = ports.indexOf('-');
        try {
            int start = port(dash < 0 ? ports : ports.substring(0, dash));
            int end = dash < 0 ? start : port(ports.substring(dash + 1));
            return end < start ? null : new int[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int port(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw new NumberFormatException(s);
        }
        return p;
    }
}
