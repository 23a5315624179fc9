package dev.strata.engine.container;

/** How an attached session ended. */
public sealed interface AttachOutcome {
    /** The container exited with {@code exitCode}. */
    record Exited(int exitCode) implements AttachOutcome {
    }

    /** The user typed the detach keys; the container goes on. */
    record Detached() implements AttachOutcome {
    }
}
