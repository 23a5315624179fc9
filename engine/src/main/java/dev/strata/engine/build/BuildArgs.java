package dev.strata.engine.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ARG values of one build, with Docker's scoping (moby's {@code builder/dockerfile/buildargs.go}):
 * <ul>
 * <li>{@code --build-arg} values override every default, but only reach instructions through an ARG that declares
 *     them (or as a predefined proxy variable, see {@link #PROXY_ARGS});</li>
 * <li>ARGs before the first FROM (meta ARGs) are visible in FROM lines only; a stage sees one when it declares
 *     it again ({@code ARG NAME} without a default then takes the meta ARG's value);</li>
 * <li>an ARG with no default that the user did not set is not set at all: {@code $NAME} expands to nothing and
 *     {@code ${NAME:-x}} to {@code x};</li>
 * <li>an ENV of the same name wins over an ARG.</li>
 * </ul>
 * Make one per build with {@link #of}, evaluate the meta ARGs with {@link #withMetaArgs}, then open a
 * {@link StageScope} per stage. Not thread-safe: a build dispatches its steps one at a time.
 */
public final class BuildArgs {
    /**
     * Proxy variables that need no ARG: when given with {@code --build-arg} they are in every RUN's environment
     * and usable in substitutions, and they are left out of history unless the Dockerfile declares them.
     */
    public static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Map<String, String> options;
    private final Map<String, Optional<String>> meta = new LinkedHashMap<>();
    private final Set<String> referenced = new LinkedHashSet<>();
    private char escape = DockerfileParser.DEFAULT_ESCAPE;

    private BuildArgs(Map<String, String> options) {
        this.options = Map.copyOf(options);
    }

    /**
     * @param buildArgs the {@code --build-arg NAME=value} pairs (the CLI fills in values given as bare names
     *                  from its environment and drops names that are not set there)
     */
    public static BuildArgs of(Map<String, String> buildArgs) {
        return new BuildArgs(buildArgs);
    }

    /**
     * Evaluates the Dockerfile's meta ARGs in order: each default is substituted with the meta ARGs before it
     * (and the proxy variables), and a {@code --build-arg} replaces it.
     */
    public BuildArgs withMetaArgs(Dockerfile dockerfile) throws DockerfileException {
        escape = dockerfile.escape();
        ShellLex lex = new ShellLex(escape);
        for (Instruction.Arg arg : dockerfile.metaArgs()) {
            List<Instruction.ArgSpec> expanded = new ArrayList<>();
            for (Instruction.ArgSpec spec : arg.args()) {
                expanded.add(expandSpec(lex, arg, spec, this::metaValue));
            }
            for (Instruction.ArgSpec spec : expanded) {
                meta.put(spec.name(), spec.defaultValue());
                referenced.add(spec.name());
            }
        }
        return this;
    }

    static Instruction.ArgSpec expandSpec(ShellLex lex, Instruction.Arg arg, Instruction.ArgSpec spec,
            java.util.function.Function<String, String> env) throws DockerfileException {
        try {
            String name = lex.expand(spec.name(), env);
            Optional<String> value = spec.defaultValue().isPresent()
                    ? Optional.of(lex.expand(spec.defaultValue().get(), env)) : Optional.empty();
            return new Instruction.ArgSpec(name, value);
        } catch (ShellLex.SyntaxException e) {
            throw DockerfileException.at(arg.location(), "ARG", e.getMessage());
        }
    }

    /** The value FROM lines see for {@code name}: a meta ARG (or proxy variable) as overridden by the user. */
    public Optional<String> metaArg(String name) {
        return Optional.ofNullable(metaValue(name));
    }

    String metaValue(String name) {
        if (!meta.containsKey(name) && !PROXY_ARGS.contains(name)) {
            return null;
        }
        return value(name, meta.get(name));
    }

    /** Docker's {@code getBuildArg}: the user's value, else the declared default, else the meta ARG's value. */
    String value(String name, Optional<String> declaredDefault) {
        if (options.containsKey(name)) {
            return options.get(name);
        }
        if (declaredDefault != null && declaredDefault.isPresent()) {
            return declaredDefault.get();
        }
        Optional<String> m = meta.get(name);
        return m != null && m.isPresent() ? m.get() : null;
    }

    /** Substitutes the meta ARGs in a FROM line's word (the image or {@code --platform}). */
    public String expandFromLine(String word, SourceLocation where) throws DockerfileException {
        try {
            return new ShellLex(escape).expand(word, this::metaValue);
        } catch (ShellLex.SyntaxException e) {
            throw DockerfileException.at(where, "FROM", e.getMessage());
        }
    }

    /** A scope for one stage, starting from its base image's environment ({@code NAME=value} strings). */
    public StageScope newStage(List<String> baseEnv) {
        return new StageScope(this, escape, baseEnv);
    }

    void referenced(String name) {
        referenced.add(name);
    }

    boolean hasOption(String name) {
        return options.containsKey(name);
    }

    Map<String, String> options() {
        return options;
    }

    /**
     * The {@code --build-arg} names no ARG declared (proxy variables excepted), sorted: Docker warns
     * {@code [Warning] One or more build-args [NAME] were not consumed}.
     */
    public List<String> unconsumed() {
        Set<String> out = new TreeSet<>();
        for (String name : options.keySet()) {
            if (!referenced.contains(name) && !PROXY_ARGS.contains(name)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }
}
