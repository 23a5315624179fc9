package dev.strata.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * One command line run by the CLI inside the test's JVM, which keeps a test class fast: what it prints and its exit
 * status are what the launcher would give (the launcher only adds the JVM around {@link Main#run}).
 */
record InProcess(int status, String out, String err) {
    static InProcess run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new InProcess(status, out.toString(), err.toString());
    }

    /** {@link #run} with {@code --root root} in front. */
    static InProcess at(Path root, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }
}
