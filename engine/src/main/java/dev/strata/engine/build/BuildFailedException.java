package dev.strata.engine.build;

import dev.strata.error.StrataException;

/**
 * A RUN step whose command failed: {@code The command '/bin/sh -c exit 3' returned a non-zero code: 3}. The CLI
 * exits with {@link #exitCode()}, as the docker CLI does.
 */
public final class BuildFailedException extends StrataException {
    private final int exitCode;

    public BuildFailedException(String command, int exitCode) {
        super("The command '" + command + "' returned a non-zero code: " + exitCode);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
