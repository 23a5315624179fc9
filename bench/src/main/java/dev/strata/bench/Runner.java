package dev.strata.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the operations: per storage kind, starts the tools with data roots in that area, then per operation
 * a warm-up and N measured runs, the tools taking turns (strata, docker, podman, strata, ...), so drift in
 * the machine's state spreads over all of them. Before each timed command the page cache is synced (so one
 * tool does not pay for another's write-back) and right after it the harness records the dirty pages the
 * command left and times a sync.
 */
final class Runner {
    private final Options options;
    private final List<Tool> tools;
    private final List<Operation> ops;
    private final Inputs inputs;
    private final Scale scale;
    private final Path rawDir;
    private final PrintStream log;
    private final Cleanup cleanup;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final Map<StorageKind, String> areas = new LinkedHashMap<>();
    private final Map<String, String> loadAverages = new LinkedHashMap<>();
    /** "op|storage|row" -> sync calls seen under strace. */
    private final Map<String, String> syscalls = new LinkedHashMap<>();

    /** One line of a table: a tool, or one of its variants. */
    record Row(Tool tool, String variant) {
        String name() {
            return Operation.row(tool, variant);
        }
    }

    Runner(Options options, List<Tool> tools, List<Operation> ops, Inputs inputs, Scale scale, Path rawDir,
           PrintStream log, Cleanup cleanup) {
        this.options = options;
        this.tools = tools;
        this.ops = ops;
        this.inputs = inputs;
        this.scale = scale;
        this.rawDir = rawDir;
        this.log = log;
        this.cleanup = cleanup;
    }

    List<Sample> samples() {
        return samples;
    }

    List<Failure> failures() {
        return failures;
    }

    Map<StorageKind, String> areas() {
        return areas;
    }

    Map<String, String> loadAverages() {
        return loadAverages;
    }

    Map<String, String> syscalls() {
        return syscalls;
    }

    static String key(String op, StorageKind kind, String row) {
        return op + "|" + kind.label() + "|" + row;
    }

    void runAll() throws BenchException {
        for (StorageKind kind : options.storages()) {
            runArea(kind);
        }
    }

    private void runArea(StorageKind kind) throws BenchException {
        log.println("== storage: " + kind.label());
        StorageArea area = StorageArea.open(kind, options.workDir(), options.tmpfsSize(), options.keepWork());
        Cleanup.Registration areaReg = cleanup.push("release " + area.base(), area::close);
        List<Tool> started = new ArrayList<>();
        Ctx ctx = new Ctx(inputs, scale, area, rawDir, cleanup, log);
        try {
            areas.put(kind, area.base() + " on " + area.describe());
            List<Tool> ready = new ArrayList<>();
            for (Tool t : tools) {
                if (ops.stream().noneMatch(op -> op.includes(t))) {
                    continue;
                }
                if (t instanceof StrataTool s && s.unavailableReason().isPresent()) {
                    ops.stream().filter(op -> op.includes(t)).forEach(op ->
                            failures.add(new Failure(op.name(), kind, t.name(), s.unavailableReason().get())));
                    continue;
                }
                try {
                    t.start(area, rawDir, cleanup);
                    started.add(t);
                    ready.add(t);
                } catch (BenchException e) {
                    String reason = "could not start: " + e.getMessage();
                    log.println(t.name() + " " + reason);
                    ops.stream().filter(op -> op.includes(t)).forEach(op ->
                            failures.add(new Failure(op.name(), kind, t.name(), reason)));
                }
            }
            for (Operation op : ops) {
                runOp(op, kind, ready, ctx);
            }
        } finally {
            ctx.stopRegistry();
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop();
            }
            areaReg.close();
        }
    }

    private void runOp(Operation op, StorageKind kind, List<Tool> ready, Ctx ctx) {
        List<Row> rows = new ArrayList<>();
        List<Tool> active = new ArrayList<>();
        for (Tool t : ready) {
            if (!op.includes(t)) {
                continue;
            }
            if (t instanceof StrataTool s) {
                List<String> missing = op.strataCommands().stream().filter(c -> !s.subcommands().contains(c)).toList();
                if (!missing.isEmpty()) {
                    failures.add(new Failure(op.name(), kind, t.name(), "`strata " + String.join("`, `strata ", missing)
                            + "` does not exist yet (not listed by `" + s.launcher() + " --help`)"));
                    continue;
                }
            }
            active.add(t);
            for (String v : op.variants().apply(t)) {
                rows.add(new Row(t, v));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        String key = op.name() + " (" + kind.label() + ")";
        double busy = waitForQuietMachine();
        loadAverages.put(key, loadAverage() + String.format(java.util.Locale.ROOT, "; CPU %.0f%% busy before starting", busy));
        log.println("-- " + key + ": " + rows.stream().map(Row::name).toList()
                + ", " + options.warmup() + " warm-up + " + options.runs() + " runs");
        try {
            for (int w = 1; w <= options.warmup(); w++) {
                for (Row r : List.copyOf(rows)) {
                    runOnce(op, kind, r, Sample.Phase.WARMUP, w, rows, ctx);
                }
            }
            for (int i = 1; i <= options.runs(); i++) {
                for (Row r : List.copyOf(rows)) {
                    runOnce(op, kind, r, Sample.Phase.MEASURED, i, rows, ctx);
                }
            }
            // the calls are the same on a tmpfs (where they cost nothing): trace on the disk only when both run
            if (options.strace() && (kind == StorageKind.DISK || !options.storages().contains(StorageKind.DISK))) {
                for (Row r : List.copyOf(rows)) {
                    runOnce(op, kind, r, Sample.Phase.STRACE, 1, rows, ctx);
                }
            }
        } finally {
            for (Tool t : active) {
                if (op.effect().apply(t) != Operation.Effect.READ_ONLY) {
                    t.state("dirty"); // the next operation must not take this store for its state
                }
            }
        }
    }

    /** One run; a row that fails is dropped from the rest of this operation (its failure goes to the notes). */
    private void runOnce(Operation op, StorageKind kind, Row row, Sample.Phase phase, int index, List<Row> active, Ctx ctx) {
        Tool t = row.tool();
        String v = row.variant();
        Path logFile = rawDir.resolve(op.name() + "-" + kind.label() + "-" + row.name().replaceAll("[^a-z0-9-]+", "-") + ".log");
        ctx.nextRun();
        Operation.Cmd cmd;
        try {
            Cleanup.checkNotShuttingDown();
            Operation.StoreState state = op.state().choose(ctx);
            if (!t.state().equals(state.label())) {
                t.freshStore();
                t.state("dirty");
                state.build().build(t, ctx);
                t.state(state.label());
            }
            op.setup().run(t, ctx, v);
            cmd = op.command().of(t, ctx, v);
        } catch (BenchException | RuntimeException e) {
            t.state("dirty");
            drop(op, kind, row, active, "setup failed: " + e.getMessage());
            return;
        }
        Sample s;
        try {
            s = measure(op, kind, row, cmd, phase, index, logFile);
        } catch (BenchException e) {
            t.state("dirty");
            drop(op, kind, row, active, e.getMessage());
            return;
        }
        samples.add(s);
        if (op.effect().apply(t) == Operation.Effect.DIRTIES) {
            t.state("dirty");
        }
        log.printf("   %-18s %-8s #%d  %8.3f s  (CPU %.2f s, others' CPU %.2f s, +sync %.3f s, dirty %.1f MiB%s)%s%n",
                row.name(), switch (phase) {
                    case WARMUP -> "warm-up";
                    case MEASURED -> "run";
                    case STRACE -> "strace";
                }, index, s.seconds(), s.cpuSeconds(),
                s.otherCpuSeconds(), s.syncSeconds(), s.dirtyKiB() / 1024.0,
                s.diskKiB() >= 0 ? String.format(java.util.Locale.ROOT, ", store +%.1f MiB", s.diskKiB() / 1024.0) : "",
                s.ok() ? "" : "  FAILED exit " + s.exit());
        if (!s.ok()) {
            t.state("dirty");
            drop(op, kind, row, active, "exit " + s.exit() + " in " + phase.name().toLowerCase() + " #" + index
                    + ": `" + String.join(" ", cmd.argv()) + "`\n" + Exec.tailOfFile(logFile, 8)
                    + "\n(full output: raw/" + logFile.getFileName() + ")");
        }
        try {
            op.cleanup().run(t, ctx, v);
        } catch (BenchException e) {
            t.state("dirty");
            failures.add(new Failure(op.name(), kind, row.name(), "cleanup failed: " + e.getMessage()));
        }
    }

    private void drop(Operation op, StorageKind kind, Row row, List<Row> active, String reason) {
        log.println("   " + row.name() + " dropped from " + op.name() + ": " + reason);
        failures.add(new Failure(op.name(), kind, row.name(), reason));
        active.remove(row);
    }

    private Sample measure(Operation op, StorageKind kind, Row row, Operation.Cmd cmd, Sample.Phase phase, int index,
                           Path logFile) throws BenchException {
        Tool t = row.tool();
        List<String> argv = cmd.argv();
        Path straceOut = rawDir.resolve("strace-" + logFile.getFileName().toString().replace(".log", ".txt"));
        Path daemonOut = rawDir.resolve("strace-" + logFile.getFileName().toString().replace(".log", "-daemon.txt"));
        Process daemonTrace = null;
        if (phase == Sample.Phase.STRACE) {
            try {
                Files.createDirectories(rawDir);
                Files.deleteIfExists(straceOut);
                Files.deleteIfExists(daemonOut);
            } catch (IOException e) {
                throw new BenchException("cannot prepare " + straceOut + ": " + e.getMessage(), e);
            }
            if (t instanceof DockerTool d && d.daemonPid() > 0) {
                List<Long> pids = new ArrayList<>(List.of(d.daemonPid()));
                ProcessHandle.of(d.daemonPid()).ifPresent(h -> h.descendants().forEach(c -> pids.add(c.pid())));
                daemonTrace = Strace.attach(pids, daemonOut);
            }
            argv = Strace.wrap(argv, straceOut); // the CLI too: docker save writes the archive itself
        }
        long disk0 = -1;
        sync();
        if (op.measureDisk()) {
            disk0 = duKiB(t.storeDir());
        }
        Cleanup.checkNotShuttingDown();
        try {
            Files.createDirectories(rawDir);
            Files.writeString(logFile, "### " + phase.name().toLowerCase() + " #" + index + ": "
                    + cmd.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + " ").reduce("", String::concat)
                    + String.join(" ", argv) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BenchException("cannot write " + logFile + ": " + e.getMessage(), e);
        }
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(t.env());
        pb.environment().putAll(cmd.env());
        long[] machine0 = machineCpu();
        long cpu0 = Cpu.childrenMicros();
        long daemon0 = t.daemonCpuMicros();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (daemonTrace != null) {
                Strace.detach(daemonTrace);
            }
            throw new BenchException("cannot start " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        int exit = Exec.waitOrKill(p, op.timeout());
        long t1 = System.nanoTime();
        long cpu1 = Cpu.childrenMicros();
        long daemon1 = t.daemonCpuMicros();
        long[] machine1 = machineCpu();
        long dirty = dirtyKiB();
        long t2 = System.nanoTime();
        sync();
        long t3 = System.nanoTime();
        if (daemonTrace != null) {
            Strace.detach(daemonTrace);
        }
        if (phase == Sample.Phase.STRACE) {
            Map<String, Integer> counts = new java.util.TreeMap<>(Strace.count(straceOut));
            if (Files.exists(daemonOut)) {
                Strace.count(daemonOut).forEach((k, n) -> counts.merge(k, n, Integer::sum));
            }
            syscalls.put(key(op.name(), kind, row.name()), Strace.describe(counts));
        }
        long disk = -1;
        if (op.measureDisk() && disk0 >= 0) {
            long after = duKiB(t.storeDir());
            disk = after < 0 ? -1 : after - disk0;
        }
        double cpu = cpu0 < 0 || cpu1 < 0 || daemon0 < 0 || daemon1 < 0 ? -1
                : ((cpu1 - cpu0) + (daemon1 - daemon0)) / 1e6;
        double machineBusy = ((machine1[0] - machine1[1]) - (machine0[0] - machine0[1])) / 100.0; // USER_HZ
        double others = cpu < 0 || machine0[0] < 0 || machine1[0] < 0 ? -1 : Math.max(0, machineBusy - cpu);
        return new Sample(op.name(), kind, row.name(), phase, index, (t1 - t0) / 1e9, (t3 - t2) / 1e9, dirty, cpu,
                others, exit, op.units().applyAsInt(t), disk);
    }

    /** Disk usage of a directory tree in KiB, staying on its file system ({@code du -skx}); -1 if unknown. */
    static long duKiB(Path dir) {
        if (dir == null) {
            return -1;
        }
        try {
            Exec.Result r = Exec.run(List.of("du", "-skx", dir.toString()), Map.of(), Duration.ofMinutes(5));
            return r.ok() ? Long.parseLong(r.out().strip().split("\\s+")[0]) : -1;
        } catch (BenchException | NumberFormatException e) {
            return -1;
        }
    }

    private static void sync() throws BenchException {
        Exec.run(List.of("sync"), Map.of(), Duration.ofMinutes(10)).check();
    }

    /** Dirty + Writeback in KiB: page-cache data not yet on the device. */
    static long dirtyKiB() {
        try {
            long sum = 0;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("Dirty:") || line.startsWith("Writeback:")) {
                    sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return sum;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Others' work on a small machine skews every sample, so before each operation this waits (up to
     * {@code --quiet-wait}) until the CPUs are mostly idle while the harness itself does nothing. Returns the
     * busy share last seen, in percent; a machine that never quietened down is run on anyway, and said so.
     */
    private double waitForQuietMachine() {
        if (options.quietWait().isZero()) {
            return cpuBusyPercent(Duration.ofMillis(500));
        }
        long deadline = System.nanoTime() + options.quietWait().toNanos();
        double busy = cpuBusyPercent(Duration.ofSeconds(2));
        boolean said = false;
        while (busy > QUIET_BUSY_PERCENT && System.nanoTime() < deadline) {
            if (!said) {
                log.printf("   waiting for the machine to quieten down (CPU %.0f%% busy, other processes running)%n", busy);
                said = true;
            }
            busy = cpuBusyPercent(Duration.ofSeconds(5));
        }
        if (busy > QUIET_BUSY_PERCENT) {
            log.printf("   machine still %.0f%% busy after %d s; measuring anyway%n", busy,
                    options.quietWait().toSeconds());
        }
        return busy;
    }

    static final double QUIET_BUSY_PERCENT = 20;

    /** Share of all CPUs' time that was not idle or iowait over {@code window}, from /proc/stat. */
    static double cpuBusyPercent(Duration window) {
        try {
            long[] a = cpuTimes();
            Thread.sleep(window.toMillis());
            long[] b = cpuTimes();
            long total = b[0] - a[0];
            return total <= 0 ? 0 : 100.0 * (total - (b[1] - a[1])) / total;
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** {total, idle+iowait} jiffies, or {-1, -1} if /proc/stat cannot be read. */
    private static long[] machineCpu() {
        try {
            return cpuTimes();
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** {total, idle+iowait} jiffies of the aggregate "cpu" line. */
    private static long[] cpuTimes() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // user..steal; guest is already in user
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
