package dev.strata.engine.container;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where an attached container's streams go ({@code run} without {@code -d}, {@code start -a}, {@code attach}).
 *
 * @param stdin sent to the container when it was created with {@code -i}; its end is passed on
 * @param stdout also receives a terminal's output (a terminal has only one stream)
 * @param detachKeys bytes that detach from a container with a terminal (docker's default is ctrl-p ctrl-q)
 * @param terminalSize the user's terminal size, asked for at the start and a few times a second after, so the
 *     container's terminal follows it; empty when there is none
 */
public record AttachStreams(Optional<InputStream> stdin, OutputStream stdout, OutputStream stderr, Optional<byte[]> detachKeys,
        Supplier<Optional<TerminalSize>> terminalSize) {

    /** Docker's default detach keys, ctrl-p ctrl-q. */
    public static final byte[] DEFAULT_DETACH_KEYS = {16, 17};

    /** Output only, no terminal size. */
    public static AttachStreams output(OutputStream stdout, OutputStream stderr) {
        return new AttachStreams(Optional.empty(), stdout, stderr, Optional.empty(), Optional::empty);
    }

    public AttachStreams withStdin(InputStream in) {
        return new AttachStreams(Optional.of(in), stdout, stderr, detachKeys, terminalSize);
    }

    /** Rows and columns of a terminal. */
    public record TerminalSize(int rows, int columns) {
    }
}
