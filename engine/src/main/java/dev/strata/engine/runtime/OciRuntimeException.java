package dev.strata.engine.runtime;

import dev.strata.error.StrataException;

/**
 * The OCI runtime or its monitor refused or failed: the container's process could not be started, or a runtime
 * command failed. {@link #exitStatus} is what {@code docker run} exits with for it: 127 when the command was not
 * found, 126 when it cannot be executed, 125 for anything else.
 */
public class OciRuntimeException extends StrataException {
    private final int exitStatus;

    public OciRuntimeException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    /** Docker's classification of a runtime's start error (docker/cli {@code runContainer}). */
    static int statusFor(String message) {
        if (message.contains("executable file not found") || message.contains("no such file or directory")) {
            return 127;
        }
        if (message.contains("permission denied") || message.contains("exec format error")) {
            return 126;
        }
        return 125;
    }
}
