package dev.strata.cli;

import dev.strata.cli.format.Table;
import dev.strata.cli.format.Units;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run for the JVM's AOT cache ({@code -XX:AOTCacheOutput}), started by the {@code ./strata}
 * launcher after each build. It walks the command tree and does what a short CLI invocation does: parse
 * arguments and print help for the root and for every subcommand, reject a bad option, parse references
 * and format a table. It only parses and prints (to nowhere): no command runs, so no store is opened and
 * nothing is written. New subcommands are found through picocli, so it needs no change when commands are added.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        System.setOut(nowhere);
        System.setErr(nowhere);
        int invocations = 0;
        try {
            List<List<String>> commandLines = new ArrayList<>();
            commandLines.add(List.of("--help"));
            commandLines.add(List.of("--version"));
            commandLines.add(List.of("--no-such-option"));
            collectHelp(newCommandLine(), new ArrayList<>(), commandLines);
            for (List<String> commandLine : commandLines) {
                parseAndHelp(commandLine.toArray(String[]::new));
                invocations++;
            }
            formatting();
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        realOut.println("AOT training: " + invocations + " command lines");
    }

    private static CommandLine newCommandLine() {
        return new CommandLine(new Main());
    }

    private static void collectHelp(CommandLine command, List<String> path, List<List<String>> out) {
        for (var entry : command.getSubcommands().entrySet()) {
            CommandLine sub = entry.getValue();
            if (!sub.getCommandName().equals(entry.getKey())) {
                continue; // an alias
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(entry.getKey());
            List<String> help = new ArrayList<>(subPath);
            help.add("--help");
            out.add(help);
            collectHelp(sub, subPath, out);
        }
    }

    /** Parses like an invocation would and prints the help it asks for, but never runs a command. */
    private static void parseAndHelp(String[] args) {
        CommandLine commandLine = newCommandLine();
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        commandLine.setOut(nowhere);
        commandLine.setErr(nowhere);
        try {
            CommandLine.ParseResult result = commandLine.parseArgs(args);
            if (!CommandLine.printHelpIfRequested(result)) {
                // no help option on this command: render its usage directly
                CommandLine last = result.asCommandLineList().getLast();
                last.usage(nowhere);
            }
        } catch (CommandLine.ParameterException e) {
            e.getCommandLine().getErr().println(e.getMessage());
            e.getCommandLine().usage(nowhere);
        }
    }

    private static void formatting() {
        Table table = Table.docker().row("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        for (String name : List.of("ubuntu", "localhost:5000/a/b:tag", "ghcr.io/o/r@sha256:" + "0".repeat(64))) {
            try {
                Reference ref = Reference.parse(name).withDefaultTag();
                table.row(ref.familiarName(), ref.tag().orElse("<none>"), "0123456789ab",
                        Units.ago(Duration.ofDays(3)), Units.humanSize(77_800_000L));
            } catch (InvalidReferenceException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            Reference.parse("Not/Valid:");
        } catch (InvalidReferenceException expected) {
            System.err.println(expected.getMessage());
        }
        System.out.print(table.render());
    }
}
