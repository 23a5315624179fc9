package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelpersTest {
    @Test
    void readsSubcommandsFromPicocliUsage() {
        String usage = """
                Usage: strata [-hV] [--root=<root>] [COMMAND]
                Container image and storage engine.
                      --root=<root>   store root
                  -h, --help          Show this help message and exit.
                Commands:
                  import  Import a rootfs tarball as an image.
                  images, ls
                          List images.
                  rmi     Remove images.
                """;
        assertThat(StrataTool.parseCommands(usage)).containsExactly("import", "images", "rmi");
        assertThat(StrataTool.parseCommands("Usage: strata [-hV]\n")).isEmpty();
    }

    @Test
    void stratasCommandLinesCarryTheRoot() {
        StrataCli cli = new StrataCli(Path.of("/repo/strata"), Path.of("/w/root"));
        assertThat(cli.importTar(Path.of("/c/d.tar"), "bench:debian"))
                .containsExactly("/repo/strata", "--root", "/w/root", "import", "/c/d.tar", "bench:debian");
        assertThat(cli.images()).containsExactly("/repo/strata", "--root", "/w/root", "images");
    }

    @Test
    void vfsRowsAddTheDriverAndShellQuotingSurvivesQuotes() {
        StrataCli vfs = new StrataCli(Path.of("/repo/strata"), Path.of("/w/root"), java.util.Optional.of("vfs"));
        assertThat(vfs.create(java.util.Optional.empty(), "bench:base", "true")).containsExactly("/repo/strata",
                "--root", "/w/root", "--storage-driver", "vfs", "create", "bench:base", "true");
        assertThat(Operations.shellQuote(List.of("sh", "-c", "echo 'hi' > /tmp/x"))).isEqualTo(
                "'sh' '-c' 'echo '\\''hi'\\'' > /tmp/x'");
    }

    @Test
    void countsSyncCallsInStraceOutput(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("strace.txt");
        Files.writeString(out, """
                1234  fsync(5</var/lib/x/blob>) = 0
                1234  fdatasync(7 <unfinished ...>
                1235  syncfs(9) = 0
                1234  <... fdatasync resumed>) = 0
                1236  +++ exited with 0 +++
                fsync(3) = 0
                """);
        assertThat(Strace.count(out)).containsExactly(java.util.Map.entry("fdatasync", 1), java.util.Map.entry("fsync", 2),
                java.util.Map.entry("syncfs", 1));
        assertThat(Strace.describe(Strace.count(out))).isEqualTo("fdatasync 1, fsync 2, syncfs 1");
    }

    @Test
    void everyOperationHasACommandForEveryToolAndVariant(@TempDir Path tmp) {
        Inputs in = Inputs.locate(tmp, true);
        List<Operation> ops = Operations.all(in, Scale.SMOKE);
        assertThat(ops).extracting(Operation::name).contains("import", "create", "create-3", "commit", "save", "load",
                "run-rm", "build-hello-cold", "build-10-cached", "pull-cold", "push-warm", "write-volume-16m");
        assertThat(ops).extracting(Operation::name).doesNotHaveDuplicates();
        assertThat(ops.stream().filter(op -> op.tools().contains("strata-vfs"))).extracting(Operation::name)
                .containsExactly("create-3");
    }

    @Test
    void unescapesMountinfoPaths() {
        assertThat(Mounts.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(Mounts.unescape("/plain")).isEqualTo("/plain");
    }

    @Test
    void quotesJson() {
        assertThat(Report.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void tellsADynamicallyLinkedElfFromAStaticOne() throws Exception {
        // the JVM's launcher needs ld.so; busybox-static (on the bench machines) does not
        assertThat(Packages.isStatic(Path.of(ProcessHandle.current().info().command().orElseThrow()))).isFalse();
        Path busybox = Path.of("/bin/busybox");
        if (Files.exists(busybox) && Files.exists(Path.of("/var/lib/dpkg/info/busybox-static.list"))) {
            assertThat(Packages.isStatic(busybox)).isTrue();
        }
    }

    @Test
    void contextIsDeterministicAndExactlySized(@TempDir Path tmp) throws Exception {
        long size = 3L * 1024 * 1024 + 17;
        ContextGenerator.Summary a = ContextGenerator.generate(tmp.resolve("a"), 7, size);
        ContextGenerator.Summary b = ContextGenerator.generate(tmp.resolve("b"), 7, size);
        assertThat(a).isEqualTo(b);
        assertThat(a.bytes()).isEqualTo(size);
        assertThat(Inputs.treeSize(tmp.resolve("a"))[1]).isEqualTo(size);
        List<Path> filesA = list(tmp.resolve("a"));
        assertThat(filesA).isEqualTo(list(tmp.resolve("b")));
        for (Path rel : filesA) {
            assertThat(Arrays.equals(Files.readAllBytes(tmp.resolve("a").resolve(rel)),
                    Files.readAllBytes(tmp.resolve("b").resolve(rel)))).as(rel.toString()).isTrue();
        }
        assertThat(filesA).contains(Path.of("Dockerfile"));
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    @Test
    void theDebianMirrorComesFromTheMachinesAptSources(@TempDir Path dir) throws Exception {
        Path list = Files.writeString(dir.resolve("sources.list"), """
                # deb http://apt.example.invalid/old bookworm main
                deb [arch=amd64] http://apt.example.invalid/debian-security bookworm-security main
                deb http://apt.example.invalid/debian bookworm main contrib
                """);
        assertThat(AptSources.mirror(List.of(list), "bookworm")).contains("http://apt.example.invalid/debian");
        Path sources = Files.writeString(dir.resolve("debian.sources"), """
                Types: deb-src
                URIs: http://src.example.invalid/debian
                Suites: bookworm

                Types: deb
                # a comment
                URIs: http://apt.example.invalid/deb822
                Suites: bookworm bookworm-updates
                Components: main
                """);
        assertThat(AptSources.mirror(List.of(sources), "bookworm")).contains("http://apt.example.invalid/deb822");
        assertThat(AptSources.mirror(List.of(sources, list), "trixie")).isEmpty();
    }
}
