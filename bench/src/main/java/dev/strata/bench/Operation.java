package dev.strata.bench;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One benchmark operation, defined once for every tool: an untimed setup, the timed command (one per tool,
 * chosen by switching over the sealed {@link Tool}), an untimed cleanup that leaves the store as it found it.
 *
 * @param name           short id used by {@code --ops} and in file names
 * @param description    one line for the report
 * @param strataCommands Strata sub-commands the operation needs; {@code --smoke} skips it while one is missing
 * @param setup          untimed, before every run
 * @param command        the measured command line for a tool (wall time from process start to exit)
 * @param cleanup        untimed, after every run, also after a failed one
 * @param writes         whether the command changes the store (the next run that needs an empty store gets a
 *                       fresh one)
 * @param needsRegistry  whether a local registry must be running
 * @param timeout        a run taking longer is killed and recorded as failed
 */
record Operation(String name, String description, List<String> strataCommands, Action setup,
                 Function<Tool, List<String>> command, Action cleanup, boolean writes, boolean needsRegistry,
                 Duration timeout) {

    /** An untimed step for one tool. */
    @FunctionalInterface
    interface Action {
        Action NONE = tool -> { };

        void run(Tool tool) throws BenchException;
    }
}
