package dev.strata.cli.command;

import dev.strata.engine.Strata;
import dev.strata.error.StrataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of commands that work on the store: opens it, runs, closes it. */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private GlobalOptions main() {
        return (GlobalOptions) spec.root().userObject();
    }

    @Override
    public final Integer call() throws Exception {
        try (Strata strata = main().open(err())) {
            return run(strata);
        }
    }

    abstract int run(Strata strata) throws IOException, StrataException;
}
