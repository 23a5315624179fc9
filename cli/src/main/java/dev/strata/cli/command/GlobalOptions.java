package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a subcommand needs of the top-level {@code strata} command (picocli's root user object): the global options,
 * the store they name, and a way to run another command line ({@code demo}). The commands see it through this
 * interface, so that the package of the commands does not depend on the one of {@code Main}.
 */
public interface GlobalOptions {
    /** {@code --root}, or null when not given. */
    Path root();

    /** {@code --storage-driver}, or null when not given. */
    String storageDriver();

    /** Opens the store the global options name; {@code err} hears what opening it reports. */
    Strata open(PrintWriter err) throws IOException, StrataException;

    /** Runs one whole {@code strata} command line; returns its exit status. */
    int execute(String[] args, PrintWriter out, PrintWriter err);
}
