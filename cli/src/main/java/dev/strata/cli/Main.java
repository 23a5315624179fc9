package dev.strata.cli;

import dev.strata.cli.command.BuildCommand;
import dev.strata.cli.command.CommitCommand;
import dev.strata.cli.command.ContainerCommand;
import dev.strata.cli.command.AttachCommand;
import dev.strata.cli.command.CpCommand;
import dev.strata.cli.command.CreateCommand;
import dev.strata.cli.command.ExecCommand;
import dev.strata.cli.command.KillCommand;
import dev.strata.cli.command.LogsCommand;
import dev.strata.cli.command.PauseCommand;
import dev.strata.cli.command.RestartCommand;
import dev.strata.cli.command.RunCommand;
import dev.strata.cli.command.StartCommand;
import dev.strata.cli.command.StopCommand;
import dev.strata.cli.command.TopCommand;
import dev.strata.cli.command.UnpauseCommand;
import dev.strata.cli.command.WaitCommand;
import dev.strata.cli.command.DemoCommand;
import dev.strata.cli.command.DiffCommand;
import dev.strata.cli.command.MountCommand;
import dev.strata.cli.command.PsCommand;
import dev.strata.cli.command.RmCommand;
import dev.strata.cli.command.SystemCommand;
import dev.strata.cli.command.UmountCommand;
import dev.strata.cli.command.VolumeCommand;
import dev.strata.cli.command.HistoryCommand;
import dev.strata.cli.command.ImageCommand;
import dev.strata.cli.command.ImagesCommand;
import dev.strata.cli.command.ImportCommand;
import dev.strata.cli.command.InfoCommand;
import dev.strata.cli.command.InspectCommand;
import dev.strata.cli.command.LoadCommand;
import dev.strata.cli.command.LoginCommand;
import dev.strata.cli.command.LogoutCommand;
import dev.strata.cli.command.MigrateCommand;
import dev.strata.cli.command.PullCommand;
import dev.strata.cli.command.PushCommand;
import dev.strata.cli.command.RmiCommand;
import dev.strata.cli.command.SaveCommand;
import dev.strata.cli.command.TagCommand;
import dev.strata.cli.command.GlobalOptions;
import dev.strata.digest.Digester;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataConfig;
import dev.strata.engine.StrataOptions;
import dev.strata.engine.registry.RegistryService;
import dev.strata.engine.runtime.RuntimeOptions;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The {@code strata} command: parses, calls the engine, formats. No storage logic lives here. */
@Command(name = "strata", versionProvider = Main.Version.class,
        description = "Container image and storage engine.")
public final class Main implements Runnable, GlobalOptions {
    /**
     * The subcommands, in help order. Only the one a command line names is registered: building picocli's model of
     * every command costs more start-up time than most commands take to run.
     */
    private static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("import", ImportCommand.class);
        m.put("images", ImagesCommand.class);
        m.put("history", HistoryCommand.class);
        m.put("inspect", InspectCommand.class);
        m.put("tag", TagCommand.class);
        m.put("rmi", RmiCommand.class);
        m.put("save", SaveCommand.class);
        m.put("load", LoadCommand.class);
        m.put("pull", PullCommand.class);
        m.put("push", PushCommand.class);
        m.put("login", LoginCommand.class);
        m.put("logout", LogoutCommand.class);
        m.put("create", CreateCommand.class);
        m.put("run", RunCommand.class);
        m.put("start", StartCommand.class);
        m.put("stop", StopCommand.class);
        m.put("restart", RestartCommand.class);
        m.put("kill", KillCommand.class);
        m.put("wait", WaitCommand.class);
        m.put("pause", PauseCommand.class);
        m.put("unpause", UnpauseCommand.class);
        m.put("attach", AttachCommand.class);
        m.put("exec", ExecCommand.class);
        m.put("logs", LogsCommand.class);
        m.put("top", TopCommand.class);
        m.put("ps", PsCommand.class);
        m.put("rm", RmCommand.class);
        m.put("mount", MountCommand.class);
        m.put("umount", UmountCommand.class);
        m.put("diff", DiffCommand.class);
        m.put("commit", CommitCommand.class);
        m.put("build", BuildCommand.class);
        m.put("cp", CpCommand.class);
        m.put("image", ImageCommand.class);
        m.put("container", ContainerCommand.class);
        m.put("volume", VolumeCommand.class);
        m.put("system", SystemCommand.class);
        m.put("migrate", MigrateCommand.class);
        m.put("info", InfoCommand.class);
        m.put("demo", DemoCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return m;
    }

    /** Names of the top-level subcommands. */
    static List<String> commandNames() {
        return List.copyOf(COMMANDS.keySet());
    }

    /** Commands that stream layers through SHA-256 (the launcher's "long" ones): they warm the digest up at start. */
    private static final Set<String> HASHING_COMMANDS = Set.of("import", "load", "pull", "push", "save", "build", "commit",
            "migrate");

    /** Global options that take a value, so that the subcommand name can be found without parsing. */
    private static final Set<String> VALUED_OPTIONS = Set.of("--root", "-s", "--storage-driver");

    @Option(names = "--root", paramLabel = "DIR",
            description = "Store directory (default: data-root from /etc/strata/strata.json, else /var/lib/strata as root, "
                    + "$XDG_DATA_HOME/strata otherwise).")
    Path root;

    @Option(names = {"-s", "--storage-driver"}, paramLabel = "DRIVER", description = "Storage driver for a new store: overlay2 or vfs (default: storage-driver from "
                    + "/etc/strata/strata.json, else overlay2 where it works).")
    String storageDriver;

    @Option(names = {"-D", "--debug"}, description = "Print stack traces of errors.")
    boolean debug;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        RegistryService.shutdownClients(); // else the JVM's exit waits for the HTTP client's selector thread
        System.exit(status);
    }

    /** Runs one command line; returns the exit status. Used by main and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setInterpolateVariables(false); // no ${...} in our help texts; resolving them costs start-up time
        String named = subcommandName(args);
        if (named != null && HASHING_COMMANDS.contains(named)) {
            Thread.ofPlatform().daemon().name("digest-warm-up").start(Digester::warmUp);
        }
        // --version alone needs no subcommand; the help lists them all
        List<String> given = List.of(args);
        boolean versionOnly = named == null && (given.contains("--version") || given.contains("-V"))
                && !given.contains("--help") && !given.contains("-h");
        for (Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
            if (!versionOnly && (named == null || named.equals(c.getKey()))) {
                cl.addSubcommand(c.getKey(), c.getValue());
            }
        }
        stopAtCommand(cl);
        addHelpOptions(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("Error: " + message(ex));
            if (main.debug) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("Error: " + ex.getMessage());
            c.getErr().println("See '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            // docker run's own failures (a bad flag among them) exit 125, so that they differ from the container's codes
            return c.getCommandSpec().name().equals("run") ? 125 : 2;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** In {@code run IMAGE sh -c ...} everything after the image belongs to the container's command, options too. */
    private static void stopAtCommand(CommandLine cl) {
        Object command = cl.getCommand();
        if (command instanceof CreateCommand || command instanceof ExecCommand || command instanceof TopCommand) {
            cl.setStopAtPositional(true);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            stopAtCommand(sub);
        }
    }

    /**
     * {@code -h}/{@code --help} on every command, as Docker has. (picocli's standard mixin names its options
     * through the variable interpolation that is turned off above.) Where a command uses {@code -h} itself
     * ({@code run -h HOSTNAME}), only {@code --help}.
     */
    private static void addHelpOptions(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null) {
            String[] names = spec.findOption("-h") == null ? new String[] {"-h", "--help"} : new String[] {"--help"};
            spec.addOption(OptionSpec.builder(names).usageHelp(true).description("Show this help message and exit.").build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addHelpOptions(sub);
        }
    }

    /** The subcommand a command line names, or null when it names none we know (then all are registered). */
    private static String subcommandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED_OPTIONS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return COMMANDS.containsKey(a) && !a.equals("help") ? a : null;
            }
        }
        return null;
    }

    private static String message(Exception ex) {
        if (ex instanceof StrataException) {
            return ex.getMessage();
        }
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public String storageDriver() {
        return storageDriver;
    }

    @Override
    public int execute(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err);
    }

    /** Opens the store the global options name. */
    @Override
    public Strata open(PrintWriter err) throws IOException, StrataException {
        StrataConfig config = StrataConfig.load();
        Path r = root != null ? root : config.dataRoot().orElseGet(StrataOptions::defaultRoot);
        Optional<String> driver = storageDriver != null ? Optional.of(storageDriver) : config.storageDriver();
        return Strata.open(new StrataOptions(r, driver, line -> {
            err.println(line);
            err.flush();
        }, RuntimeOptions.defaults().withExitCommand(selfCommand())));
    }

    /**
     * How to run this CLI again, for conmon's exit command: this JVM's own command line up to the main class (same
     * JVM, flags, AOT cache and class path), or else the java of this JVM with its class path.
     */
    static List<String> selfCommand() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> java = info.command();
        Optional<String[]> args = info.arguments();
        if (java.isPresent() && args.isPresent()) {
            List<String> a = List.of(args.get());
            int main = a.indexOf(Main.class.getName());
            if (main >= 0) {
                List<String> cmd = new java.util.ArrayList<>();
                cmd.add(java.get());
                cmd.addAll(a.subList(0, main + 1));
                return cmd;
            }
        }
        String javaHome = System.getProperty("java.home");
        return List.of(Path.of(javaHome, "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code strata --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"strata 0.1.0"};
        }
    }
}
