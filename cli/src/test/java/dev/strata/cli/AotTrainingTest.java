package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AotTrainingTest {
    @Test
    void walksTheCommandTreeQuietlyAndRestoresTheStreams() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AotTraining.main(new String[0]);
            assertThat(System.err).isSameAs(err);
        } finally {
            System.setOut(out);
        }
        // --help, --version and a bad option at least; one more per subcommand
        assertThat(captured.toString(StandardCharsets.UTF_8)).matches("AOT training: ([3-9]|\\d{2,}) command lines\\R");
    }
}
