package dev.strata.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.engine.image.HistoryEntry;
import dev.strata.engine.image.ImportOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-stage build of a real program: a toolchain stage (the host's gcc, see {@link Toolchain}) compiles a static
 * C program, and a {@code FROM scratch} stage keeps only the binary, which then runs.
 */
class MultiStageBuildTest {
    @TempDir
    Path work;

    @Test
    void compilesInOneStageAndShipsOnlyTheBinary() throws Exception {
        Path toolchain = Toolchain.tarball();
        try (BuildStore store = BuildStore.open(work)) {
            try (InputStream in = Files.newInputStream(toolchain)) {
                store.strata.images().importImage(in, new ImportOptions(Optional.of("toolchain:gcc12"),
                        List.of("ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), Optional.empty(), "-"));
            }
            Path dir = store.context("hello", "hello.c", """
                    #include <stdio.h>
                    int main(void) { printf("Hello from a static binary\\n"); return 0; }
                    """, "Dockerfile", """
                    FROM toolchain:gcc12 AS builder
                    COPY hello.c /src/
                    RUN mkdir -p /out && gcc -static -O2 -o /out/hello /src/hello.c
                    FROM busybox AS unused
                    RUN exit 1
                    FROM scratch
                    COPY --from=builder /out/hello /hello
                    CMD ["/hello"]
                    """);
            BuildStore.Outcome built = store.build(dir, BuildOptions.defaults().withTags("hello"));
            assertThat(built.output()).contains("Step 1/6 : FROM toolchain:gcc12 AS builder")
                    .contains("Step 4/6 : FROM scratch\n ---> \n").doesNotContain("exit 1");
            assertThat(store.strata.images().inspect("hello").rootFs().layers()).hasSize(1);
            List<HistoryEntry> history = store.strata.images().history("hello");
            assertThat(history).extracting(HistoryEntry::createdBy).containsExactly("/bin/sh -c #(nop)  CMD [\"/hello\"]",
                    history.get(1).createdBy());
            assertThat(history.get(1).createdBy()).matches("/bin/sh -c #\\(nop\\) COPY file:[0-9a-f]{64} in /hello ");
            assertThat(history.get(1).size()).isBetween(100_000L, 2_000_000L);
            assertThat(store.runOutput("hello")).isEqualTo("Hello from a static binary\n");
        }
    }
}
