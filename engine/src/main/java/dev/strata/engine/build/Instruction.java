package dev.strata.engine.build;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One Dockerfile instruction, as parsed. Words that Docker substitutes variables in (paths, ENV and LABEL pairs,
 * USER, ...) are kept exactly as written, quotes included: {@link StageScope#expand} turns them into their final
 * values with the stage's ARG and ENV values at the moment the instruction runs, as Docker does step by step.
 * Shell-form commands are never substituted here; the shell does that when the command runs.
 */
public sealed interface Instruction {
    SourceLocation location();

    /** The keyword in upper case: {@code RUN}, {@code COPY}, ... */
    default String keyword() {
        return switch (this) {
            case From f -> "FROM";
            case Run r -> "RUN";
            case Cmd c -> "CMD";
            case Entrypoint e -> "ENTRYPOINT";
            case Copy c -> "COPY";
            case Add a -> "ADD";
            case Env e -> "ENV";
            case Arg a -> "ARG";
            case Workdir w -> "WORKDIR";
            case User u -> "USER";
            case Label l -> "LABEL";
            case Expose e -> "EXPOSE";
            case Volume v -> "VOLUME";
            case StopSignal s -> "STOPSIGNAL";
            case Healthcheck h -> "HEALTHCHECK";
            case Shell s -> "SHELL";
            case Onbuild o -> "ONBUILD";
            case Maintainer m -> "MAINTAINER";
        };
    }

    /** A {@code name=value} of ENV or LABEL. */
    record KeyValue(String key, String value) {
    }

    /** One name of an ARG, with its default when it has one ({@code ARG A=1 B}). */
    record ArgSpec(String name, Optional<String> defaultValue) {
    }

    /**
     * The command of RUN, CMD or ENTRYPOINT.
     *
     * @param args     the JSON array's strings in exec form; in shell form the one command string (none for a bare
     *                 {@code CMD})
     * @param execForm the command was written as a JSON array of strings
     */
    record CommandLine(List<String> args, boolean execForm) {
        public CommandLine {
            args = List.copyOf(args);
        }

        /** What is executed: the args themselves in exec form, else the shell (from SHELL) followed by the command. */
        public List<String> argv(List<String> shell) {
            if (execForm) {
                return args;
            }
            return java.util.stream.Stream.concat(shell.stream(), args.stream()).toList();
        }
    }

    /**
     * A here-document: {@code <<EOF} ... {@code EOF}.
     *
     * @param name    the delimiter word without quotes; for COPY and ADD the name of the file it becomes
     * @param content the lines between the instruction and the delimiter, each with its newline, as written
     * @param chomp   {@code <<-}: leading tabs are stripped from every line ({@link #body()})
     * @param expand  the delimiter was not quoted, so variables in the body are expanded (by {@link StageScope}
     *                for COPY/ADD, by the shell for RUN)
     * @param fd      the file descriptor written before {@code <<} ({@code 3<<EOF}); 0 when none was
     */
    record Heredoc(String name, String content, boolean chomp, boolean expand, int fd) {
        /** The content with leading tabs removed from every line when {@link #chomp()}. */
        public String body() {
            return chomp ? content.replaceAll("(?m)^\t+", "") : content;
        }
    }

    /** RUN's {@code --network}. */
    enum Network {
        DEFAULT, NONE, HOST
    }

    /** {@code FROM [--platform=p] image [AS name]}: starts a stage (see {@link Stage}). */
    record From(SourceLocation location, String image, Optional<String> name, Optional<String> platform) implements Instruction {
    }

    /**
     * {@code RUN [--network=mode] command}.
     *
     * @param heredocs the here-documents of a shell-form command, in the order they appear on the line
     */
    record Run(SourceLocation location, CommandLine command, List<Heredoc> heredocs, Network network) implements Instruction {
        public Run {
            heredocs = List.copyOf(heredocs);
        }

        /**
         * The here-document that is the whole command ({@code RUN <<EOF}); Docker (BuildKit) runs its body as a
         * script: through the shell, or as an executable file when it starts with {@code #!}.
         */
        public Optional<Heredoc> script() {
            if (command.execForm() || heredocs.isEmpty() || command.args().size() != 1) {
                return Optional.empty();
            }
            Optional<Heredoc> word = DockerfileParser.heredocWord(command.args().getFirst());
            return word.isPresent() ? Optional.of(heredocs.getFirst()) : Optional.empty();
        }

        /**
         * The shell-form command with its here-documents put back after it, as the shell should see them (what
         * BuildKit hands to the shell when a heredoc is not the whole command).
         */
        public String shellCommand() {
            if (command.args().isEmpty()) {
                return "";
            }
            StringBuilder s = new StringBuilder(command.args().getFirst());
            for (Heredoc h : heredocs) {
                s.append('\n').append(h.content()).append(h.name());
            }
            return s.toString();
        }
    }

    record Cmd(SourceLocation location, CommandLine command) implements Instruction {
    }

    /** {@code ENTRYPOINT}; an empty exec form ({@code ENTRYPOINT []}) clears the entrypoint. */
    record Entrypoint(SourceLocation location, CommandLine command) implements Instruction {
    }

    /**
     * {@code COPY [--from=stage|image] [--chown=u:g] [--chmod=mode] [--link] src... dest}.
     *
     * @param sources the source paths (globs allowed); here-document sources are in {@code inline}
     * @param from    a stage name, a stage index, or an image reference (see {@link BuildPlan})
     * @param link    accepted and ignored: the classic builder copies the same way with or without it
     */
    record Copy(SourceLocation location, List<String> sources, List<Heredoc> inline, String destination,
            Optional<String> from, Optional<String> chown, Optional<String> chmod, boolean link) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            inline = List.copyOf(inline);
        }
    }

    /**
     * {@code ADD [--chown] [--chmod] [--link] [--checksum=sha256:...] [--keep-git-dir] src... dest}: like COPY,
     * and a local tar archive is extracted, a URL downloaded.
     */
    record Add(SourceLocation location, List<String> sources, List<Heredoc> inline, String destination,
            Optional<String> chown, Optional<String> chmod, boolean link, Optional<String> checksum, boolean keepGitDir)
            implements Instruction {
        public Add {
            sources = List.copyOf(sources);
            inline = List.copyOf(inline);
        }

        /** Whether ADD downloads this source rather than taking it from the context. */
        public static boolean isUrl(String source) {
            return source.startsWith("http://") || source.startsWith("https://");
        }

        /** The sources taken from the build context (every source that is not a URL). */
        public List<String> localSources() {
            return sources.stream().filter(s -> !isUrl(s)).toList();
        }

        /** The sources to download. */
        public List<String> urls() {
            return sources.stream().filter(Add::isUrl).toList();
        }
    }

    record Env(SourceLocation location, List<KeyValue> variables) implements Instruction {
        public Env {
            variables = List.copyOf(variables);
        }
    }

    record Arg(SourceLocation location, List<ArgSpec> args) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    record Workdir(SourceLocation location, String path) implements Instruction {
    }

    record User(SourceLocation location, String user) implements Instruction {
    }

    record Label(SourceLocation location, List<KeyValue> labels) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }
    }

    /** {@code EXPOSE}; the ports as written (sorted, as Docker sorts them), for the history line. */
    record Expose(SourceLocation location, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }

        /**
         * The config's {@code ExposedPorts} keys of an {@link StageScope#expand expanded} EXPOSE: {@code 80/tcp},
         * ranges spelled out, {@code [ip:][host:]} prefixes dropped.
         */
        public List<String> exposedPorts() throws DockerfileException {
            return StageScope.portSpecs(this);
        }
    }

    record Volume(SourceLocation location, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record StopSignal(SourceLocation location, String signal) implements Instruction {
    }

    /**
     * {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [options] CMD command}.
     *
     * @param test the image config's {@code Healthcheck.Test}: {@code ["NONE"]}, {@code ["CMD", args...]} (exec
     *             form) or {@code ["CMD-SHELL", command]} (shell form)
     * @param interval zero when not given (the runtime's default applies); likewise the other durations
     * @param retries zero when not given
     */
    record Healthcheck(SourceLocation location, List<String> test, Duration interval, Duration timeout,
            Duration startPeriod, Duration startInterval, int retries) implements Instruction {
        public Healthcheck {
            test = List.copyOf(test);
        }
    }

    /** {@code SHELL ["executable", "parameters"]}: always the exec form. */
    record Shell(SourceLocation location, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    /**
     * {@code ONBUILD <instruction>}.
     *
     * @param expression the trigger as stored in the image config's {@code OnBuild} (the text after ONBUILD, with
     *                   its here-documents appended)
     * @param trigger    the trigger parsed, to catch its errors at definition; it runs in a build FROM this image
     */
    record Onbuild(SourceLocation location, String expression, Instruction trigger) implements Instruction {
    }

    /** {@code MAINTAINER} (deprecated): sets the image's author. */
    record Maintainer(SourceLocation location, String name) implements Instruction {
    }
}
