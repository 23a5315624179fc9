package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata build} as a user runs it: separate processes, contexts from a directory and from stdin, exit codes. */
class BuildCommandTest {
    @TempDir
    static Path work;
    static Path root;

    @BeforeAll
    static void importBusybox() throws Exception {
        root = StrataProcess.storeWithBusybox(work);
    }

    /** Runs {@code strata build ...} with {@code stdin} on its standard input. */
    private static StrataProcess.Result build(byte[] stdin, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "build";
        System.arraycopy(args, 0, all, 1, args.length);
        Process p = StrataProcess.builder(root, all).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new StrataProcess.Result(p.waitFor(), output);
    }

    @Test
    void directoryContextPrintsDockersClassicOutputAndQuietPrintsTheId() throws Exception {
        Path ctx = Files.createDirectories(work.resolve("ctx"));
        Files.writeString(ctx.resolve("build.Dockerfile"), "FROM busybox\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n");
        Files.writeString(ctx.resolve("hello.txt"), "hi\n");
        StrataProcess.Result r = build(new byte[0], "-t", "hello:1", "-t", "registry.example/hello", "-f", "build.Dockerfile",
                ctx.toString());
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("Sending build context to Docker daemon  ")
                .contains("\nStep 1/3 : FROM busybox\n ---> ").contains("\nStep 2/3 : COPY hello.txt /\n ---> ")
                .containsPattern("Successfully built [0-9a-f]{12}\nSuccessfully tagged hello:1\n"
                        + "Successfully tagged registry.example/hello:latest\n$");
        StrataProcess.Result quiet = build(new byte[0], "-q", "-f", "build.Dockerfile", ctx.toString());
        assertThat(quiet.output()).matches("sha256:[0-9a-f]{64}\n");
        StrataProcess.Result run = StrataProcess.run(root, "run", "--rm", "hello:1");
        assertThat(run.output()).isEqualTo("hi\n");
    }

    @Test
    void stdinTakesADockerfileOrATarAndFailuresExitWithTheirCode() throws Exception {
        StrataProcess.Result dockerfile = build("FROM busybox\nLABEL from=stdin\n".getBytes(StandardCharsets.UTF_8), "-q", "-");
        assertThat(dockerfile.status()).as(dockerfile.output()).isZero();
        assertThat(dockerfile.output()).matches("sha256:[0-9a-f]{64}\n");

        Path ctx = Files.createDirectories(work.resolve("tarctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nCOPY data /data\n");
        Files.writeString(ctx.resolve("data"), "from the tar\n");
        Path tar = work.resolve("ctx.tar.gz");
        assertThat(new ProcessBuilder("tar", "-czf", tar.toString(), "-C", ctx.toString(), ".").start().waitFor()).isZero();
        StrataProcess.Result fromTar = build(Files.readAllBytes(tar), "-t", "fromtar", "-");
        assertThat(fromTar.status()).as(fromTar.output()).isZero();
        assertThat(StrataProcess.run(root, "run", "--rm", "fromtar", "cat", "/data").output()).isEqualTo("from the tar\n");

        StrataProcess.Result failed = build("FROM busybox\nRUN echo about to fail; exit 3\n".getBytes(StandardCharsets.UTF_8),
                "--force-rm", "-");
        assertThat(failed.status()).isEqualTo(3);
        assertThat(failed.output()).contains("about to fail\n")
                .endsWith("The command '/bin/sh -c echo about to fail; exit 3' returned a non-zero code: 3\n");
        // A build ended by SIGTERM (as by Ctrl-C) takes its running build container with it.
        Process slow = StrataProcess.builder(root, "build", "-").redirectErrorStream(true).start();
        try (OutputStream in = slow.getOutputStream()) {
            in.write("FROM busybox\nRUN echo started; sleep 60\n".getBytes(StandardCharsets.UTF_8));
        }
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.equals("started")) {
            // until the RUN step runs
        }
        assertThat(line).isEqualTo("started");
        slow.destroy();
        assertThat(slow.waitFor()).isNotZero();
        // (the next command may first sweep what the interrupted build left: a line on stderr)
        assertThat(StrataProcess.run(root, "ps", "-a", "-q").output()).doesNotContainPattern("(?m)^[0-9a-f]{12}$");

        StrataProcess.Result bad = build("FROM busybox\nCOPY nothing-here /\n".getBytes(StandardCharsets.UTF_8), "-");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.output()).contains("Error: Dockerfile:2: ");
        assertThat(StrataProcess.run(root, "ps", "-a", "-q").output()).isEmpty();
    }
}
