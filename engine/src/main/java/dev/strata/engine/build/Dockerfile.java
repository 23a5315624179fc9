package dev.strata.engine.build;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed Dockerfile.
 *
 * @param file       its name as the user gave it (used in every error message)
 * @param escape     the escape character: {@code \} or, by the {@code # escape=`} directive, {@code `}
 * @param directives the parser directives at the top, by lower-case name ({@code syntax}, {@code escape},
 *                   {@code check}); only {@code escape} has an effect
 * @param metaArgs   the ARG instructions before the first FROM: visible in FROM lines, and in a stage only when it
 *                   declares the ARG again
 * @param stages     at least one
 * @param warnings   what Docker warns about but builds anyway (empty continuation lines)
 */
public record Dockerfile(String file, char escape, Map<String, String> directives, List<Instruction.Arg> metaArgs,
        List<Stage> stages, List<Warning> warnings) {

    /** A warning for a line of the Dockerfile. */
    public record Warning(int line, String message) {
    }

    public Dockerfile {
        directives = Map.copyOf(directives);
        metaArgs = List.copyOf(metaArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** The stage named {@code name} (case-insensitive). */
    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().isPresent() && s.name().get().equalsIgnoreCase(name)).findFirst();
    }

    /** A lexer with this Dockerfile's escape character. */
    public ShellLex lexer() {
        return new ShellLex(escape);
    }
}
