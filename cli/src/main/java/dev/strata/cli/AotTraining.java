package dev.strata.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run for the JVM's AOT cache ({@code -XX:AOTCacheOutput}), started by the {@code ./strata}
 * launcher after each build. It runs what short invocations run: help of every command, a bad option, and the
 * read-only commands against a fresh store in {@code java.io.tmpdir} (the launcher points that into the build
 * directory), so that picocli, SQLite and the store's start-up paths are in the cache. Output goes nowhere.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("strata-aot-root-");
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("--help"));
        lines.add(List.of("--version"));
        lines.add(List.of("--no-such-option"));
        for (String command : Main.commandNames()) {
            lines.add(List.of(command, "--help"));
        }
        String r = root.toString();
        lines.add(List.of("--root", r, "images"));
        lines.add(List.of("--root", r, "images", "--format", "json"));
        lines.add(List.of("--root", r, "ps", "-a"));
        lines.add(List.of("--root", r, "info"));
        lines.add(List.of("--root", r, "system", "df"));
        lines.add(List.of("--root", r, "history", "no-such-image"));
        lines.add(List.of("--root", r, "inspect", "Not/Valid:"));
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> line : lines) {
            Main.run(line.toArray(String[]::new), nowhere, nowhere);
        }
        System.out.println("AOT training: " + lines.size() + " command lines");
    }
}
