package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volume inspect} and {@code container inspect} with several names: what is found, then an error for the rest. */
class InspectCommandsTest {
    @TempDir
    Path root;

    private InProcess strata(String... args) {
        return InProcess.at(root, args);
    }

    @Test
    void foundNamesArePrintedAndMissingOnesFailTheCommand() {
        assertThat(strata("-s", "vfs", "volume", "create", "v1").status()).isZero();
        InProcess both = strata("volume", "inspect", "v1", "nope");
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.out()).startsWith("[\n    {\n").contains("\"Name\": \"v1\"", "\"Driver\": \"local\"", "\"Scope\": \"local\"");
        assertThat(both.err()).contains("no such volume: nope");
        assertThat(strata("volume", "inspect", "v1").status()).isZero();

        InProcess none = strata("container", "inspect", "nope", "gone");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.out()).isEqualTo("[]\n");
        assertThat(none.err()).contains("No such container: nope").contains("No such container: gone");
    }
}
