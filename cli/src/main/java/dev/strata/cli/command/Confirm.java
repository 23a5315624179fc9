package dev.strata.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;

/** docker's "Are you sure you want to continue? [y/N]" prompt; anything but y/yes (or no input) is no. */
final class Confirm {
    private Confirm() {
    }

    static boolean ask(PrintWriter out, String warning) throws IOException {
        out.println(warning);
        out.print("Are you sure you want to continue? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
}
