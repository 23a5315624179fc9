package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AotTrainingTest {
    @Test
    void runsHelpOfEveryCommandAndTheReadOnlyCommandsQuietly() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AotTraining.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        int expected = 3 + Main.commandNames().size() + 7 + 7;
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("AOT training: " + expected + " command lines\n");
    }
}
