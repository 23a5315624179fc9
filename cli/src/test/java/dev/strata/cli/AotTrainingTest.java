package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AotTrainingTest {
    private static String train(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AotTraining.main(args);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theShortProfileRunsHelpOfEveryCommandAndTheReadOnlyCommandsQuietly() throws Exception {
        int expected = 3 + Main.commandNames().size() + 7 + 8;
        assertThat(train("short")).isEqualTo("AOT training: " + expected + " command lines\n");
    }

    @Test
    void theLongProfileAlsoImportsPushesAndPullsWithoutFailing() throws Exception {
        int expected = 3 + Main.commandNames().size() + 7 + 8 + 1 + 6 + 2; // the long profile adds a commit, push and pull, two builds
        assertThat(train("long")).isEqualTo("AOT training: " + expected + " command lines\n");
    }
}
