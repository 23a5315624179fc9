package dev.strata.engine.container;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** Where an exec'd command's stdio goes. */
public sealed interface ExecIo {
    /** This process's own stdin, stdout and stderr (the CLI): the command reads and writes them directly. */
    record Inherit() implements ExecIo {
    }

    /** Copied from and to these streams (without a terminal). */
    record Streams(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr) implements ExecIo {
    }
}
