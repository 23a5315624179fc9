package dev.strata.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of {@code bench/run}. Exit codes: 0 done, 1 smoke failures, 2 set-up or usage error. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (BenchException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        if (o.mode() == Options.Mode.HELP) {
            out.print(Options.USAGE);
            return 0;
        }
        Cleanup cleanup = new Cleanup();
        Thread hook = cleanup.shutdownHook();
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return switch (o.mode()) {
                case LIST -> list(o, out);
                case INPUTS_ONLY -> {
                    Inputs.ensure(o.cacheDir(), false, out);
                    yield 0;
                }
                case CHECK_PEERS -> {
                    requireRoot("--check-peers");
                    Inputs in = Inputs.ensure(o.cacheDir(), true, out);
                    Packages.ensure(Packages.PEERS, out);
                    yield CheckPeers.run(o, in, cleanup, out);
                }
                case BENCH, SMOKE -> bench(o, cleanup, out);
                case HELP -> 0;
            };
        } catch (BenchException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        } finally {
            cleanup.closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran already
            }
        }
    }

    private static int list(Options o, PrintStream out) {
        for (Operation op : Operations.all(Inputs.locate(o.cacheDir(), false), Scale.FULL)) {
            out.printf("%-20s %s%s%n", op.name(), op.description(), op.strataCommands().isEmpty() ? ""
                    : " [strata: " + String.join(", ", op.strataCommands()) + "]");
        }
        return 0;
    }

    private static int bench(Options o, Cleanup cleanup, PrintStream out) throws BenchException {
        boolean smoke = o.mode() == Options.Mode.SMOKE;
        if (o.wantsPeers() || o.storages().contains(StorageKind.TMPFS)) {
            requireRoot("running the peers or a tmpfs");
        }
        Inputs inputs = Inputs.ensure(o.cacheDir(), o.small(), out);
        Scale scale = o.small() ? Scale.SMOKE : Scale.FULL;
        if (o.wantsPeers()) {
            Packages.ensure(Packages.PEERS, out);
        }
        if (o.strace()) {
            Packages.ensure(List.of(new Packages.Need(Strace.BINARY, "strace")), out);
        }
        List<Tool> tools = new ArrayList<>();
        StrataTool strata = null;
        for (String name : o.tools()) {
            Tool t = switch (name) {
                case "strata" -> strata = new StrataTool(o.strata());
                case "strata-vfs" -> StrataTool.vfs(o.strata());
                case "docker" -> new DockerTool();
                case "podman" -> new PodmanTool();
                default -> throw new BenchException("unknown tool " + name);
            };
            tools.add(t);
        }
        List<Operation> ops = o.select(Operations.all(inputs, scale));
        if (smoke) {
            if (strata == null) {
                strata = new StrataTool(o.strata());
            }
            if (strata.unavailableReason().isPresent()) {
                System.err.println("smoke: " + strata.unavailableReason().get());
                return 1;
            }
            StrataTool s = strata;
            List<Operation> runnable = ops.stream()
                    .filter(op -> s.subcommands().containsAll(op.strataCommands())).toList();
            for (Operation op : ops) {
                if (!runnable.contains(op)) {
                    out.println("smoke: skip " + op.name() + " (needs `strata " + String.join("`, `strata ",
                            op.strataCommands()) + "`; the launcher lists " + s.subcommands() + ")");
                }
            }
            if (runnable.isEmpty()) {
                out.println("smoke: no Strata operation can run yet; nothing to do");
                return 0;
            }
            ops = runnable;
            if (ops.stream().anyMatch(op -> op.strataCommands().contains(StrataCli.PULL)
                    || op.strataCommands().contains(StrataCli.PUSH))) {
                Packages.ensure(Packages.REGISTRY, out);
            }
        }

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Path dir = o.resultsDir().resolve(now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + (smoke ? "-smoke" : ""));
        Path raw = dir.resolve("raw");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("started", now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")));
        meta.put("command", "bench/run " + String.join(" ", argsOf(o)));
        meta.put("machine", machine());
        for (Tool t : tools) {
            meta.put(t.name(), t.version());
        }
        meta.put("inputs", String.join("; ", inputs.describe()));

        Runner runner = new Runner(o, tools, ops, inputs, scale, raw, out, cleanup);
        try {
            runner.runAll();
        } finally {
            // versions the daemon reports only once started
            for (Tool t : tools) {
                meta.put(t.name(), t.version());
            }
            List<String> notes = methodNotes(o, tools);
            Report report = new Report(meta, ops, o.tools(), runner, notes);
            report.write(dir);
            out.println();
            out.print(report.tables());
            out.println(runner.failures().size() + " failure(s), listed in the notes of " + dir.resolve("results.md"));
            out.println("results: " + dir + " (results.md, samples.csv, samples.json, raw/)");
        }
        return smoke && !runner.failures().isEmpty() ? 1 : 0;
    }

    private static List<String> methodNotes(Options o, List<Tool> tools) {
        List<String> n = new ArrayList<>();
        n.add("Per operation and storage kind: " + o.warmup() + " warm-up run(s), then " + o.runs()
                + " measured runs per tool, the tools taking turns (" + String.join(", ", o.tools())
                + ", " + o.tools().getFirst() + ", …). Warm-up samples are in samples.csv but not in the tables.");
        n.add("Wall time is taken by the harness around the whole command (process spawn to exit). For docker"
                + " that is the CLI streaming the tarball to the already-running dockerd over its unix socket and"
                + " waiting for it; daemon start-up is not measured. Podman and Strata start fresh every time.");
        n.add("Before each operation the harness waits (up to " + o.quietWait().toSeconds()
                + " s) until the CPUs are less than " + (int) Runner.QUIET_BUSY_PERCENT + "% busy over a few"
                + " seconds, since other work on the machine skews the samples; what it saw is given above each table.");
        n.add("Before each timed command the harness runs `sync` (untimed), so no tool pays for another's"
                + " write-back; the input tarball stays in the page cache, so every tool reads it warm.");
        n.add("Setup and cleanup are untimed. Every run that needs an empty store gets a brand-new one: a new"
                + " data root for each tool (dockerd restarted on it; podman's and strata's initialised by an"
                + " untimed `images`). Old stores are deleted only when the storage area is released at the end:"
                + " this machine's ext4 has no journal, and there ext4 skips inodes deleted in the last 60-360 s"
                + " when it allocates new ones (fs/ext4/ialloc.c, find_inode_bit/recently_deleted), so deleting"
                + " an image between runs made the next run's file creation several times slower.");
        n.add("Each operation starts every tool from a store state (empty; holding the image; image and one"
                + " container; ...) built untimed on a fresh store. Read-only operations share that store from run to"
                + " run; operations that only add (create, commit, push-cold) keep it and use new names each run;"
                + " the others (import, load, pull-cold, cold builds, strata-vfs's create-N) get a fresh store per run.");
        if (o.strace()) {
            n.add("*sync calls (strace)* come from one extra run per row under `strace -f -e trace=" + Strace.CALLS
                    + "` (for docker: the CLI, plus dockerd and its children attached during the command; on the disk only"
                    + " when both storages run); that run is not"
                    + " in the statistics.");
        }
        n.add("Podman's TMPDIR points into its data root: containers/image copies the whole layer to a"
                + " temporary file there before applying it (storage_dest.go putBlobToPendingFile), so on tmpfs"
                + " that copy is in memory too. containers/image also keeps its blob-info cache in"
                + " /var/lib/containers/cache whatever --root says (a small BoltDB file, always on the real disk).");
        n.add("Docker CLI is Debian's " + DockerTool.DOCKER + " (matches dockerd); /usr/local/bin/docker, if"
                + " present, is not used.");
        for (Tool t : tools) {
            n.add(t.name() + ": " + t.describe());
        }
        return n;
    }

    private static List<String> argsOf(Options o) {
        List<String> a = new ArrayList<>();
        if (o.mode() == Options.Mode.SMOKE) {
            a.add("--smoke");
        } else if (o.small()) {
            a.add("--small");
        }
        if (o.strace()) {
            a.add("--strace");
        }
        a.addAll(List.of("--runs", Integer.toString(o.runs()), "--warmup", Integer.toString(o.warmup()),
                "--storage", o.storages().size() == 2 ? "both" : o.storages().getFirst().label(),
                "--tools", String.join(",", o.tools())));
        if (!o.opsFilter().isEmpty()) {
            a.addAll(List.of("--ops", String.join(",", o.opsFilter())));
        }
        return a;
    }

    private static String machine() {
        String kernel = Exec.firstLine(List.of("uname", "-r"));
        long memKiB = 0;
        String cpu = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        } catch (IOException | NumberFormatException e) {
            // leave the defaults
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), "
                + String.format("%.1f GiB", memKiB / 1048576.0) + " RAM, kernel " + kernel + ", "
                + "harness on Java " + Runtime.version();
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> l.split("\\s+")[2].equals("0")).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireRoot(String why) throws BenchException {
        if (!isRoot()) {
            throw new BenchException(why + " needs root (mounts, dockerd, apt-get): run bench/run as root");
        }
    }
}
