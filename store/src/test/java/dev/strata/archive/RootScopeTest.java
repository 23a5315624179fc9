package dev.strata.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.sys.Linux;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths resolved as a process chrooted into the tree would resolve them, never leaving the tree. */
class RootScopeTest {
    @TempDir
    Path dir;
    Path root;
    Path outside;

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "container");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../.."));
        Files.createSymbolicLink(root.resolve("etc/x"), Path.of("/host-secret"));
        Files.createSymbolicLink(root.resolve("etc/out"), outside.resolve("secret")); // absolute host path
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(root.resolve("empty-target"), Path.of("nowhere/deeper"));
    }

    @Test
    void symlinksAreFollowedInsideTheRoot() throws Exception {
        try (RootScope scope = RootScope.open(root)) {
            assertThat(scope.resolve("/lib", true)).isEqualTo(new RootScope.Resolved("usr/lib", Linux.S_IFDIR));
            assertThat(scope.resolve("lib", false)).isEqualTo(new RootScope.Resolved("lib", Linux.S_IFLNK));
            assertThat(scope.resolve("/abs/passwd", false).rel()).isEqualTo("etc/passwd");
            // ".." and relative targets stop at the root.
            assertThat(scope.resolve("/up/etc/passwd", false)).isEqualTo(new RootScope.Resolved("etc/passwd", Linux.S_IFREG));
            assertThat(scope.resolve("/../../etc/../etc/passwd", false).rel()).isEqualTo("etc/passwd");
            assertThat(scope.resolve("/up", true).rel()).isEmpty();
            // An absolute target is a path in the tree: missing there, whatever the host has.
            RootScope.Resolved x = scope.resolve("/etc/x", true);
            assertThat(x.rel()).isEqualTo("host-secret");
            assertThat(x.exists()).isFalse();
            String hostTop = "/" + outside.getRoot().relativize(outside).getName(0);
            assertThatThrownBy(() -> scope.resolve("/etc/out", true)).isInstanceOf(NoSuchFileException.class).hasMessage(hostTop);
            assertThat(scope.resolve("/etc/out", false).isSymlink()).isTrue();
        }
    }

    @Test
    void errorsNameThePathInTheTree() throws Exception {
        try (RootScope scope = RootScope.open(root)) {
            assertThatThrownBy(() -> scope.resolve("/nope/x", false)).isInstanceOf(NoSuchFileException.class).hasMessage("/nope");
            assertThatThrownBy(() -> scope.resolve("/etc/passwd/x", false)).isInstanceOf(NotDirectoryException.class)
                    .hasMessage("/etc/passwd");
            assertThatThrownBy(() -> scope.resolve("/loop", true)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("too many levels of symbolic links");
            assertThat(scope.resolve("/loop", false).isSymlink()).isTrue();
            assertThatThrownBy(() -> scope.resolve("/empty-target", true)).isInstanceOf(NoSuchFileException.class)
                    .hasMessage("/nowhere");
        }
    }

    @Test
    void openDirectoryNeverFollowsASymlink() throws Exception {
        try (RootScope scope = RootScope.open(root)) {
            try (RootScope.Dir d = scope.openDirectory("usr/lib")) {
                Files.writeString(d.path().resolve("f"), "x");
            }
            assertThat(root.resolve("usr/lib/f")).hasContent("x");
            assertThatThrownBy(() -> scope.openDirectory("lib")).isInstanceOf(NotDirectoryException.class);
            assertThatThrownBy(() -> scope.openDirectory("up")).isInstanceOf(NotDirectoryException.class);
            assertThatThrownBy(() -> scope.openDirectory("missing")).isInstanceOf(NoSuchFileException.class);
        }
    }
}
