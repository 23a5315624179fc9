package dev.strata.cli;

import dev.strata.cli.command.DemoCommand;
import dev.strata.cli.command.HistoryCommand;
import dev.strata.cli.command.ImageCommand;
import dev.strata.cli.command.ImagesCommand;
import dev.strata.cli.command.ImportCommand;
import dev.strata.cli.command.InfoCommand;
import dev.strata.cli.command.InspectCommand;
import dev.strata.cli.command.LoadCommand;
import dev.strata.cli.command.RmiCommand;
import dev.strata.cli.command.SaveCommand;
import dev.strata.cli.command.TagCommand;
import dev.strata.engine.Strata;
import dev.strata.engine.StrataOptions;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code strata} command: parses, calls the engine, formats. No storage logic lives here. */
@Command(name = "strata", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Container image and storage engine.",
        subcommands = {
            ImportCommand.class, ImagesCommand.class, HistoryCommand.class, InspectCommand.class, TagCommand.class,
            RmiCommand.class, SaveCommand.class, LoadCommand.class, ImageCommand.class, InfoCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--root", paramLabel = "DIR",
            description = "Store directory (default: /var/lib/strata as root, $XDG_DATA_HOME/strata otherwise).")
    Path root;

    @Option(names = {"-s", "--storage-driver"}, paramLabel = "DRIVER", description = "Storage driver for a new store: vfs.")
    String storageDriver;

    @Option(names = {"-D", "--debug"}, description = "Print stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit status. Used by main and by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
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
            return 2;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static String message(Exception ex) {
        if (ex instanceof StrataException) {
            return ex.getMessage();
        }
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }

    public Path root() {
        return root;
    }

    public String storageDriver() {
        return storageDriver;
    }

    /** Opens the store the global options name. */
    public Strata open(PrintWriter err) throws IOException, StrataException {
        Path r = root != null ? root : StrataOptions.defaultRoot();
        return Strata.open(new StrataOptions(r, Optional.ofNullable(storageDriver), line -> {
            err.println(line);
            err.flush();
        }));
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
