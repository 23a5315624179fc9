package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Help and version need no store: every command answers -h/--help like Docker's, with no unresolved ${...}. */
class HelpTest {
    private record Result(int status, String out, String err) {}

    private static Result strata(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void topLevelHelpListsCommandsAndOptions() {
        Result r = strata("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: strata", "-h, --help", "-V, --version", "images", "volume").doesNotContain("${");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : Main.commandNames()) {
            if (command.equals("help")) {
                continue;
            }
            Result r = strata(command, "--help");
            assertThat(r.status()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: strata " + command).doesNotContain("${");
        }
        assertThat(strata("images", "-h").out()).contains("Usage: strata images");
        assertThat(strata("volume", "ls", "--help").out()).contains("Usage: strata volume ls");
    }

    @Test
    void versionWithoutAStore() {
        for (String flag : new String[] {"--version", "-V"}) {
            Result r = strata(flag);
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("strata ");
        }
    }
}
