package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Help and version need no store: every command answers -h/--help like Docker's, with no unresolved ${...}. */
class HelpTest {

    private static InProcess strata(String... args) {
        return InProcess.run(args);
    }

    @Test
    void topLevelHelpListsCommandsAndOptions() {
        InProcess r = strata("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: strata", "-h, --help", "-V, --version", "images", "volume").doesNotContain("${");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : Main.commandNames()) {
            if (command.equals("help")) {
                continue;
            }
            InProcess r = strata(command, "--help");
            assertThat(r.status()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: strata " + command).doesNotContain("${");
        }
        assertThat(strata("images", "-h").out()).contains("Usage: strata images");
        assertThat(strata("volume", "ls", "--help").out()).contains("Usage: strata volume ls");
    }

    @Test
    void versionWithoutAStore() {
        for (String flag : new String[] {"--version", "-V"}) {
            InProcess r = strata(flag);
            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("strata ");
        }
    }
}
