package dev.strata.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes results.md, samples.csv and samples.json into one results folder. */
final class Report {
    private final Map<String, String> meta;
    private final List<Operation> ops;
    private final List<String> tools;
    private final Runner runner;
    private final List<String> extraNotes;

    Report(Map<String, String> meta, List<Operation> ops, List<String> tools, Runner runner, List<String> extraNotes) {
        this.meta = meta;
        this.ops = ops;
        this.tools = tools;
        this.runner = runner;
        this.extraNotes = extraNotes;
    }

    void write(Path dir) throws BenchException {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.md"), markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("samples.csv"), csv(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("samples.json"), json(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The result tables alone, for the terminal. */
    String tables() {
        StringBuilder b = new StringBuilder();
        for (StorageKind kind : runner.areas().keySet()) {
            for (Operation op : ops) {
                if (rows(op, kind).isEmpty()) {
                    continue;
                }
                b.append("### ").append(op.name()).append(" — ").append(kind.label()).append("\n\n");
                b.append(op.description()).append(". Before it: load average ")
                        .append(runner.loadAverages().getOrDefault(op.name() + " (" + kind.label() + ")", "?"))
                        .append(".\n\n");
                table(b, op, kind);
                contention(b, op, kind);
                b.append('\n');
            }
        }
        return b.toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Strata bench — ").append(meta.getOrDefault("started", "")).append("\n\n");
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!e.getKey().equals("started")) {
                b.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
            }
        }
        for (Map.Entry<StorageKind, String> e : runner.areas().entrySet()) {
            b.append("- **data roots (").append(e.getKey().label()).append(")**: ").append(e.getValue()).append('\n');
        }
        b.append("\n## Results\n\n");
        b.append("Wall time of the whole command, process start to exit, in seconds; median, min and max of the"
                + " successful measured runs. *Strata / tool* is Strata's median over that tool's (below 1: Strata"
                + " is faster). *+ sync* is the median of command time plus the `sync` run right after it, i.e."
                + " time until the data is on the device. *left dirty* is how much page-cache data the command"
                + " left unwritten at exit (Dirty + Writeback; the cache was synced before it started). *CPU* is the user +"
                + " system time of the command's processes plus, for docker, of dockerd meanwhile: less disturbed"
                + " than wall time when other work shares the machine. *others' CPU* is what the rest of the machine"
                + " used meanwhile (busy time of all CPUs minus *CPU*; includes kernel threads writing back the"
                + " command's data): well above 0 means the run was contended.\n\n");
        b.append(tables());
        b.append("## Notes\n\n### Failures\n\n");
        if (runner.failures().isEmpty()) {
            b.append("None.\n");
        }
        for (Failure f : runner.failures()) {
            b.append("- **").append(f.tool()).append("**, ").append(f.op()).append(" (").append(f.storage().label())
                    .append("): ").append(indentContinuation(f.reason())).append('\n');
        }
        b.append("\n### How the numbers were taken\n\n");
        for (String n : extraNotes) {
            b.append("- ").append(n).append('\n');
        }
        b.append('\n').append(resource("durability.md"));
        return b.toString();
    }

    /** Rows of one table: the rows that have samples or failures, in the order they ran. */
    List<String> rows(Operation op, StorageKind kind) {
        java.util.LinkedHashSet<String> rows = new java.util.LinkedHashSet<>();
        runner.samples().stream().filter(s -> s.op().equals(op.name()) && s.storage() == kind).forEach(s -> rows.add(s.tool()));
        runner.failures().stream().filter(f -> f.op().equals(op.name()) && f.storage() == kind).forEach(f -> rows.add(f.tool()));
        return List.copyOf(rows);
    }

    private void table(StringBuilder b, Operation op, StorageKind kind) {
        List<String> rows = rows(op, kind);
        boolean perUnit = rows.stream().anyMatch(r -> stats(op, kind, r).map(st -> st.perUnitMedian() != st.median()
                || st.diskKiBPerUnitMedian() >= 0).orElse(false)) || op.measureDisk();
        boolean traced = rows.stream().anyMatch(r -> runner.syscalls().containsKey(Runner.key(op.name(), kind, r)));
        b.append("| tool | median (s) | min (s) | max (s) | runs ok | Strata / tool | + sync, median (s) |"
                + " left dirty, median (MiB) | CPU, median (s) | others' CPU, median (s) |");
        if (perUnit) {
            b.append(" per container, median (ms) | store growth per container, median (KiB) |");
        }
        if (traced) {
            b.append(" sync calls (strace) |");
        }
        b.append("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        if (perUnit) {
            b.append("---:|---:|");
        }
        if (traced) {
            b.append("---|");
        }
        b.append('\n');
        Optional<Stats> strata = stats(op, kind, "strata");
        for (String tool : rows) {
            Optional<Stats> st = stats(op, kind, tool);
            long attempted = runner.samples().stream().filter(s -> s.op().equals(op.name()) && s.storage() == kind
                    && s.tool().equals(tool) && s.phase() == Sample.Phase.MEASURED).count();
            String ratio = tool.equals("strata") ? "—"
                    : strata.isPresent() && st.isPresent() ? fmt("%.2f", perUnit
                            ? strata.get().perUnitMedian() / st.get().perUnitMedian()
                            : strata.get().median() / st.get().median())
                    : "n/a";
            b.append("| ").append(tool).append(" | ")
                    .append(st.map(s -> fmt("%.3f", s.median())).orElse("—")).append(" | ")
                    .append(st.map(s -> fmt("%.3f", s.min())).orElse("—")).append(" | ")
                    .append(st.map(s -> fmt("%.3f", s.max())).orElse("—")).append(" | ")
                    .append(attempted == 0 ? "not run" : st.map(Stats::n).orElse(0) + "/" + attempted).append(" | ")
                    .append(ratio).append(" | ")
                    .append(st.map(s -> fmt("%.3f", s.syncMedian())).orElse("—")).append(" | ")
                    .append(st.map(s -> kind == StorageKind.TMPFS ? "n/a (tmpfs)" : fmt("%.1f", s.dirtyMiBMedian()))
                            .orElse("—")).append(" | ")
                    .append(st.map(s -> s.cpuMedian() < 0 ? "?" : fmt("%.2f", s.cpuMedian())).orElse("—"))
                    .append(" | ")
                    .append(st.map(s -> s.otherCpuMedian() < 0 ? "?" : fmt("%.2f", s.otherCpuMedian())).orElse("—"))
                    .append(" |");
            if (perUnit) {
                b.append(' ').append(st.map(s -> fmt("%.1f", s.perUnitMedian() * 1000)).orElse("—")).append(" | ")
                        .append(st.map(s -> s.diskKiBPerUnitMedian() < 0 ? "?" : fmt("%.0f", s.diskKiBPerUnitMedian()))
                                .orElse("—")).append(" |");
            }
            if (traced) {
                b.append(' ').append(runner.syscalls().getOrDefault(Runner.key(op.name(), kind, tool), "—")).append(" |");
            }
            b.append('\n');
        }
        if (perUnit) {
            b.append("\n*Strata / tool* compares the time per container here.\n");
        }
        if (!op.durability().isEmpty()) {
            b.append("\nWhat each makes durable before it returns: ");
            List<String> parts = new java.util.ArrayList<>();
            for (String tool : rows) {
                String base = tool.contains(" ") ? tool.substring(0, tool.indexOf(' ')) : tool;
                String d = op.durability().get(base);
                if (d != null && parts.stream().noneMatch(p -> p.startsWith("**" + base + "**"))) {
                    parts.add("**" + base + "**: " + d);
                }
            }
            b.append(String.join("; ", parts)).append(".\n");
        }
    }

    /** Flags a table whose runs shared the machine with other busy processes. */
    private void contention(StringBuilder b, Operation op, StorageKind kind) {
        double worst = 0;
        for (String tool : rows(op, kind)) {
            Optional<Stats> st = stats(op, kind, tool);
            if (st.isPresent() && st.get().median() > 0.2) { // sub-second latencies: too short to judge
                worst = Math.max(worst, st.get().otherCpuMedian() / st.get().median());
            }
        }
        if (worst > 0.25) {
            b.append("\n**Contended:** other processes kept up to ").append(fmt("%.0f", worst * 100))
                    .append("% of a CPU busy during these runs (median); wall times are inflated and noisy,"
                            + " compare the CPU column too.\n");
        }
    }

    private Optional<Stats> stats(Operation op, StorageKind kind, String tool) {
        return Stats.of(runner.samples().stream()
                .filter(s -> s.op().equals(op.name()) && s.storage() == kind && s.tool().equals(tool)).toList());
    }

    String csv() {
        StringBuilder b = new StringBuilder("op,storage,tool,phase,index,seconds,sync_seconds,dirty_kib,cpu_seconds,other_cpu_seconds,exit,units,disk_kib\n");
        for (Sample s : runner.samples()) {
            b.append(s.op()).append(',').append(s.storage().label()).append(',').append(s.tool()).append(',')
                    .append(s.phase().name().toLowerCase()).append(',').append(s.index()).append(',')
                    .append(fmt("%.6f", s.seconds())).append(',').append(fmt("%.6f", s.syncSeconds())).append(',')
                    .append(s.dirtyKiB()).append(',').append(fmt("%.3f", s.cpuSeconds())).append(',')
                    .append(fmt("%.3f", s.otherCpuSeconds())).append(',')
                    .append(s.exit()).append(',').append(s.units()).append(',').append(s.diskKiB()).append('\n');
        }
        return b.toString();
    }

    String json() {
        StringBuilder b = new StringBuilder("{\n  \"meta\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            b.append(first ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            first = false;
        }
        b.append("\n  },\n  \"samples\": [");
        first = true;
        for (Sample s : runner.samples()) {
            b.append(first ? "\n" : ",\n").append("    {\"op\": ").append(quote(s.op()))
                    .append(", \"storage\": ").append(quote(s.storage().label()))
                    .append(", \"tool\": ").append(quote(s.tool()))
                    .append(", \"phase\": ").append(quote(s.phase().name().toLowerCase()))
                    .append(", \"index\": ").append(s.index())
                    .append(", \"seconds\": ").append(fmt("%.6f", s.seconds()))
                    .append(", \"syncSeconds\": ").append(fmt("%.6f", s.syncSeconds()))
                    .append(", \"dirtyKiB\": ").append(s.dirtyKiB())
                    .append(", \"cpuSeconds\": ").append(fmt("%.3f", s.cpuSeconds()))
                    .append(", \"otherCpuSeconds\": ").append(fmt("%.3f", s.otherCpuSeconds()))
                    .append(", \"exit\": ").append(s.exit())
                    .append(", \"units\": ").append(s.units())
                    .append(", \"diskKiB\": ").append(s.diskKiB()).append('}');
            first = false;
        }
        b.append("\n  ],\n  \"failures\": [");
        first = true;
        for (Failure f : runner.failures()) {
            b.append(first ? "\n" : ",\n").append("    {\"op\": ").append(quote(f.op()))
                    .append(", \"storage\": ").append(quote(f.storage().label()))
                    .append(", \"tool\": ").append(quote(f.tool()))
                    .append(", \"reason\": ").append(quote(f.reason())).append('}');
            first = false;
        }
        b.append("\n  ],\n  \"syscalls\": {");
        first = true;
        for (Map.Entry<String, String> e : runner.syscalls().entrySet()) {
            b.append(first ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            first = false;
        }
        b.append("\n  }\n}\n");
        return b.toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String indentContinuation(String s) {
        if (!s.contains("\n")) {
            return s;
        }
        int nl = s.indexOf('\n');
        return s.substring(0, nl) + "\n\n  ```\n" + s.substring(nl + 1).strip().lines().map(l -> "  " + l)
                .reduce((x, y) -> x + "\n" + y).orElse("") + "\n  ```";
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    static String resource(String name) {
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
