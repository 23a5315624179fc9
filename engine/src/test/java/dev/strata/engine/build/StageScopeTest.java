package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.engine.build.Instruction.Heredoc;
import dev.strata.engine.build.Instruction.KeyValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ARG and ENV scoping and where substitution applies, step by step as the executor will drive it. */
class StageScopeTest {
    record Run(Dockerfile dockerfile, BuildArgs args, StageScope scope, List<Instruction> steps) {
    }

    /** Expands and applies every instruction of the first stage, as the executor will. */
    static Run run(String text, Map<String, String> buildArgs, List<String> baseEnv) throws Exception {
        Dockerfile df = DockerfileParser.parse("Dockerfile", text);
        BuildArgs args = BuildArgs.of(buildArgs).withMetaArgs(df);
        StageScope scope = args.newStage(baseEnv);
        List<Instruction> steps = new java.util.ArrayList<>();
        for (Instruction i : df.stages().getFirst().instructions()) {
            Instruction e = scope.expand(i);
            steps.add(e);
            scope.apply(e);
        }
        return new Run(df, args, scope, steps);
    }

    @Test
    void envReplacementExampleFromTheReference() throws Exception {
        Run r = run("""
                FROM busybox
                ENV FOO=/bar
                WORKDIR ${FOO}
                ADD . $FOO
                COPY \\$FOO /quux
                ENV abc=hello
                ENV abc=bye def=$abc
                ENV ghi=$abc
                """, Map.of(), List.of("PATH=/usr/bin"));
        assertThat(((Instruction.Workdir) r.steps.get(1)).path()).isEqualTo("/bar");
        assertThat(((Instruction.Add) r.steps.get(2)).destination()).isEqualTo("/bar");
        assertThat(((Instruction.Copy) r.steps.get(3)).sources()).containsExactly("$FOO");
        assertThat(r.scope.env()).containsExactly("PATH=/usr/bin", "FOO=/bar", "abc=bye", "def=hello", "ghi=bye");
    }

    @Test
    void argScopingLikeDocker() throws Exception {
        String text = """
                ARG VERSION=1.0
                ARG ONLY_META=m
                FROM busybox:${VERSION}
                RUN echo $VERSION
                ARG VERSION
                ARG USER=nobody
                ARG UNSET
                LABEL v=$VERSION meta=x${ONLY_META}y user=$USER unset=${UNSET-dflt} empty=[$UNSET]
                ENV USER=root
                LABEL user=$USER
                """;
        Run r = run(text, Map.of(), List.of());
        Instruction.Label label = (Instruction.Label) r.steps.get(4);
        assertThat(label.labels()).containsExactly(new KeyValue("v", "1.0"), new KeyValue("meta", "xy"),
                new KeyValue("user", "nobody"), new KeyValue("unset", "dflt"), new KeyValue("empty", "[]"));
        assertThat(((Instruction.Label) r.steps.get(6)).labels()).containsExactly(new KeyValue("user", "root"));
        assertThat(r.args.metaArg("VERSION")).contains("1.0");
        assertThat(r.scope.argsForHistory()).containsExactly("VERSION=1.0");
        assertThat(r.scope.runEnv()).containsExactly("USER=root", "VERSION=1.0");

        Run overridden = run(text, Map.of("VERSION", "2.0", "USER", "me", "UNUSED", "x"), List.of());
        Instruction.Label l = (Instruction.Label) overridden.steps.get(4);
        assertThat(l.labels().get(0)).isEqualTo(new KeyValue("v", "2.0"));
        assertThat(l.labels().get(2)).isEqualTo(new KeyValue("user", "me"));
        assertThat(overridden.args.unconsumed()).containsExactly("UNUSED");
        assertThat(overridden.args.expandFromLine(overridden.dockerfile.stages().getFirst().baseName(),
                overridden.dockerfile.stages().getFirst().location())).isEqualTo("busybox:2.0");
    }

    @Test
    void metaArgDefaultsSeeEarlierMetaArgs() throws Exception {
        Dockerfile df = DockerfileParser.parse("Dockerfile", "ARG A=1\nARG B=${A}2 C=$B\nFROM x:$B$C\n");
        BuildArgs args = BuildArgs.of(Map.of()).withMetaArgs(df);
        assertThat(args.metaArg("B")).contains("12");
        assertThat(args.metaArg("C")).contains(""); // the whole line is expanded before B is set
        assertThat(args.expandFromLine("x:$B$C", df.stages().getFirst().location())).isEqualTo("x:12");
    }

    @Test
    void proxyArgsNeedNoDeclarationAndStayOutOfHistory() throws Exception {
        Run r = run("""
                FROM busybox
                ARG no_proxy
                RUN wget $HTTP_PROXY
                """, Map.of("HTTP_PROXY", "http://proxy:3128", "no_proxy", "localhost"), List.of());
        assertThat(r.scope.variable("HTTP_PROXY")).contains("http://proxy:3128");
        assertThat(r.scope.runEnv()).containsExactly("no_proxy=localhost", "HTTP_PROXY=http://proxy:3128");
        assertThat(r.scope.argsForHistory()).containsExactly("no_proxy=localhost");
        assertThat(r.args.unconsumed()).isEmpty();
    }

    @Test
    void runCmdAndEntrypointAreLeftToTheShell() throws Exception {
        Run r = run("""
                FROM busybox
                ENV X=1
                RUN echo $X
                CMD ["echo", "$X"]
                ENTRYPOINT echo ${X}
                ONBUILD COPY $X /y
                HEALTHCHECK CMD echo $X
                """, Map.of(), List.of());
        assertThat(((Instruction.Run) r.steps.get(1)).command().args()).containsExactly("echo $X");
        assertThat(((Instruction.Cmd) r.steps.get(2)).command().args()).containsExactly("echo", "$X");
        assertThat(((Instruction.Entrypoint) r.steps.get(3)).command().args()).containsExactly("echo ${X}");
        assertThat(((Instruction.Onbuild) r.steps.get(4)).expression()).isEqualTo("COPY $X /y");
        assertThat(((Instruction.Healthcheck) r.steps.get(5)).test()).containsExactly("CMD-SHELL", "echo $X");
    }

    @Test
    void everySubstitutedInstruction() throws Exception {
        Run r = run("""
                FROM busybox
                ENV D=/data P="80 443/udp" U=app S=SIGTERM M=755 F=file.txt
                COPY --chown=$U:$U --chmod=$M --from=stage $F ${D}/
                ADD --chown=$U --checksum=sha256:$U http://x/$F $D
                USER ${U}:${U}
                VOLUME $D /b
                VOLUME ["$D/x"]
                STOPSIGNAL $S
                EXPOSE $P 8000-8001
                LABEL "$U.label"='$D' other="a $D"
                ARG A=$D B
                """, Map.of(), List.of());
        Instruction.Copy copy = (Instruction.Copy) r.steps.get(1);
        assertThat(copy.chown()).contains("app:app");
        assertThat(copy.chmod()).contains("755");
        assertThat(copy.from()).contains("stage");
        assertThat(copy.sources()).containsExactly("file.txt");
        assertThat(copy.destination()).isEqualTo("/data/");
        Instruction.Add add = (Instruction.Add) r.steps.get(2);
        assertThat(add.chown()).contains("app");
        assertThat(add.checksum()).contains("sha256:app");
        assertThat(add.urls()).containsExactly("http://x/file.txt");
        assertThat(add.localSources()).isEmpty();
        assertThat(((Instruction.User) r.steps.get(3)).user()).isEqualTo("app:app");
        assertThat(((Instruction.Volume) r.steps.get(4)).paths()).containsExactly("/data", "/b");
        assertThat(((Instruction.Volume) r.steps.get(5)).paths()).containsExactly("/data/x");
        assertThat(((Instruction.StopSignal) r.steps.get(6)).signal()).isEqualTo("SIGTERM");
        Instruction.Expose expose = (Instruction.Expose) r.steps.get(7);
        assertThat(expose.ports()).containsExactly("80", "443/udp", "8000-8001");
        assertThat(expose.exposedPorts()).containsExactly("80/tcp", "443/udp", "8000/tcp", "8001/tcp");
        assertThat(((Instruction.Label) r.steps.get(8)).labels())
                .containsExactly(new KeyValue("app.label", "$D"), new KeyValue("other", "a /data"));
        assertThat(((Instruction.Arg) r.steps.get(9)).args())
                .containsExactly(new Instruction.ArgSpec("A", Optional.of("/data")), new Instruction.ArgSpec("B", Optional.empty()));
    }

    @Test
    void copyHeredocBodiesExpandUnlessQuoted() throws Exception {
        Run r = run("""
                FROM busybox
                ARG NAME=world
                COPY <<-EOF <<'RAW' /d/
                \thello "$NAME" \\$NAME
                \tEOF
                hello $NAME
                RAW
                """, Map.of(), List.of());
        Instruction.Copy copy = (Instruction.Copy) r.steps.get(1);
        assertThat(copy.inline()).containsExactly(new Heredoc("EOF", "hello \"world\" $NAME\n", false, true, 0),
                new Heredoc("RAW", "hello $NAME\n", false, false, 0));
    }

    @Test
    void substitutionErrorsNameTheLine() throws Exception {
        Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nARG V\nWORKDIR /${V:?set V with --build-arg}\n");
        StageScope scope = BuildArgs.of(Map.of()).withMetaArgs(df).newStage(List.of());
        List<Instruction> is = df.stages().getFirst().instructions();
        scope.apply(scope.expand(is.get(0)));
        assertThatThrownBy(() -> scope.expand(is.get(1))).isInstanceOf(DockerfileException.class)
                .hasMessage("Dockerfile:3: failed to process \"/${V:?set V with --build-arg}\": V: set V with --build-arg");
    }

    @Test
    void wordListsSplitAtBlanksBeforeQuotes() throws Exception {
        // VOLUME's words are split at blanks first, so a quoted path with a space breaks up, as in Docker.
        Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nVOLUME \"/b c\"\n");
        StageScope scope = BuildArgs.of(Map.of()).withMetaArgs(df).newStage(List.of());
        assertThatThrownBy(() -> scope.expand(df.stages().getFirst().instructions().getFirst()))
                .hasMessage("Dockerfile:2: failed to process \"\\\"/b\": unexpected end of statement while looking for matching double-quote");
    }

    @Test
    void badPortsAreErrors() throws Exception {
        Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nEXPOSE 80/xyz\nEXPOSE http\n");
        StageScope scope = BuildArgs.of(Map.of()).withMetaArgs(df).newStage(List.of());
        List<Instruction> is = df.stages().getFirst().instructions();
        assertThatThrownBy(() -> ((Instruction.Expose) scope.expand(is.get(0))).exposedPorts())
                .hasMessage("Dockerfile:2: invalid proto: xyz");
        assertThatThrownBy(() -> ((Instruction.Expose) scope.expand(is.get(1))).exposedPorts())
                .hasMessage("Dockerfile:3: invalid containerPort: http");
    }
}
