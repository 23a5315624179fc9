package dev.strata.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run --jmh}: turns JMH's closing table (its human-readable output, saved beside the JSON) into
 * results.md, with a bytes/s column for the benchmarks whose work per operation is a known number of bytes.
 * Usage: {@code JmhSummary <jmh output.txt> <results.md> <header lines...>}.
 */
final class JmhSummary {
    /** Bytes one operation of a benchmark processes, by method name: the fixtures' sizes. */
    static final Map<String, Long> BYTES = Map.of(
            "sha256Update64KiB", 64L * 1024,
            "sha256Stream16MiB", 16L << 20);

    private JmhSummary() {
    }

    record Row(String benchmark, String mode, String count, double score, String error, String unit) {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        List<Row> rows = parse(lines);
        StringBuilder b = new StringBuilder("# Strata JMH microbenchmarks\n\n");
        for (int i = 2; i < args.length; i++) {
            b.append("- ").append(args[i]).append('\n');
        }
        b.append('\n').append(markdown(rows, tarBytes(lines)));
        Files.writeString(Path.of(args[1]), b.toString(), StandardCharsets.UTF_8);
        System.out.print(markdown(rows, tarBytes(lines)));
    }

    /** The rows of JMH's closing table ("Benchmark  Mode  Cnt  Score  Error  Units"). */
    static List<Row> parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("Benchmark ") && line.contains("Mode") && line.contains("Units")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            try {
                if (f.length >= 7 && f[4].equals("±")) {
                    rows.add(new Row(f[0], f[1], f[2], number(f[3]), f[5], f[6]));
                } else if (f.length >= 5) {
                    rows.add(new Row(f[0], f[1], f[2], number(f[3]), "", f[f.length - 1]));
                }
            } catch (NumberFormatException e) {
                // "≈ 10⁻⁴" and the like: keep going
            }
        }
        return rows;
    }

    /** The layer fixture's tar size, which the archive benchmarks print once ("fixture: tar N bytes"). */
    static long tarBytes(List<String> lines) {
        for (String l : lines) {
            int i = l.indexOf("fixture: tar ");
            if (i >= 0) {
                return Long.parseLong(l.substring(i + 13).split(" ")[0]);
            }
        }
        return -1;
    }

    static String markdown(List<Row> rows, long tarBytes) {
        StringBuilder b = new StringBuilder("| benchmark | mode | runs | score | ± error | units | throughput |\n"
                + "|---|---|---:|---:|---:|---|---:|\n");
        for (Row r : rows) {
            String method = r.benchmark().substring(r.benchmark().lastIndexOf('.') + 1);
            Long bytes = BYTES.get(method);
            if (bytes == null && tarBytes > 0 && r.benchmark().contains("ArchiveBench")) {
                bytes = tarBytes; // every archive benchmark reads or writes the uncompressed tar once
            }
            b.append("| ").append(r.benchmark()).append(" | ").append(r.mode()).append(" | ").append(r.count())
                    .append(" | ").append(String.format(Locale.ROOT, "%.3f", r.score())).append(" | ").append(r.error())
                    .append(" | ").append(r.unit()).append(" | ").append(throughput(r, bytes)).append(" |\n");
        }
        return b.toString();
    }

    private static String throughput(Row r, Long bytes) {
        if (bytes == null) {
            return "";
        }
        double opsPerSecond = switch (r.unit()) {
            case "ops/s" -> r.score();
            case "ms/op" -> 1e3 / r.score();
            case "us/op" -> 1e6 / r.score();
            case "ns/op" -> 1e9 / r.score();
            case "s/op" -> 1 / r.score();
            default -> -1;
        };
        return opsPerSecond <= 0 ? "" : String.format(Locale.ROOT, "%.0f MB/s", opsPerSecond * bytes / 1e6);
    }

    private static double number(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }
}
