package dev.strata.cli.command;

import dev.strata.cli.format.Units;
import dev.strata.engine.registry.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints pull and push progress the way the docker CLI does: on a terminal one line per layer, redrawn in place
 * ({@code 3f4ca61aafcd: Downloading [=====>      ]  12.3MB/50MB}); otherwise each status once, without the byte
 * counts.
 */
final class ProgressPrinter implements Progress.Listener {
    private static final int BAR = 50;

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final List<String> ids = new ArrayList<>();

    ProgressPrinter(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public synchronized void on(Progress p) {
        if (quiet) {
            return;
        }
        if (p.id().isEmpty()) {
            out.println(p.status());
            out.flush();
            return;
        }
        String id = p.id().get();
        if (!terminal) {
            if (!p.isUpdate()) {
                out.println(id + ": " + p.status());
                out.flush();
            }
            return;
        }
        String line = id + ": " + p.status() + (p.isUpdate() ? " " + bar(p) : "");
        int index = ids.indexOf(id);
        if (index < 0) {
            ids.add(id);
            out.print(line + "\n");
        } else {
            int up = ids.size() - index;
            out.print("\033[" + up + "A\033[2K\r" + line + "\033[" + up + "B\r");
        }
        out.flush();
    }

    private static String bar(Progress p) {
        long current = p.current().orElse(0);
        if (p.total().isEmpty() || p.total().getAsLong() <= 0) {
            return Units.humanSize(current);
        }
        long total = p.total().getAsLong();
        int filled = (int) Math.min(BAR, current * BAR / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < BAR; i++) {
            b.append(i < filled - 1 ? '=' : i == filled - 1 ? '>' : ' ');
        }
        b.append("] ");
        String numbers = Units.humanSize(current) + "/" + Units.humanSize(total);
        return b + " ".repeat(Math.max(0, 17 - numbers.length())) + numbers;
    }
}
