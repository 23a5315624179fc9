package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.engine.build.Instruction.ArgSpec;
import dev.strata.engine.build.Instruction.CommandLine;
import dev.strata.engine.build.Instruction.Heredoc;
import dev.strata.engine.build.Instruction.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfileParserTest {
    static Dockerfile parse(String text) throws DockerfileException {
        return DockerfileParser.parse("Dockerfile", text);
    }

    static List<Instruction> instructions(String text) throws DockerfileException {
        return parse(text).stages().getFirst().instructions();
    }

    static Instruction only(String line) throws DockerfileException {
        List<Instruction> all = instructions("FROM busybox\n" + line + "\n");
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    @Test
    void theClassicExample() throws Exception {
        Dockerfile df = parse("FROM ubuntu:15.04\nRUN echo \"Hello world\" > /tmp/newfile\n");
        assertThat(df.stages()).hasSize(1);
        Stage stage = df.stages().getFirst();
        assertThat(stage.baseName()).isEqualTo("ubuntu:15.04");
        assertThat(stage.name()).isEmpty();
        Instruction.Run run = (Instruction.Run) stage.instructions().getFirst();
        assertThat(run.command()).isEqualTo(new CommandLine(List.of("echo \"Hello world\" > /tmp/newfile"), false));
        assertThat(run.command().argv(List.of("/bin/sh", "-c")))
                .containsExactly("/bin/sh", "-c", "echo \"Hello world\" > /tmp/newfile");
        assertThat(run.location()).isEqualTo(new SourceLocation("Dockerfile", 2, 2, "RUN echo \"Hello world\" > /tmp/newfile"));
        assertThat(run.network()).isEqualTo(Instruction.Network.DEFAULT);
    }

    static Stream<Arguments> validInstructions() {
        SourceLocation at = new SourceLocation("Dockerfile", 2, 2, "");
        return Stream.of(
                Arguments.of("RUN [\"echo\", \"a b\"]", new Instruction.Run(at, new CommandLine(List.of("echo", "a b"), true), List.of(),
                        Instruction.Network.DEFAULT)),
                // Not JSON (single quotes): the shell form, as Docker falls back.
                Arguments.of("RUN ['echo', 'x']", new Instruction.Run(at, new CommandLine(List.of("['echo', 'x']"), false),
                        List.of(), Instruction.Network.DEFAULT)),
                Arguments.of("RUN [\"a\" \"b\"]", new Instruction.Run(at, new CommandLine(List.of("[\"a\" \"b\"]"), false),
                        List.of(), Instruction.Network.DEFAULT)),
                Arguments.of("RUN --network=none make", new Instruction.Run(at, new CommandLine(List.of("make"), false),
                        List.of(), Instruction.Network.NONE)),
                Arguments.of("run   --network=host   make  it ", new Instruction.Run(at, new CommandLine(List.of("make  it"), false),
                        List.of(), Instruction.Network.HOST)),
                Arguments.of("CMD [\"/bin/bash\"]", new Instruction.Cmd(at, new CommandLine(List.of("/bin/bash"), true))),
                Arguments.of("CMD echo \"$HOME\"", new Instruction.Cmd(at, new CommandLine(List.of("echo \"$HOME\""), false))),
                Arguments.of("ENTRYPOINT []", new Instruction.Entrypoint(at, new CommandLine(List.of(), true))),
                Arguments.of("ENTRYPOINT [\"tini\", \"--\"]", new Instruction.Entrypoint(at, new CommandLine(List.of("tini", "--"), true))),
                Arguments.of("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
                        new Instruction.Shell(at, List.of("/bin/bash", "-o", "pipefail", "-c"))),
                Arguments.of("COPY a b /dst/", new Instruction.Copy(at, List.of("a", "b"), List.of(), "/dst/", Optional.empty(),
                        Optional.empty(), Optional.empty(), false)),
                Arguments.of("COPY --from=build --chown=app:app --chmod=0755 --link /out /usr/bin/",
                        new Instruction.Copy(at, List.of("/out"), List.of(), "/usr/bin/", Optional.of("build"), Optional.of("app:app"),
                                Optional.of("0755"), true)),
                Arguments.of("COPY --chown=\"1 2\" x y", new Instruction.Copy(at, List.of("x"), List.of(), "y", Optional.empty(),
                        Optional.of("1 2"), Optional.empty(), false)),
                Arguments.of("COPY [\"with space\", \"/d st/\"]", new Instruction.Copy(at, List.of("with space"), List.of(), "/d st/",
                        Optional.empty(), Optional.empty(), Optional.empty(), false)),
                Arguments.of("ADD --checksum=sha256:abc https://example.com/x.tgz /x", new Instruction.Add(at,
                        List.of("https://example.com/x.tgz"), List.of(), "/x", Optional.empty(), Optional.empty(), false,
                        Optional.of("sha256:abc"), false)),
                Arguments.of("ADD --keep-git-dir=true --link=false a.tar /", new Instruction.Add(at, List.of("a.tar"), List.of(), "/",
                        Optional.empty(), Optional.empty(), false, Optional.empty(), true)),
                Arguments.of("ENV PATH /usr/local/bin:$PATH", new Instruction.Env(at, List.of(new KeyValue("PATH", "/usr/local/bin:$PATH")))),
                Arguments.of("ENV A=1 B=\"two words\" C=3\\ 4", new Instruction.Env(at, List.of(new KeyValue("A", "1"),
                        new KeyValue("B", "\"two words\""), new KeyValue("C", "3\\ 4")))),
                Arguments.of("ENV A=", new Instruction.Env(at, List.of(new KeyValue("A", "")))),
                Arguments.of("LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0", new Instruction.Label(at,
                        List.of(new KeyValue("\"com.example.vendor\"", "\"ACME Inc\""), new KeyValue("version", "1.0")))),
                Arguments.of("ARG VERSION", new Instruction.Arg(at, List.of(new ArgSpec("VERSION", Optional.empty())))),
                Arguments.of("ARG A=1 B C=", new Instruction.Arg(at, List.of(new ArgSpec("A", Optional.of("1")),
                        new ArgSpec("B", Optional.empty()), new ArgSpec("C", Optional.of(""))))),
                Arguments.of("WORKDIR /a b", new Instruction.Workdir(at, "/a b")),
                Arguments.of("USER app:app", new Instruction.User(at, "app:app")),
                Arguments.of("EXPOSE 8080 80/udp 443", new Instruction.Expose(at, List.of("443", "80/udp", "8080"))),
                Arguments.of("VOLUME /data /logs", new Instruction.Volume(at, List.of("/data", "/logs"))),
                Arguments.of("VOLUME [\"/data\"]", new Instruction.Volume(at, List.of("/data"))),
                Arguments.of("STOPSIGNAL SIGKILL", new Instruction.StopSignal(at, "SIGKILL")),
                Arguments.of("HEALTHCHECK NONE", new Instruction.Healthcheck(at, List.of("NONE"), Duration.ZERO, Duration.ZERO,
                        Duration.ZERO, Duration.ZERO, 0)),
                Arguments.of("HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=3 "
                        + "CMD curl -f http://localhost/ || exit 1", new Instruction.Healthcheck(at,
                        List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"), Duration.ofMinutes(5), Duration.ofSeconds(3),
                        Duration.ofSeconds(90), Duration.ofMillis(500), 3)),
                Arguments.of("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]", new Instruction.Healthcheck(at,
                        List.of("CMD", "/bin/check", "-q"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0)),
                Arguments.of("MAINTAINER Jane Doe <jane@example.com>", new Instruction.Maintainer(at, "Jane Doe <jane@example.com>")),
                Arguments.of("ONBUILD RUN make", new Instruction.Onbuild(at, "RUN make", new Instruction.Run(at,
                        new CommandLine(List.of("make"), false), List.of(), Instruction.Network.DEFAULT))));
    }

    @ParameterizedTest
    @MethodSource("validInstructions")
    void parsesEveryInstruction(String line, Instruction want) throws Exception {
        Instruction got = only(line);
        // Locations are checked elsewhere; compare with the original text filled in.
        assertThat(got.location().startLine()).isEqualTo(2);
        assertThat(withoutLocation(got)).isEqualTo(withoutLocation(want));
    }

    /** The same record with a fixed location, so that tables need not spell out the original text. */
    static String withoutLocation(Instruction i) {
        return i.toString().replaceAll("SourceLocation\\[[^\\]]*\\]", "LOC");
    }

    static Stream<Arguments> invalidDockerfiles() {
        return Stream.of(
                Arguments.of("", "Dockerfile: the Dockerfile cannot be empty"),
                Arguments.of("# just a comment\n\n", "Dockerfile: file with no instructions"),
                Arguments.of("ARG A=1\n", "Dockerfile: dockerfile contains no stages to build"),
                Arguments.of("RUN true\n", "Dockerfile:1: no build stage in current context (RUN before the first FROM; only ARG may come before it)"),
                Arguments.of("FROM a\n\n\n\n\n\nFORM b\n", "Dockerfile:7: unknown instruction: FORM"),
                Arguments.of("FROM a\nCOPY x\n", "Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
                Arguments.of("FROM a\nADD\n", "Dockerfile:2: ADD requires at least two arguments, but only one was provided. Destination could not be determined"),
                Arguments.of("FROM a\nCOPY --frm=b x y\n", "Dockerfile:2: unknown flag: --frm"),
                Arguments.of("FROM a\nCOPY --from x y\n", "Dockerfile:2: missing a value on flag: --from"),
                Arguments.of("FROM a\nCOPY --from=a --from=b x y\n", "Dockerfile:2: duplicate flag specified: --from"),
                Arguments.of("FROM a\nCOPY --link=maybe x y\n", "Dockerfile:2: expecting boolean value for flag --link, not: maybe"),
                Arguments.of("FROM a\nCOPY x <<EOF\nEOF\n", "Dockerfile:2: COPY cannot accept a heredoc as a destination"),
                Arguments.of("FROM a\nADD --from=b x y\n", "Dockerfile:2: unknown flag: --from"),
                Arguments.of("FROM a\nRUN --mount=type=cache,target=/root/.cache make\n",
                        "Dockerfile:2: the --mount option requires BuildKit: Strata builds like Docker's classic builder, which does not support RUN --mount"),
                Arguments.of("FROM a\nRUN --network=bridge make\n", "Dockerfile:2: invalid network mode \"bridge\""),
                Arguments.of("FROM a\nRUN [\"a\", 1]\n", "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only"),
                Arguments.of("FROM\n", "Dockerfile:1: FROM requires either one or three arguments"),
                Arguments.of("FROM a b\n", "Dockerfile:1: FROM requires either one or three arguments"),
                Arguments.of("FROM a AS 1st\n", "Dockerfile:1: invalid name for build stage: \"1st\", name can't start with a number or contain symbols"),
                Arguments.of("FROM a AS b\nFROM c AS B\n", "Dockerfile:2: duplicate stage name \"b\""),
                Arguments.of("FROM --plat=x a\n", "Dockerfile:1: unknown flag: --plat"),
                Arguments.of("FROM a\nENV\n", "Dockerfile:2: ENV requires at least one argument"),
                Arguments.of("FROM a\nENV A\n", "Dockerfile:2: ENV must have two arguments"),
                Arguments.of("FROM a\nENV A=1 B\n", "Dockerfile:2: Syntax error - can't find = in \"B\". Must be of the form: name=value"),
                Arguments.of("FROM a\nENV =1\n", "Dockerfile:2: ENV names can not be blank"),
                Arguments.of("FROM a\nLABEL x\n", "Dockerfile:2: LABEL must have two arguments"),
                Arguments.of("FROM a\nARG\n", "Dockerfile:2: ARG requires at least one argument"),
                Arguments.of("FROM a\nARG =x\n", "Dockerfile:2: ARG names can not be blank"),
                Arguments.of("FROM a\nWORKDIR\n", "Dockerfile:2: WORKDIR requires exactly one argument"),
                Arguments.of("FROM a\nUSER\n", "Dockerfile:2: USER requires exactly one argument"),
                Arguments.of("FROM a\nSTOPSIGNAL\n", "Dockerfile:2: STOPSIGNAL requires exactly one argument"),
                Arguments.of("FROM a\nMAINTAINER\n", "Dockerfile:2: MAINTAINER requires exactly one argument"),
                Arguments.of("FROM a\nEXPOSE\n", "Dockerfile:2: EXPOSE requires at least one argument"),
                Arguments.of("FROM a\nVOLUME\n", "Dockerfile:2: VOLUME requires at least one argument"),
                Arguments.of("FROM a\nVOLUME [\"\"]\n", "Dockerfile:2: VOLUME specified can not be an empty string"),
                Arguments.of("FROM a\nSHELL /bin/bash -c\n", "Dockerfile:2: SHELL requires the arguments to be in JSON form"),
                Arguments.of("FROM a\nSHELL []\n", "Dockerfile:2: SHELL requires at least one argument"),
                Arguments.of("FROM a\nHEALTHCHECK\n", "Dockerfile:2: HEALTHCHECK requires at least one argument"),
                Arguments.of("FROM a\nHEALTHCHECK NONE x\n", "Dockerfile:2: HEALTHCHECK NONE takes no arguments"),
                Arguments.of("FROM a\nHEALTHCHECK CMD\n", "Dockerfile:2: Missing command after HEALTHCHECK CMD"),
                Arguments.of("FROM a\nHEALTHCHECK RUN x\n", "Dockerfile:2: Unknown type \"RUN\" in HEALTHCHECK (try CMD)"),
                Arguments.of("FROM a\nHEALTHCHECK --interval=5 CMD x\n", "Dockerfile:2: time: missing unit in duration \"5\""),
                Arguments.of("FROM a\nHEALTHCHECK --timeout=1us CMD x\n", "Dockerfile:2: Interval \"timeout\" cannot be less than 1ms"),
                Arguments.of("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "Dockerfile:2: --retries cannot be negative (-1)"),
                Arguments.of("FROM a\nHEALTHCHECK --retries=x CMD x\n", "Dockerfile:2: strconv.ParseInt: parsing \"x\": invalid syntax"),
                Arguments.of("FROM a\nONBUILD\n", "Dockerfile:2: ONBUILD requires at least one argument"),
                Arguments.of("FROM a\nONBUILD ONBUILD RUN x\n", "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
                Arguments.of("FROM a\nONBUILD FROM b\n", "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger"),
                Arguments.of("FROM a\nonbuild maintainer me\n", "Dockerfile:2: MAINTAINER isn't allowed as an ONBUILD trigger"),
                Arguments.of("FROM a\nONBUILD COPY x\n", "Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
                Arguments.of("FROM a\nRUN <<EOF\necho never ends\n", "Dockerfile:2: unterminated heredoc"),
                Arguments.of("# escape=x\nFROM a\n", "Dockerfile:1: invalid escape token 'x' does not match ` or \\"),
                Arguments.of("# escape=`\n# escape=\\\nFROM a\n", "Dockerfile:2: only one escape parser directive can be used"),
                Arguments.of("FROM a\nRUN a \\\n\n  b\nCOPY x\n",
                        "Dockerfile:5: COPY requires at least two arguments, but only one was provided. Destination could not be determined"));
    }

    @ParameterizedTest
    @MethodSource("invalidDockerfiles")
    void reportsErrorsLikeDocker(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(DockerfileException.class).hasMessage(message);
    }

    @Test
    void errorsCarryTheirParts() {
        assertThatThrownBy(() -> DockerfileParser.parse("build/app.Dockerfile", "FROM a\nCOPY x\n"))
                .isInstanceOfSatisfying(DockerfileException.class, e -> {
                    assertThat(e.file()).isEqualTo("build/app.Dockerfile");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.instruction()).contains("COPY");
                    assertThat(e.detail()).startsWith("COPY requires at least two arguments");
                    assertThat(e).isInstanceOf(dev.strata.error.InvalidArgumentException.class);
                });
        assertThatThrownBy(() -> parse("")).isInstanceOfSatisfying(DockerfileException.class, e -> {
            assertThat(e.line()).isZero();
            assertThat(e.instruction()).isEmpty();
        });
    }

    @Test
    void continuationsCommentsAndBlankLines() throws Exception {
        Dockerfile df = parse("""
                # syntax=docker/dockerfile:1
                # check=skip=all
                # a comment, not a directive

                FROM alpine \\
                    AS base
                RUN apk add \\
                    # a comment inside the continuation
                      curl \\

                      git
                   # indented comment
                RUN echo "a\\\\" && \\\t
                  echo b
                """);
        assertThat(df.directives()).isEqualTo(Map.of("syntax", "docker/dockerfile:1", "check", "skip=all"));
        Stage base = df.stages().getFirst();
        assertThat(base.name()).contains("base");
        assertThat(base.location().startLine()).isEqualTo(5);
        assertThat(base.location().endLine()).isEqualTo(6);
        List<Instruction> is = base.instructions();
        Instruction.Run apk = (Instruction.Run) is.get(0);
        assertThat(apk.command().args()).containsExactly("apk add       curl       git");
        assertThat(apk.location().startLine()).isEqualTo(7);
        assertThat(apk.location().endLine()).isEqualTo(11);
        assertThat(df.warnings()).containsExactly(new Dockerfile.Warning(11, "Empty continuation line found in: RUN apk add       curl       git"));
        Instruction.Run echo = (Instruction.Run) is.get(1);
        assertThat(echo.command().args()).containsExactly("echo \"a\\\\\" &&   echo b");
    }

    @Test
    void directivesOnlyAtTheTop() throws Exception {
        Dockerfile df = parse("\n# escape=`\nFROM a\nRUN echo \\\n  b\n");
        assertThat(df.escape()).isEqualTo('\\');
        assertThat(df.directives()).isEmpty();
        // After a blank line "# escape=`" is a comment, so ` does not continue a line.
        assertThatThrownBy(() -> parse("\n# escape=`\nFROM a\nRUN echo `\n  b\n"))
                .hasMessage("Dockerfile:5: unknown instruction: b");
    }

    /** Whole-line instructions after an escaped escape are not continued. */
    @Test
    void escapedEscapeAtTheEndDoesNotContinue() throws Exception {
        List<Instruction> is = instructions("FROM a\nRUN echo x\\\\\nRUN echo y\n");
        assertThat(is).hasSize(2);
    }

    @Test
    void backtickEscapeForWindowsPaths() throws Exception {
        Dockerfile df = parse("""
                # escape=`

                FROM mcr.microsoft.com/windows/servercore
                COPY testfile.txt c:\\
                RUN dir c:\\ `
                    && echo done
                WORKDIR c:\\Users\\app
                ENV DIR=c:\\data` dir
                """);
        assertThat(df.escape()).isEqualTo('`');
        assertThat(df.directives()).isEqualTo(Map.of("escape", "`"));
        List<Instruction> is = df.stages().getFirst().instructions();
        Instruction.Copy copy = (Instruction.Copy) is.get(0);
        assertThat(copy.sources()).containsExactly("testfile.txt");
        assertThat(copy.destination()).isEqualTo("c:\\");
        Instruction.Run run = (Instruction.Run) is.get(1);
        assertThat(run.command().args()).containsExactly("dir c:\\     && echo done");
        StageScope scope = BuildArgs.of(Map.of()).withMetaArgs(df).newStage(List.of());
        assertThat(((Instruction.Workdir) scope.expand(is.get(2))).path()).isEqualTo("c:\\Users\\app");
        Instruction.Env env = (Instruction.Env) scope.expand(is.get(3));
        assertThat(env.variables()).containsExactly(new KeyValue("DIR", "c:\\data dir"));
    }

    @Test
    void byteOrderMarkAndCrlf() throws Exception {
        byte[] text = "\uFEFF# escape=`\r\nFROM a\r\nRUN echo a `\r\n  b\r\n".getBytes(StandardCharsets.UTF_8);
        Dockerfile df = DockerfileParser.parse("Dockerfile", text);
        assertThat(df.escape()).isEqualTo('`');
        assertThat(((Instruction.Run) df.stages().getFirst().instructions().getFirst()).command().args())
                .containsExactly("echo a   b");
    }

    @Test
    void heredocs() throws Exception {
        List<Instruction> is = instructions("""
                FROM alpine
                RUN <<EOF
                echo hello
                echo $HOME
                EOF
                RUN <<-EOT bash -e
                \techo tabs stripped
                \tEOT
                COPY <<one <<"two" /dest/
                first $X
                one
                second $X
                two
                RUN 3<<'EOF' cat <&3
                  "quoted" $NOT
                EOF
                COPY <<file.txt /etc/file.txt
                content
                file.txt
                RUN python3 <<PY > out
                print("hi")
                PY
                RUN echo "<<NOT_A_HEREDOC"
                RUN [ "echo", "<<NOPE" ]
                """);
        Instruction.Run script = (Instruction.Run) is.get(0);
        assertThat(script.heredocs()).containsExactly(new Heredoc("EOF", "echo hello\necho $HOME\n", false, true, 0));
        assertThat(script.script()).contains(script.heredocs().getFirst());
        assertThat(script.location().endLine()).isEqualTo(5);

        Instruction.Run chomped = (Instruction.Run) is.get(1);
        assertThat(chomped.heredocs().getFirst().content()).isEqualTo("\techo tabs stripped\n");
        assertThat(chomped.heredocs().getFirst().body()).isEqualTo("echo tabs stripped\n");
        assertThat(chomped.script()).isEmpty();
        assertThat(chomped.shellCommand()).isEqualTo("<<-EOT bash -e\n\techo tabs stripped\nEOT");

        Instruction.Copy two = (Instruction.Copy) is.get(2);
        assertThat(two.sources()).isEmpty();
        assertThat(two.inline()).containsExactly(new Heredoc("one", "first $X\n", false, true, 0),
                new Heredoc("two", "second $X\n", false, false, 0));
        assertThat(two.destination()).isEqualTo("/dest/");

        Instruction.Run fd = (Instruction.Run) is.get(3);
        assertThat(fd.heredocs()).containsExactly(new Heredoc("EOF", "  \"quoted\" $NOT\n", false, false, 3));

        Instruction.Copy file = (Instruction.Copy) is.get(4);
        assertThat(file.inline()).containsExactly(new Heredoc("file.txt", "content\n", false, true, 0));

        Instruction.Run python = (Instruction.Run) is.get(5);
        assertThat(python.shellCommand()).isEqualTo("python3 <<PY > out\nprint(\"hi\")\nPY");
        assertThat(((Instruction.Run) is.get(6)).heredocs()).isEmpty();
        assertThat(((Instruction.Run) is.get(7)).heredocs()).isEmpty();
        assertThat(is).hasSize(8);
    }

    @Test
    void heredocDelimiterForms() throws Exception {
        List<Instruction> is = instructions("""
                FROM a
                RUN <<eo'f'
                x
                eof
                RUN <<  SPACED
                SPACED
                RUN <<'one two'
                y
                one two
                """);
        assertThat(((Instruction.Run) is.get(0)).heredocs()).containsExactly(new Heredoc("eof", "x\n", false, false, 0));
        assertThat(((Instruction.Run) is.get(1)).heredocs()).containsExactly(new Heredoc("SPACED", "", false, true, 0));
        assertThat(((Instruction.Run) is.get(2)).heredocs()).containsExactly(new Heredoc("one two", "y\n", false, false, 0));
    }

    @Test
    void onbuildKeepsItsExpression() throws Exception {
        Instruction.Onbuild o = (Instruction.Onbuild) instructions("""
                FROM a
                ONBUILD COPY <<EOF /x
                hi
                EOF
                """).getFirst();
        assertThat(o.expression()).isEqualTo("COPY <<EOF /x\nhi\nEOF");
        assertThat(o.trigger()).isInstanceOf(Instruction.Copy.class);
        assertThat(((Instruction.Copy) o.trigger()).inline()).containsExactly(new Heredoc("EOF", "hi\n", false, true, 0));

        Instruction trigger = DockerfileParser.parseTrigger("Dockerfile", 4, "RUN --network=none make install");
        assertThat(trigger.location().startLine()).isEqualTo(4);
        assertThat(((Instruction.Run) trigger).network()).isEqualTo(Instruction.Network.NONE);
        assertThatThrownBy(() -> DockerfileParser.parseTrigger("Dockerfile", 4, "ONBUILD RUN x"))
                .hasMessage("Dockerfile:4: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    }

    @Test
    void stagesAndMetaArgs() throws Exception {
        Dockerfile df = parse("""
                ARG BASE=alpine
                ARG TAG
                FROM --platform=$BUILDPLATFORM ${BASE}:${TAG:-3} AS Build
                RUN make
                FROM scratch
                COPY --from=build /out /
                """);
        assertThat(df.metaArgs()).hasSize(2);
        assertThat(df.stages()).hasSize(2);
        Stage build = df.stages().get(0);
        assertThat(build.index()).isZero();
        assertThat(build.name()).contains("build");
        assertThat(build.platform()).contains("$BUILDPLATFORM");
        assertThat(build.baseName()).isEqualTo("${BASE}:${TAG:-3}");
        assertThat(build.instructions()).hasSize(1);
        assertThat(df.stage("BUILD")).contains(build);
        assertThat(df.stages().get(1).displayName()).isEqualTo("1");
    }

    @Test
    void keywordsAndLocations() throws Exception {
        List<Instruction> is = instructions("""
                FROM a
                run  x
                Copy a b
                """);
        assertThat(is).extracting(Instruction::keyword).containsExactly("RUN", "COPY");
        assertThat(is.get(1).location()).isEqualTo(new SourceLocation("Dockerfile", 3, 3, "Copy a b"));
    }
}
