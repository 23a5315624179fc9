package dev.strata.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One benchmark operation, defined once for every tool: the store state it starts from, an untimed per-run setup,
 * the timed command (one per tool, and per variant where a tool has several ways to do it, like Docker's classic
 * builder and BuildKit), an untimed cleanup. Build one with {@link #named}.
 *
 * @param name           short id used by {@code --ops} and in file names
 * @param description    one line for the report
 * @param strataCommands Strata sub-commands the operation needs; while one is missing, Strata's row is skipped
 *                       (and {@code --smoke} skips the operation), the peers still run
 * @param state          what the tool's store must hold before each run (built untimed on a fresh store)
 * @param effect         what a run does to that state, per tool
 * @param variants       the ways a tool does it; {@code ""} alone for most
 * @param setup          untimed, before every run, after the state is in place
 * @param command        the measured command line (wall time from process start to exit)
 * @param cleanup        untimed, after every run, also after a failed one
 * @param units          how many items one run makes (containers for create-100); the table shows per-item costs
 * @param measureDisk    whether to measure the growth of the tool's store ({@code du -skx}, untimed) per run
 * @param tools          which tools take part (by tool name); strata-vfs only where an operation asks for it
 * @param timeout        a run taking longer is killed and recorded as failed
 * @param durability     what each tool makes durable for this operation, by tool name, for the table
 */
record Operation(String name, String description, List<String> strataCommands, StateChooser state,
                 Function<Tool, Effect> effect, Function<Tool, List<String>> variants, Step setup, CommandLine command,
                 Step cleanup, ToIntFunction<Tool> units, boolean measureDisk, List<String> tools, Duration timeout,
                 Map<String, String> durability) {

    /** What a run leaves the store like. */
    enum Effect {
        /** Nothing changes: the next run reuses the store. */
        READ_ONLY,
        /** The run adds something, but the next run of the same operation can start from this store (unique names). */
        REPEATABLE,
        /** The next run needs the state rebuilt on a fresh store. */
        DIRTIES
    }

    /** An untimed step for one tool and variant. */
    @FunctionalInterface
    interface Step {
        Step NONE = (tool, ctx, variant) -> { };

        void run(Tool tool, Ctx ctx, String variant) throws BenchException;
    }

    /** The timed command for one tool and variant. */
    @FunctionalInterface
    interface CommandLine {
        Cmd of(Tool tool, Ctx ctx, String variant) throws BenchException;
    }

    /** A command line plus environment added to the tool's own. */
    record Cmd(List<String> argv, Map<String, String> env) {
        static Cmd of(List<String> argv) {
            return new Cmd(argv, Map.of());
        }

        static Cmd shell(String script) {
            return of(List.of("/bin/sh", "-c", script));
        }
    }

    /**
     * What the store must hold: built by {@code build} on a fresh store; two operations with the same label share
     * the store (read-only operations run on it one after the other).
     */
    record StoreState(String label, StateBuilder build) {
        static final StoreState EMPTY = new StoreState("empty", (t, c) -> { });
    }

    /** Fills a fresh store. */
    @FunctionalInterface
    interface StateBuilder {
        void build(Tool tool, Ctx ctx) throws BenchException;
    }

    /** The label of a state that may depend on the run's context (a registry's address). */
    @FunctionalInterface
    interface StateChooser {
        StoreState choose(Ctx ctx) throws BenchException;
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    /** Whether {@code tool} takes part. */
    boolean includes(Tool tool) {
        return tools.contains(tool.name());
    }

    /** Name of a row in the table: the tool, plus the variant in parentheses. */
    static String row(Tool tool, String variant) {
        return variant.isEmpty() ? tool.name() : tool.name() + " (" + variant + ")";
    }

    static final class Builder {
        private final String name;
        private String description = "";
        private List<String> strataCommands = List.of();
        private StateChooser state = c -> StoreState.EMPTY;
        private Function<Tool, Effect> effect = t -> Effect.READ_ONLY;
        private Function<Tool, List<String>> variants = t -> List.of("");
        private Step setup = Step.NONE;
        private CommandLine command;
        private Step cleanup = Step.NONE;
        private ToIntFunction<Tool> units = t -> 1;
        private boolean measureDisk;
        private List<String> tools = Options.CORE_TOOLS;
        private Duration timeout = Duration.ofMinutes(15);
        private Map<String, String> durability = Map.of();

        private Builder(String name) {
            this.name = name;
        }

        Builder description(String d) {
            description = d;
            return this;
        }

        Builder needs(String... strataSubcommands) {
            strataCommands = List.of(strataSubcommands);
            return this;
        }

        Builder state(StoreState s) {
            state = c -> s;
            return this;
        }

        Builder state(StateChooser s) {
            state = s;
            return this;
        }

        Builder effect(Effect e) {
            effect = t -> e;
            return this;
        }

        Builder effect(Function<Tool, Effect> e) {
            effect = e;
            return this;
        }

        Builder variants(Function<Tool, List<String>> v) {
            variants = v;
            return this;
        }

        Builder setup(Step s) {
            setup = s;
            return this;
        }

        Builder command(CommandLine c) {
            command = c;
            return this;
        }

        Builder cleanup(Step c) {
            cleanup = c;
            return this;
        }

        Builder units(ToIntFunction<Tool> u) {
            units = u;
            return this;
        }

        Builder measureDisk() {
            measureDisk = true;
            return this;
        }

        Builder tools(List<String> t) {
            tools = t;
            return this;
        }

        Builder timeout(Duration t) {
            timeout = t;
            return this;
        }

        Builder durability(Map<String, String> d) {
            durability = d;
            return this;
        }

        Operation build() {
            return new Operation(name, description, strataCommands, state, effect, variants, setup,
                    Objects.requireNonNull(command, "command of " + name), cleanup, units, measureDisk, tools, timeout,
                    durability);
        }
    }
}
