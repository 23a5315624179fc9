package dev.strata.cli.command;

import dev.strata.error.StrataException;
import dev.strata.sys.Terminal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;

/**
 * docker's "Are you sure you want to continue? [y/N]" prompt before anything that deletes a user's data; anything
 * but y/yes (or no input) is no. Only a person at a terminal can say yes: when standard input is not a terminal
 * (a script, a pipe, {@code < /dev/null}) nothing is asked and nothing is deleted, and the command fails naming
 * {@code -f}, so a script learns at once that it must say so itself.
 */
final class Confirm {
    private static final int STDIN = 0;

    private Confirm() {
    }

    static boolean ask(PrintWriter out, String warning) throws IOException, StrataException {
        out.println(warning);
        if (!Terminal.isTerminal(STDIN)) {
            out.flush();
            throw new StrataException("nothing was removed: standard input is not a terminal, so nobody can confirm;"
                    + " use -f/--force to remove without a prompt");
        }
        out.print("Are you sure you want to continue? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
}
