package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.archive.ApplyOptions;
import dev.strata.archive.TarWriter;
import dev.strata.digest.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    static final String DOCKERFILE = "FROM busybox\nRUN echo \"Hello world\" > /tmp/newfile\n";
    static final long EOF_BLOCKS = 1024;

    @TempDir
    Path dir;

    Path write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    static List<String> paths(BuildContext c) {
        return c.entries().stream().map(BuildContext.Entry::path).toList();
    }

    static Instruction.Copy copy(String line) throws DockerfileException {
        Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\n" + line + "\n");
        StageScope scope = BuildArgs.of(Map.of()).withMetaArgs(df).newStage(List.of());
        return (Instruction.Copy) scope.expand(df.stages().getFirst().instructions().getFirst());
    }

    @Test
    void theClassicExampleSends2048Bytes() throws Exception {
        write("Dockerfile", DOCKERFILE);
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            assertThat(c.size()).isEqualTo(2048); // "Sending build context to Docker daemon  2.048kB"
            assertThat(c.dockerfileName()).isEqualTo("Dockerfile");
            assertThat(new String(c.dockerfile(), StandardCharsets.UTF_8)).isEqualTo(DOCKERFILE);
            assertThat(paths(c)).containsExactly("Dockerfile");
        }
    }

    @Test
    void sizeCountsHeadersPaddingDirectoriesLinksAndLongNames() throws Exception {
        write("Dockerfile", DOCKERFILE);
        write("src/main.c", "x".repeat(513)); // two blocks of content
        Path target = write("data/big", "y".repeat(10));
        Files.createLink(dir.resolve("data/hardlink"), target); // a link: header only
        Files.createSymbolicLink(dir.resolve("link"), Path.of("src/main.c"));
        String splittable = "d".repeat(60) + "/" + "f".repeat(60); // 121 bytes: ustar prefix + name
        write(splittable, "");
        String unsplittable = "g".repeat(120); // one element longer than 100: a PAX header
        write(unsplittable, "");
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            long headers = 512L * 10; // Dockerfile, data/, data/big, data/hardlink, dddd/, dddd/ffff, gggg, link, src/, src/main.c
            long content = 512 + 512 * 2 + 512; // Dockerfile, main.c, big
            long paxRecord = ContextSize.recordLength("path", unsplittable);
            assertThat(paxRecord).isEqualTo(130); // "130 path=ggg...\n"
            long pax = 512 + 512;
            assertThat(c.size()).isEqualTo(headers + content + pax + EOF_BLOCKS);
            assertThat(ContextSize.header("d".repeat(99) + "/", "", 0, 0)).isEqualTo(512);
            assertThat(ContextSize.header("é", "", 0, 0)).isEqualTo(512 * 3);
            assertThat(ContextSize.header("a", "", 0, -1)).isEqualTo(512 * 3);
        }
    }

    @Test
    void dockerignoreExcludesButTheBuildFilesAreStillSent() throws Exception {
        write("Dockerfile", DOCKERFILE);
        write(".dockerignore", "Dockerfile\n.dockerignore\n*.log\nlogs\n!logs/keep\nsecret/\n");
        write("app.js", "js");
        write("debug.log", "log");
        write("logs/drop", "d");
        write("logs/keep", "k");
        write("secret/key", "k");
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            assertThat(paths(c)).containsExactly("app.js", "logs", "logs/keep");
            BuildContext.Entry logs = c.entry("logs").orElseThrow();
            assertThat(logs.isDirectory()).isTrue();
            // Sent: .dockerignore, Dockerfile, app.js and logs/keep (not the logs directory itself).
            assertThat(c.size()).isEqualTo(4 * 512 + 4 * 512 + EOF_BLOCKS);
            assertThat(c.dockerIgnore().excludes("debug.log")).isTrue();
        }
    }

    @Test
    void dockerfileElsewhereOrOnStdin() throws Exception {
        write("app.js", "js");
        Path outside = Files.createTempDirectory(dir.getParent(), "df").resolve("build.Dockerfile");
        Files.writeString(outside, DOCKERFILE);
        try (BuildContext c = BuildContext.fromDirectory(dir.resolve("."), Optional.of(outside))) {
            assertThat(c.dockerfileName()).isEqualTo("build.Dockerfile");
            assertThat(paths(c)).containsExactly("app.js");
            // app.js, .dockerfile.<20 hex>, and a .dockerignore naming it
            assertThat(c.size()).isEqualTo(3 * 512 + 3 * 512 + EOF_BLOCKS);
        }
        try (BuildContext c = BuildContext.fromDirectory(dir, DOCKERFILE.getBytes(StandardCharsets.UTF_8))) {
            assertThat(c.dockerfileName()).isEqualTo("Dockerfile");
            assertThat(c.size()).isEqualTo(3 * 512 + 3 * 512 + EOF_BLOCKS);
        }
        assertThatThrownBy(() -> BuildContext.fromDirectory(dir, Optional.empty()))
                .hasMessage("Cannot locate specified Dockerfile: Dockerfile");
        write("dockerfile", DOCKERFILE);
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            assertThat(c.dockerfileName()).isEqualTo("dockerfile");
        }
    }

    @Test
    void aLoneDockerfileOnStdin() throws Exception {
        Path scratch = dir.resolve("scratch");
        try (BuildContext c = BuildContext.dockerfileOnly(DOCKERFILE.getBytes(StandardCharsets.UTF_8), scratch)) {
            assertThat(c.size()).isEqualTo(2048);
            assertThat(paths(c)).containsExactly("Dockerfile");
        }
        assertThat(scratch).doesNotExist();
        assertThat(BuildContext.isArchive(DOCKERFILE.getBytes(StandardCharsets.UTF_8), DOCKERFILE.length())).isFalse();
    }

    static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
            byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
            w.writeHeader(new TarWriter.Header(f.getKey(), (byte) '0', 0644, 0, 0, data.length, 0, "", 0, 0, new TreeMap<>()));
            out.write(data);
            w.pad(data.length);
        }
        w.finish();
        return out.toByteArray();
    }

    @Test
    void aTarOnStdinPlainOrGzipped() throws Exception {
        byte[] tar = tar(Map.of("Dockerfile", DOCKERFILE, "src/a.txt", "a", ".dockerignore", "*.tmp\n", "x.tmp", "t"));
        assertThat(BuildContext.isArchive(tar, 512)).isTrue();
        try (BuildContext c = BuildContext.fromTar(new ByteArrayInputStream(tar), Optional.empty(), dir.resolve("t1"))) {
            assertThat(c.size()).isEqualTo(tar.length);
            assertThat(paths(c)).containsExactly(".dockerignore", "Dockerfile", "src", "src/a.txt");
            assertThat(new String(c.dockerfile(), StandardCharsets.UTF_8)).isEqualTo(DOCKERFILE);
        }
        assertThat(dir.resolve("t1")).doesNotExist();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(tar);
        }
        byte[] gzipped = gz.toByteArray();
        assertThat(BuildContext.isArchive(gzipped, 2)).isTrue();
        try (BuildContext c = BuildContext.fromTar(new ByteArrayInputStream(gzipped), Optional.of("Dockerfile"), dir.resolve("t2"))) {
            assertThat(c.size()).isEqualTo(gzipped.length);
            assertThat(c.entry("src/a.txt")).isPresent();
        }
        assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(tar), Optional.of("other"), dir.resolve("t3")))
                .hasMessage("Cannot locate specified Dockerfile: other");
    }

    @Test
    void copySourcesResolveLikeDocker() throws Exception {
        write("Dockerfile", DOCKERFILE);
        write(".dockerignore", "*.secret\n");
        write("a.txt", "a");
        write("b.txt", "b");
        write("pw.secret", "s");
        write("src/main.go", "package main");
        write("src/util/u.go", "package util");
        Files.createSymbolicLink(dir.resolve("latest"), Path.of("src"));
        Files.createSymbolicLink(dir.resolve("escape"), Path.of("../../etc"));
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            BuildContext.CopyInputs glob = c.inputs(copy("COPY *.txt /dst/"));
            assertThat(glob.matches()).extracting(BuildContext.Match::name).containsExactly("a.txt", "b.txt");

            BuildContext.CopyInputs dirSource = c.inputs(copy("COPY ./src /app"));
            BuildContext.Match m = dirSource.matches().getFirst();
            assertThat(m.root().path()).isEqualTo("src");
            assertThat(m.contents()).extracting(BuildContext.Entry::path)
                    .containsExactly("src/main.go", "src/util", "src/util/u.go");

            // A symlink source is followed inside the context and keeps its own name.
            BuildContext.Match link = c.inputs(copy("COPY latest/main.go /x")).matches().getFirst();
            assertThat(link.name()).isEqualTo("latest/main.go");
            assertThat(link.root().path()).isEqualTo("src/main.go");
            // ".." stops at the context root.
            assertThat(c.inputs(copy("COPY ../../a.txt /x")).matches().getFirst().root().path()).isEqualTo("a.txt");
            assertThat(c.inputs(copy("COPY src/*/u.go /x")).matches().getFirst().root().path()).isEqualTo("src/util/u.go");
            assertThat(c.inputs(copy("COPY . /all/")).matches().getFirst().contents()).extracting(BuildContext.Entry::path)
                    .contains("Dockerfile", ".dockerignore", "a.txt", "src/util/u.go").doesNotContain("pw.secret");

            assertThatThrownBy(() -> c.inputs(copy("COPY pw.secret /x")))
                    .hasMessage("Dockerfile:2: failed to compute cache key: \"/pw.secret\": not found");
            assertThatThrownBy(() -> c.inputs(copy("COPY missing*.txt /x")))
                    .hasMessage("Dockerfile:2: failed to compute cache key: \"/missing*.txt\": not found");
            assertThatThrownBy(() -> c.inputs(copy("COPY escape/passwd /x")))
                    .hasMessage("Dockerfile:2: failed to compute cache key: \"/escape/passwd\": not found");
            assertThatThrownBy(() -> c.inputs(copy("COPY a.txt b.txt /x")))
                    .hasMessage("Dockerfile:2: When using COPY with more than one source file, the destination must be a directory and end with a /");
            assertThat(c.inputs(copy("COPY a.txt b.txt .")).matches()).hasSize(2);
            assertThatThrownBy(() -> c.inputs(copy("COPY --from=build a /x"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void cacheKeyIgnoresMtimesButNotContentModeOrOwner() throws Exception {
        write("Dockerfile", DOCKERFILE);
        Path file = write("app/main.go", "package main\n");
        write("app/go.mod", "module x\n");
        ApplyOptions.Owner root = ApplyOptions.Owner.ROOT;
        Instruction.Copy instruction = copy("COPY app /src/");
        Digest first = key(instruction, root);
        assertThat(key(instruction, root)).isEqualTo(first);

        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        assertThat(key(instruction, root)).as("mtime").isEqualTo(first);

        assertThat(key(instruction, new ApplyOptions.Owner(1000, 1000))).as("chown").isNotEqualTo(first);
        assertThat(key(copy("COPY --chmod=600 app /src/"), root)).as("chmod").isNotEqualTo(first);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        Digest executable = key(instruction, root);
        assertThat(executable).as("mode").isNotEqualTo(first);

        Files.writeString(file, "package mainX");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(key(instruction, root)).as("a changed byte").isNotEqualTo(executable);

        assertThat(key(copy("COPY <<EOF /x\nhi\nEOF"), root)).isNotEqualTo(key(copy("COPY <<EOF /x\nho\nEOF"), root));
        assertThatThrownBy(() -> key(copy("COPY --chmod=u+x app /src/"), root))
                .hasMessage("Dockerfile:2: invalid chmod parameter: u+x (want an octal mode such as 755)");
    }

    Digest key(Instruction.Copy instruction, ApplyOptions.Owner owner) throws Exception {
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            return c.cacheKey(c.inputs(instruction), owner);
        }
    }

    @Test
    void addSplitsUrlsFromLocalSourcesAndSeesArchives() throws Exception {
        write("Dockerfile", DOCKERFILE);
        Files.write(dir.resolve("rootfs.tar"), tar(Map.of("etc/hostname", "box\n")));
        try (BuildContext c = BuildContext.fromDirectory(dir, Optional.empty())) {
            Dockerfile df = DockerfileParser.parse("Dockerfile", "FROM a\nADD rootfs.tar https://example.com/f /\n");
            Instruction add = BuildArgs.of(Map.of()).withMetaArgs(df).newStage(List.of())
                    .expand(df.stages().getFirst().instructions().getFirst());
            BuildContext.CopyInputs in = c.inputs(add);
            assertThat(in.urls()).containsExactly("https://example.com/f");
            assertThat(in.matches()).hasSize(1);
            assertThat(c.isArchive(in.matches().getFirst().root())).isTrue();
            assertThat(c.isArchive(c.entry("Dockerfile").orElseThrow())).isFalse();
        }
    }
}
