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
    private final Path rawDir;
    private final PrintStream log;
    private final Cleanup cleanup;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final Map<StorageKind, String> areas = new LinkedHashMap<>();
    private final Map<String, String> loadAverages = new LinkedHashMap<>();

    Runner(Options options, List<Tool> tools, List<Operation> ops, Path rawDir, PrintStream log, Cleanup cleanup) {
        this.options = options;
        this.tools = tools;
        this.ops = ops;
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
        Registry registry = null;
        try {
            areas.put(kind, area.base() + " on " + area.describe());
            if (ops.stream().anyMatch(Operation::needsRegistry)) {
                registry = Registry.start(area, rawDir, cleanup);
            }
            List<Tool> ready = new ArrayList<>();
            for (Tool t : tools) {
                if (t instanceof StrataTool s && s.unavailableReason().isPresent()) {
                    ops.forEach(op -> failures.add(new Failure(op.name(), kind, t.name(), s.unavailableReason().get())));
                    continue;
                }
                try {
                    t.start(area, rawDir, cleanup);
                    started.add(t);
                    ready.add(t);
                } catch (BenchException e) {
                    String reason = "could not start: " + e.getMessage();
                    log.println(t.name() + " " + reason);
                    ops.forEach(op -> failures.add(new Failure(op.name(), kind, t.name(), reason)));
                }
            }
            for (Operation op : ops) {
                runOp(op, kind, ready);
            }
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop();
            }
            if (registry != null) {
                registry.close();
            }
            areaReg.close();
        }
    }

    private void runOp(Operation op, StorageKind kind, List<Tool> ready) {
        List<Tool> active = new ArrayList<>();
        for (Tool t : ready) {
            if (t instanceof StrataTool s) {
                List<String> missing = op.strataCommands().stream().filter(c -> !s.subcommands().contains(c)).toList();
                if (!missing.isEmpty()) {
                    failures.add(new Failure(op.name(), kind, t.name(), "`strata " + String.join("`, `strata ", missing)
                            + "` does not exist yet (not listed by `" + s.launcher() + " --help`)"));
                    continue;
                }
            }
            active.add(t);
        }
        String key = op.name() + " (" + kind.label() + ")";
        double busy = waitForQuietMachine();
        loadAverages.put(key, loadAverage() + String.format(java.util.Locale.ROOT, "; CPU %.0f%% busy before starting", busy));
        log.println("-- " + key + ": " + active.stream().map(Tool::name).toList()
                + ", " + options.warmup() + " warm-up + " + options.runs() + " runs");
        for (int w = 1; w <= options.warmup(); w++) {
            for (Tool t : List.copyOf(active)) {
                runOnce(op, kind, t, Sample.Phase.WARMUP, w, active);
            }
        }
        for (int i = 1; i <= options.runs(); i++) {
            for (Tool t : List.copyOf(active)) {
                runOnce(op, kind, t, Sample.Phase.MEASURED, i, active);
            }
        }
    }

    /** One run; a tool that fails is dropped from the rest of this operation (its failure goes to the notes). */
    private void runOnce(Operation op, StorageKind kind, Tool t, Sample.Phase phase, int index, List<Tool> active) {
        Path logFile = rawDir.resolve(op.name() + "-" + kind.label() + "-" + t.name() + ".log");
        try {
            Cleanup.checkNotShuttingDown();
            op.setup().run(t);
        } catch (BenchException e) {
            drop(op, kind, t, active, "setup failed: " + e.getMessage());
            return;
        }
        Sample s;
        try {
            s = measure(op, kind, t, phase, index, logFile);
        } catch (BenchException e) {
            drop(op, kind, t, active, e.getMessage());
            return;
        }
        samples.add(s);
        if (op.writes()) {
            t.markStoreUsed();
        }
        log.printf("   %-7s %-8s #%d  %8.3f s  (CPU %.2f s, others' CPU %.2f s, +sync %.3f s, dirty %.1f MiB)%s%n",
                t.name(), phase == Sample.Phase.WARMUP ? "warm-up" : "run", index, s.seconds(), s.cpuSeconds(),
                s.otherCpuSeconds(), s.syncSeconds(),
                s.dirtyKiB() / 1024.0, s.ok() ? "" : "  FAILED exit " + s.exit());
        if (!s.ok()) {
            drop(op, kind, t, active, "exit " + s.exit() + " in " + phase.name().toLowerCase() + " #" + index
                    + ": `" + String.join(" ", op.command().apply(t)) + "`\n" + Exec.tailOfFile(logFile, 8)
                    + "\n(full output: raw/" + logFile.getFileName() + ")");
        }
        try {
            op.cleanup().run(t);
        } catch (BenchException e) {
            if (active.contains(t)) {
                drop(op, kind, t, active, "cleanup failed (later runs would not start from an empty store): "
                        + e.getMessage());
            } else {
                failures.add(new Failure(op.name(), kind, t.name(), "cleanup after the failure also failed: "
                        + e.getMessage()));
            }
        }
    }

    private void drop(Operation op, StorageKind kind, Tool t, List<Tool> active, String reason) {
        log.println("   " + t.name() + " dropped from " + op.name() + ": " + reason);
        failures.add(new Failure(op.name(), kind, t.name(), reason));
        active.remove(t);
    }

    private Sample measure(Operation op, StorageKind kind, Tool t, Sample.Phase phase, int index, Path logFile)
            throws BenchException {
        List<String> cmd = op.command().apply(t);
        sync();
        Cleanup.checkNotShuttingDown();
        try {
            Files.createDirectories(rawDir);
            Files.writeString(logFile, "### " + phase.name().toLowerCase() + " #" + index + ": "
                    + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BenchException("cannot write " + logFile + ": " + e.getMessage(), e);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(t.env());
        long[] machine0 = machineCpu();
        long cpu0 = Cpu.childrenMicros();
        long daemon0 = t.daemonCpuMicros();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + cmd.getFirst() + ": " + e.getMessage(), e);
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
        double cpu = cpu0 < 0 || cpu1 < 0 || daemon0 < 0 || daemon1 < 0 ? -1
                : ((cpu1 - cpu0) + (daemon1 - daemon0)) / 1e6;
        double machineBusy = ((machine1[0] - machine1[1]) - (machine0[0] - machine0[1])) / 100.0; // USER_HZ
        double others = cpu < 0 || machine0[0] < 0 || machine1[0] < 0 ? -1 : Math.max(0, machineBusy - cpu);
        return new Sample(op.name(), kind, t.name(), phase, index, (t1 - t0) / 1e9, (t3 - t2) / 1e9, dirty, cpu,
                others, exit);
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
