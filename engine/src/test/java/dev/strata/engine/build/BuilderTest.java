package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.image.HistoryEntry;
import dev.strata.engine.image.ImageDetails;
import dev.strata.engine.image.ImageSummary;
import dev.strata.engine.runtime.RuntimeOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata build} on real overlayfs and runc: the classic example, the cache, and each kind of step. */
class BuilderTest {
    @TempDir
    static Path work;
    static BuildStore store;

    @BeforeAll
    static void open() throws Exception {
        store = BuildStore.open(work);
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
    }

    @Test
    void classicExampleAddsOneTwelveByteLayerAndIsCached() throws Exception {
        Path dir = store.context("classic", "Dockerfile", "FROM busybox\nRUN echo \"Hello world\" > /tmp/newfile\n");
        long before = store.strata.system().diskUsage().layersSize();
        BuildStore.Outcome first = store.build(dir, BuildOptions.defaults().withTags("changed-ubuntu"));
        String id = first.result().id().shortHex();
        assertThat(first.output()).contains("Step 1/2 : FROM busybox\n ---> ")
                .contains("Step 2/2 : RUN echo \"Hello world\" > /tmp/newfile\n ---> Running in ")
                .containsPattern("Removing intermediate container [0-9a-f]{12}\n ---> " + id + "\n")
                .endsWith("Successfully built " + id + "\nSuccessfully tagged changed-ubuntu:latest\n");
        List<HistoryEntry> history = store.strata.images().history("changed-ubuntu");
        assertThat(history.getFirst().createdBy()).isEqualTo("/bin/sh -c echo \"Hello world\" > /tmp/newfile");
        assertThat(history.getFirst().size()).isEqualTo(12);
        assertThat(history.getFirst().imageId()).contains(first.result().id());
        ImageDetails base = store.strata.images().inspect("busybox");
        ImageDetails built = store.strata.images().inspect("changed-ubuntu");
        assertThat(built.rootFs().layers()).hasSize(base.rootFs().layers().size() + 1)
                .startsWith(base.rootFs().layers().toArray(String[]::new));
        assertThat(store.strata.system().diskUsage().layersSize()).isEqualTo(before + 12);
        assertThat(store.strata.containers().views().list(true, false)).isEmpty();
        assertThat(store.runOutput("changed-ubuntu", "cat", "/tmp/newfile")).isEqualTo("Hello world\n");

        // The cache is in the store: a new process (a new Strata on the same root) hits it.
        Strata other = Strata.open(new StrataOptions(work.resolve("root"), Optional.of("overlay2"), m -> { }, RuntimeOptions.defaults()));
        try (other) {
            BuildStore again = new BuildStore(work, other);
            BuildStore.Outcome cached = again.build(dir, BuildOptions.defaults().withTags("changed-ubuntu"));
            assertThat(cached.result().id()).isEqualTo(first.result().id());
            assertThat(cached.output()).contains(" ---> Using cache\n ---> " + id + "\n").doesNotContain("Running in");
        }

        BuildStore.Outcome fresh = store.build(dir, BuildOptions.defaults().withNoCache(true).withTags("fresh"));
        assertThat(fresh.result().id()).isNotEqualTo(first.result().id());
        assertThat(fresh.output()).contains("Running in").doesNotContain("Using cache");

        // The cache now names the --no-cache build's image; rmi takes that entry with it, so the step runs again.
        store.strata.images().remove("fresh", false, false);
        BuildStore.Outcome rebuilt = store.build(dir, BuildOptions.defaults());
        assertThat(rebuilt.output()).contains("Running in").doesNotContain("Using cache");
    }

    @Test
    void metadataStepsWriteDockersHistoryAndConfig() throws Exception {
        Path dir = store.context("meta", "Dockerfile", """
                FROM busybox
                LABEL org.example.name="strata test" version=1
                ENV PATH=/usr/local/bin:/bin GREETING=hi
                EXPOSE 8080 53/udp
                VOLUME /data
                STOPSIGNAL SIGINT
                ENTRYPOINT ["/bin/sh", "-c"]
                CMD ["/bin/bash"]
                USER nobody
                """);
        BuildStore.Outcome built = store.build(dir, BuildOptions.defaults().withLabels(Map.of("extra", "yes")).withTags("meta"));
        assertThat(built.output()).contains("Step 10/10 : LABEL \"extra\"=\"yes\"");
        List<String> createdBy = store.strata.images().history("meta").stream().map(HistoryEntry::createdBy).toList();
        assertThat(createdBy.subList(0, 10)).containsExactly(
                "/bin/sh -c #(nop)  LABEL extra=yes",
                "/bin/sh -c #(nop)  USER nobody",
                "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]",
                "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\"]",
                "/bin/sh -c #(nop)  STOPSIGNAL SIGINT",
                "/bin/sh -c #(nop)  VOLUME [/data]",
                "/bin/sh -c #(nop)  EXPOSE 53/udp 8080/tcp",
                "/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/bin GREETING=hi",
                "/bin/sh -c #(nop)  LABEL org.example.name=strata test version=1",
                "");
        assertThat(store.strata.images().history("meta").subList(0, 9)).allSatisfy(h -> assertThat(h.size()).isZero());
        ImageDetails details = store.strata.images().inspect("meta");
        assertThat(store.config("meta").labels()).containsEntry("org.example.name", "strata test").containsEntry("extra", "yes");
        assertThat(store.config("meta").env()).contains("PATH=/usr/local/bin:/bin", "GREETING=hi");
        assertThat(store.config("meta").exposedPorts()).containsOnlyKeys("8080/tcp", "53/udp");
        assertThat(store.config("meta").cmd()).containsExactly("/bin/bash");
        assertThat(store.config("meta").entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(store.config("meta").user()).isEqualTo("nobody");
        assertThat(details.rootFs().layers()).isEqualTo(store.strata.images().inspect("busybox").rootFs().layers());
        // Intermediate images are hidden from images, shown by images -a.
        List<ImageSummary> all = store.strata.images().list(true);
        assertThat(all.size()).isGreaterThan(store.strata.images().list(false).size());
    }

    @Test
    void envWorkdirUserAndArgReachRun() throws Exception {
        Path dir = store.context("env", "Dockerfile", """
                FROM busybox
                ARG GREETING=hi
                ENV NAME=world
                WORKDIR /work/sub
                WORKDIR deeper
                USER 65534
                RUN echo "$GREETING $NAME $(pwd) $(id -u)" > /tmp/out.txt
                """);
        BuildStore.Outcome built = store.build(dir, BuildOptions.defaults().withBuildArgs(Map.of("GREETING", "hello")).withTags("env"));
        assertThat(store.runOutput("env", "cat", "/tmp/out.txt")).isEqualTo("hello world /work/sub/deeper 65534\n");
        HistoryEntry run = store.strata.images().history("env").getFirst();
        assertThat(run.createdBy()).isEqualTo("|1 GREETING=hello /bin/sh -c echo \"$GREETING $NAME $(pwd) $(id -u)\" > /tmp/out.txt");
        assertThat(store.strata.images().history("env").get(2).createdBy()).isEqualTo("/bin/sh -c #(nop) WORKDIR /work/sub/deeper");
        assertThat(store.config("env").workingDir()).isEqualTo("/work/sub/deeper");
        assertThat(store.config("env").env()).noneMatch(e -> e.startsWith("GREETING"));

        // Another build arg value is another RUN; the same one is the cache.
        BuildStore.Outcome other = store.build(dir, BuildOptions.defaults().withBuildArgs(Map.of("GREETING", "ahoy")));
        assertThat(other.result().id()).isNotEqualTo(built.result().id());
        BuildStore.Outcome same = store.build(dir, BuildOptions.defaults().withBuildArgs(Map.of("GREETING", "hello")));
        assertThat(same.result().id()).isEqualTo(built.result().id());
    }

    @Test
    void copyWithOwnerModeGlobsIgnoreAndDestinationRules() throws Exception {
        Path dir = store.context("copy", "a.txt", "A", "b.txt", "BB", "sub/c.txt", "CCC", "sub/deep/d.txt", "DDDD",
                "ignored.log", "nope", ".dockerignore", "*.log\n", "Dockerfile", """
                FROM busybox
                RUN mkdir /real && ln -s /real /link && echo old > /existing
                COPY --chown=65534:65534 --chmod=600 *.txt /dest/
                COPY sub /subcontents
                COPY a.txt /renamed.txt
                COPY b.txt /existing
                COPY a.txt /link/
                WORKDIR /app
                COPY . rel/
                COPY <<EOF /inline.txt
                inline body
                EOF
                """);
        store.build(dir, BuildOptions.defaults().withTags("copied"));
        String listing = store.runOutput("copied", "sh", "-c", "cd / && for f in dest/a.txt dest/b.txt subcontents/c.txt "
                + "subcontents/deep/d.txt renamed.txt existing real/a.txt app/rel/a.txt app/rel/sub/c.txt inline.txt; do "
                + "stat -c '%n %u:%g %a %s' $f; done; ls app/rel; cat inline.txt existing");
        assertThat(listing).isEqualTo("""
                dest/a.txt 65534:65534 600 1
                dest/b.txt 65534:65534 600 2
                subcontents/c.txt 0:0 644 3
                subcontents/deep/d.txt 0:0 644 4
                renamed.txt 0:0 644 1
                existing 0:0 644 2
                real/a.txt 0:0 644 1
                app/rel/a.txt 0:0 644 1
                app/rel/sub/c.txt 0:0 644 3
                inline.txt 0:0 644 12
                Dockerfile
                a.txt
                b.txt
                sub
                inline body
                BB""");
        List<HistoryEntry> history = store.strata.images().history("copied");
        assertThat(history.get(7).createdBy()).matches("/bin/sh -c #\\(nop\\) COPY --chown=65534:65534multi:[0-9a-f]{64} in /dest/ ")
                .isNotNull();
        assertThat(history.get(6).createdBy()).matches("/bin/sh -c #\\(nop\\) COPY dir:[0-9a-f]{64} in /subcontents ");
        assertThat(history.get(7).size()).isEqualTo(3);

        // Touching a file keeps the cache; changing its content does not.
        Files.setLastModifiedTime(dir.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(0));
        BuildStore.Outcome touched = store.build(dir, BuildOptions.defaults());
        assertThat(touched.output()).doesNotContain("Running in");
        Files.writeString(dir.resolve("b.txt"), "changed");
        BuildStore.Outcome changed = store.build(dir, BuildOptions.defaults());
        assertThat(changed.output()).containsPattern("Step 3/10 : COPY --chown[^\n]*\n ---> [0-9a-f]{12}\n");
    }

    @Test
    void addExtractsLocalArchivesAndDownloadsUrls() throws Exception {
        Path dir = store.context("add", "tree/x/one.txt", "1", "tree/two.txt", "22", "plain.gz.txt", "not an archive");
        for (String[] t : List.of(new String[] {"-czf", "tree.tar.gz"}, new String[] {"-cJf", "tree.tar.xz"},
                new String[] {"-cjf", "tree.tar.bz2"}, new String[] {"--zstd", "-cf", "tree.tar.zst"})) {
            List<String> cmd = new java.util.ArrayList<>(List.of("tar"));
            cmd.addAll(List.of(t));
            cmd.addAll(List.of("-C", dir.resolve("tree").toString(), "."));
            assertThat(new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start().waitFor()).isZero();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/files/data.txt", exchange -> {
            byte[] body = "downloaded\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/data.txt";
            Files.writeString(dir.resolve("Dockerfile"), """
                    FROM busybox
                    ADD tree.tar.gz /gz/
                    ADD tree.tar.xz /xz
                    ADD tree.tar.bz2 /bz2/
                    ADD tree.tar.zst /zst/
                    ADD plain.gz.txt /plain/
                    ADD %s /downloads/
                    ADD %s /named.txt
                    """.formatted(url, url));
            store.build(dir, BuildOptions.defaults().withTags("added"));
        } finally {
            server.stop(0);
        }
        String out = store.runOutput("added", "sh", "-c", "cat /gz/x/one.txt /xz/two.txt /bz2/x/one.txt /zst/two.txt /plain/plain.gz.txt; "
                + "echo; stat -c '%a %Y' /downloads/data.txt; cat /downloads/data.txt /named.txt");
        assertThat(out).isEqualTo("122122not an archive\n600 1445412480\ndownloaded\ndownloaded\n");
    }

    @Test
    void failingRunReportsItsCodeAndLeavesNothingWithForceRm() throws Exception {
        Path dir = store.context("fail", "Dockerfile", "FROM busybox\nRUN echo to-stdout; echo to-stderr >&2; exit 3\n");
        List<ImageSummary> imagesBefore = store.strata.images().list(true);
        long layersBefore = store.strata.system().diskUsage().layersSize();
        Exception[] failure = new Exception[1];
        String out = store.output(dir, BuildOptions.defaults().withRemove(true, true), failure);
        assertThat(failure[0]).isInstanceOf(BuildFailedException.class)
                .hasMessage("The command '/bin/sh -c echo to-stdout; echo to-stderr >&2; exit 3' returned a non-zero code: 3");
        assertThat(((BuildFailedException) failure[0]).exitCode()).isEqualTo(3);
        assertThat(out).contains("to-stdout\n").contains("to-stderr\n").containsPattern("Removing intermediate container [0-9a-f]{12}");
        assertThat(store.strata.images().list(true)).hasSameSizeAs(imagesBefore);
        assertThat(store.strata.system().diskUsage().layersSize()).isEqualTo(layersBefore);
        assertThat(store.strata.containers().views().list(true, false)).isEmpty();
        // Every driver directory belongs to a layer row: no scratch layer or container layer is left.
        assertThat(store.strata.store().driver().ids()).hasSize((int) store.strata.info().layers());

        // Docker's default keeps the failed step's container (Exited (3)) for a look, and nothing else.
        store.output(dir, BuildOptions.defaults(), failure);
        List<ContainerSummary> kept = store.strata.containers().views().list(true, false);
        assertThat(kept).hasSize(1);
        assertThat(kept.getFirst().state().exitCode()).isEqualTo(3);
        store.strata.containers().remove(kept.getFirst().id(), true, true);
        assertThat(store.strata.images().list(true)).hasSameSizeAs(imagesBefore);
    }

    @Test
    void errorsNameFileLineAndInstruction() throws Exception {
        Path missingBase = store.context("nobase", "Dockerfile", "FROM busybox AS ok\nFROM 127.0.0.1:1/strata/no-such-image:1\nRUN true\n");
        assertThatThrownBy(() -> store.build(missingBase, BuildOptions.defaults()))
                .isInstanceOf(DockerfileException.class)
                .hasMessageStartingWith("Dockerfile:2: base image not found: 127.0.0.1:1/strata/no-such-image:1")
                .satisfies(e -> assertThat(((DockerfileException) e).instruction()).contains("FROM"));
        Path missingSource = store.context("nosource", "Dockerfile", "FROM busybox\n\nCOPY missing.txt /\n");
        assertThatThrownBy(() -> store.build(missingSource, BuildOptions.defaults()))
                .isInstanceOf(DockerfileException.class).hasMessageStartingWith("Dockerfile:3: ")
                .hasMessageContaining("missing.txt");
        Path missingFrom = store.context("nofrom", "Dockerfile", "FROM busybox AS a\nFROM busybox\nCOPY --from=a /nothing /\n");
        assertThatThrownBy(() -> store.build(missingFrom, BuildOptions.defaults()))
                .hasMessage("Dockerfile:3: failed to compute cache key: \"/nothing\": not found in a");
        Path unknown = store.context("unknown", "Dockerfile", "FROM busybox\nFORM x\n");
        assertThatThrownBy(() -> store.build(unknown, BuildOptions.defaults()))
                .hasMessage("Dockerfile:2: unknown instruction: FORM");
        assertThatThrownBy(() -> store.build(unknown, BuildOptions.defaults().withTags("Bad:Tag:x")))
                .hasMessageContaining("Bad:Tag:x");
    }

    @Test
    void targetBuildsOnlyTheStagesItNeedsAndOnbuildTriggersRun() throws Exception {
        Path dir = store.context("stages", "Dockerfile", """
                FROM busybox AS unused
                RUN echo never > /never && exit 1
                FROM busybox AS first
                RUN echo first > /first
                ONBUILD RUN echo triggered > /triggered
                FROM busybox AS second
                COPY --from=first /first /copied
                FROM first AS last
                RUN echo last
                """);
        BuildStore.Outcome second = store.build(dir, BuildOptions.defaults().withTarget("second").withTags("second"));
        assertThat(second.output()).startsWith("Step 1/5 : FROM busybox AS first\n").doesNotContain("never");
        assertThat(store.runOutput("second", "cat", "/copied")).isEqualTo("first\n");
        BuildStore.Outcome last = store.build(dir, BuildOptions.defaults().withTags("last"));
        assertThat(last.output()).doesNotContain("never");

        // The trigger of "first" runs in the stage built FROM it, once: the result does not carry it on.
        assertThat(last.output()).contains("Step 4/5 : FROM first AS last\n ---> ")
                .contains("# Executing 1 build trigger\n ---> Running in ");
        assertThat(store.runOutput("last", "cat", "/triggered")).isEqualTo("triggered\n");
        assertThat(store.config("last").onBuild()).isNullOrEmpty();
    }
}
