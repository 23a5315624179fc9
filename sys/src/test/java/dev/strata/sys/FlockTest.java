package dev.strata.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlockTest {
    @TempDir
    Path dir;

    @Test
    void sharedLocksExcludeExclusiveEvenInOneProcess() throws Exception {
        Path file = dir.resolve("lock");
        try (Flock a = Flock.shared(file); Flock b = Flock.shared(file)) {
            assertThat(Flock.tryExclusive(file)).isEmpty();
        }
        Optional<Flock> ex = Flock.tryExclusive(file);
        assertThat(ex).isPresent();
        try (Flock held = ex.get()) {
            assertThat(Flock.tryExclusive(file)).isEmpty();
        }
        try (Flock again = Flock.tryExclusive(file).orElseThrow()) {
            assertThat(again.path()).isEqualTo(file);
        }
    }
}
