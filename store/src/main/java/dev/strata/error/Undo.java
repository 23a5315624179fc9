package dev.strata.error;

import java.io.IOException;

/**
 * Undoes the steps of an action that failed, so that it leaves the store as it was: each step runs even when an
 * earlier one fails, and whatever they throw is added to the failure, which the caller then rethrows.
 *
 * <pre>{@code
 * } catch (IOException | StrataException | RuntimeException e) {
 *     Undo.after(e, layer::remove, () -> Trees.deleteRecursively(bundle));
 *     throw e;
 * }
 * }</pre>
 */
public final class Undo {
    /** One step of undoing. */
    @FunctionalInterface
    public interface Step {
        void run() throws IOException;
    }

    private Undo() {
    }

    /** Runs {@code steps} in order, adding what they throw to {@code failure} as suppressed exceptions. */
    public static void after(Throwable failure, Step... steps) {
        for (Step step : steps) {
            try {
                step.run();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
