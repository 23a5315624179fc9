package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.testing.TarFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata cp} as a user runs it: tar streams on stdin and stdout, host paths, and Docker's errors. */
class CpCommandTest {
    @TempDir
    Path work;

    /** Runs the CLI with {@code stdin}; returns exit status, stdout bytes and stderr. */
    static Run run(Path root, byte[] stdin, String... args) throws Exception {
        Process p = StrataProcess.builder(root, args).redirectError(ProcessBuilder.Redirect.PIPE).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the process may exit without reading it all
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> {
            try (InputStream e = p.getErrorStream()) {
                e.transferTo(err);
            } catch (IOException ignored) {
                // what was read is reported
            }
        });
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        errReader.join();
        feeder.join();
        return new Run(p.waitFor(), out, err.toString(StandardCharsets.UTF_8));
    }

    record Run(int status, byte[] stdout, String stderr) {
    }

    @Test
    void tarStreamsBothWaysAndDockersErrors() throws Exception {
        Path root = work.resolve("root");
        Path image = TarFixtures.rootfs(work, "cp");
        assertThat(StrataProcess.run(root, "import", image.toString(), "base:1", "-c", "CMD [\"/bin/sh\"]").status()).isZero();
        assertThat(StrataProcess.run(root, "create", "--name", "box", "base:1").status()).isZero();

        Path src = TarFixtures.tree(work.resolve("src"), Map.of("in/a.txt", "from stdin\n"));
        byte[] tar = Files.readAllBytes(TarFixtures.tar(src, work.resolve("in.tar")));
        Run in = run(root, tar, "cp", "-", "box:/tmp");
        assertThat(in.status()).as(in.stderr()).isZero();

        Run out = run(root, new byte[0], "cp", "box:/tmp/in/a.txt", "-");
        assertThat(out.status()).as(out.stderr()).isZero();
        Path got = Files.createDirectories(work.resolve("got"));
        Files.write(work.resolve("out.tar"), out.stdout());
        TarFixtures.run(List.of("tar", "-C", got.toString(), "-xf", work.resolve("out.tar").toString()));
        assertThat(got.resolve("a.txt")).hasContent("from stdin");

        StrataProcess.Result host = StrataProcess.run(root, "container", "cp", "box:/tmp/in", work.resolve("copied").toString());
        assertThat(host.status()).as(host.output()).isZero();
        assertThat(work.resolve("copied/a.txt")).hasContent("from stdin");
        assertThat(StrataProcess.run(root, "diff", "box").output()).isEqualTo("C /tmp\nA /tmp/in\nA /tmp/in/a.txt\n");

        StrataProcess.Result r = StrataProcess.run(root, "cp", "a", "b");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).isEqualTo("Error: must specify at least one container source\n");
        r = StrataProcess.run(root, "cp", "box:/a", "box:/b");
        assertThat(r.output()).isEqualTo("Error: copying between containers is not supported\n");
        r = StrataProcess.run(root, "cp", "box:/nope", work.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).isEqualTo("Error: Could not find the file /nope in container box\n");
        r = StrataProcess.run(root, "cp", "box:/tmp");
        assertThat(r.status()).as("a missing argument").isEqualTo(2);
    }
}
