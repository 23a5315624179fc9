package dev.strata.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Command-line options of {@code bench/run}.
 *
 * @param repo        the repository checkout (bench/run passes it)
 * @param runs        measured runs per tool and operation
 * @param warmup      unrecorded-in-statistics runs per tool before the measured ones
 * @param opsFilter   operation names or globs ({@code import*}); empty means all
 * @param storages    where the tools keep their data
 * @param tools       which tools take part, in the order they take turns
 * @param strata      the strata launcher
 * @param strace      one extra run per row under strace, counting the calls that make data durable
 * @param small       the smoke run's small inputs and counts, with every tool (a quick check of the whole suite)
 * @param mode        what to do
 */
record Options(Path repo, int runs, int warmup, List<String> opsFilter, List<StorageKind> storages,
               List<String> tools, Path strata, Path workDir, Path cacheDir, Path resultsDir, String tmpfsSize,
               boolean keepWork, java.time.Duration quietWait, boolean strace, boolean small, Mode mode) {

    enum Mode { BENCH, SMOKE, CHECK_PEERS, INPUTS_ONLY, LIST, HELP }

    /** The three engines compared in every operation. */
    static final List<String> CORE_TOOLS = List.of("strata", "docker", "podman");
    /** Plus Strata on the vfs driver, which only the operations that ask for it (create-N) use. */
    static final List<String> ALL_TOOLS = List.of("strata", "docker", "podman", "strata-vfs");

    static final String USAGE = """
            usage: bench/run [options]

            Side-by-side benchmark of Strata against Docker and Podman. Builds its inputs once into
            bench/cache/, starts isolated peers, runs each operation with the tools taking turns, and
            writes bench/results/<timestamp>/results.md (plus samples.csv, samples.json, raw/ logs).

              --runs N             measured runs per tool and operation (default 5)
              --warmup N           warm-up runs per tool before measuring (default 1)
              --ops LIST           comma-separated operation names or globs, e.g. import-debian or 'import*'
              --storage WHERE      disk, tmpfs or both (default both): the tools' data roots on the real
                                   disk or on a tmpfs mounted for the run
              --tools LIST         subset of strata,docker,podman,strata-vfs (default all; they take turns
                                   in this order; strata-vfs only takes part in create-N)
              --strata PATH        strata launcher (default $STRATA or <repo>/strata)
              --work-dir DIR       where the data roots go (default bench/work)
              --cache-dir DIR      where inputs are cached (default bench/cache)
              --results-dir DIR    where result folders go (default bench/results)
              --tmpfs-size SIZE    size limit of the tmpfs (default 8g)
              --keep-work          keep the on-disk data roots after the run, for inspection
              --quiet-wait SECS    before each operation, wait up to SECS (default 600) for the CPUs
                                   to be mostly idle; 0 to measure at once
              --strace             after the measured runs, one more run per tool under strace, counting
                                   fsync/fdatasync/syncfs/sync calls (docker: the CLI, dockerd and its children);
                                   on the disk only when both storages run
              --small              the smoke run's small inputs and counts (busybox, 3 containers, 16 MiB)
                                   with every tool: checks the whole suite quickly; not for comparisons
              --smoke              one run of each Strata operation whose command exists, on small inputs
                                   (busybox, a 2 MiB context; never mmdebstrap); no peers, no warm-up,
                                   disk only, results under bench/work/results; exits non-zero on any failure
              --jmh [REGEX] [JMH OPTIONS]
                                   the JMH microbenchmarks of the hot paths (module bench/jmh), results in
                                   bench/results/<timestamp>-jmh/ (handled by bench/run, see bench/README.md)
              --check-peers        start dockerd, podman and the registry, push and pull a busybox
                                   image through the registry, print versions, stop everything
              --inputs             only build (if missing) and describe the inputs
              --list               list the operations
              -h, --help           this text
            """;

    static Options parse(String[] args) throws BenchException {
        Path repo = Path.of(".").toAbsolutePath().normalize();
        Integer runs = null;
        Integer warmup = null;
        List<String> ops = List.of();
        String storage = null;
        List<String> tools = null;
        Path strata = Optional.ofNullable(System.getenv("STRATA")).filter(s -> !s.isBlank()).map(Path::of).orElse(null);
        Path work = null;
        Path cache = null;
        Path results = null;
        String tmpfsSize = "8g";
        boolean keep = false;
        boolean strace = false;
        boolean small = false;
        Integer quietWait = null;
        Mode mode = Mode.BENCH;
        List<String> a = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> mode = Mode.HELP;
                case "--smoke" -> mode = Mode.SMOKE;
                case "--check-peers" -> mode = Mode.CHECK_PEERS;
                case "--inputs" -> mode = Mode.INPUTS_ONLY;
                case "--list" -> mode = Mode.LIST;
                case "--keep-work" -> keep = true;
                case "--strace" -> strace = true;
                case "--small" -> small = true;
                default -> {
                    if (value == null) {
                        if (i + 1 >= a.size()) {
                            throw new BenchException("option " + arg + " needs a value\n\n" + USAGE);
                        }
                        value = a.get(++i);
                    }
                    switch (arg) {
                        case "--repo" -> repo = Path.of(value).toAbsolutePath().normalize();
                        case "--runs" -> runs = positive(arg, value, 1);
                        case "--warmup" -> warmup = positive(arg, value, 0);
                        case "--ops" -> ops = split(value);
                        case "--storage" -> storage = value;
                        case "--tools" -> tools = split(value);
                        case "--strata" -> strata = Path.of(value);
                        case "--work-dir" -> work = Path.of(value);
                        case "--cache-dir" -> cache = Path.of(value);
                        case "--results-dir" -> results = Path.of(value);
                        case "--tmpfs-size" -> tmpfsSize = value;
                        case "--quiet-wait" -> quietWait = positive(arg, value, 0);
                        default -> throw new BenchException("unknown option " + arg + "\n\n" + USAGE);
                    }
                }
            }
        }
        List<StorageKind> storages = switch (storage == null ? "both" : storage) {
            case "both" -> List.of(StorageKind.DISK, StorageKind.TMPFS);
            default -> List.of(StorageKind.parse(storage));
        };
        if (tools == null) {
            tools = ALL_TOOLS;
        }
        for (String t : tools) {
            if (!ALL_TOOLS.contains(t)) {
                throw new BenchException("unknown tool '" + t + "': use " + String.join(",", ALL_TOOLS));
            }
        }
        if (mode == Mode.SMOKE) {
            tools = List.of("strata", "strata-vfs");
            storages = storage == null ? List.of(StorageKind.DISK) : storages;
            runs = runs == null ? 1 : runs;
            warmup = warmup == null ? 0 : warmup;
            quietWait = quietWait == null ? 0 : quietWait;
        }
        Path bench = repo.resolve("bench");
        if (mode == Mode.SMOKE && results == null) {
            results = bench.resolve("work").resolve("results");
        }
        return new Options(repo, runs == null ? 5 : runs, warmup == null ? 1 : warmup, ops, storages, tools,
                strata == null ? repo.resolve("strata") : strata.toAbsolutePath().normalize(),
                abs(work, bench.resolve("work")), abs(cache, bench.resolve("cache")),
                abs(results, bench.resolve("results")), tmpfsSize, keep,
                java.time.Duration.ofSeconds(quietWait == null ? 600 : quietWait), strace, small || mode == Mode.SMOKE, mode);
    }

    boolean wantsPeers() {
        return tools.stream().anyMatch(t -> !t.startsWith("strata"));
    }

    /** Operations matching the filter (names or globs with *), in suite order. */
    List<Operation> select(List<Operation> all) throws BenchException {
        if (opsFilter.isEmpty()) {
            return all;
        }
        List<Operation> chosen = new ArrayList<>();
        for (String f : opsFilter) {
            String regex = ("\\Q" + f + "\\E").replace("*", "\\E.*\\Q");
            List<Operation> hit = all.stream().filter(o -> o.name().matches(regex)).toList();
            if (hit.isEmpty()) {
                throw new BenchException("no operation matches '" + f + "'; known: "
                        + all.stream().map(Operation::name).toList());
            }
            hit.stream().filter(o -> !chosen.contains(o)).forEach(chosen::add);
        }
        return all.stream().filter(chosen::contains).toList();
    }

    private static int positive(String opt, String v, int min) throws BenchException {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BenchException(opt + " needs a whole number >= " + min + ", got '" + v + "'");
    }

    private static List<String> split(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Path abs(Path p, Path dflt) {
        return (p == null ? dflt : p).toAbsolutePath().normalize();
    }
}
