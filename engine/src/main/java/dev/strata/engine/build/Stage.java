package dev.strata.engine.build;

import java.util.List;
import java.util.Optional;

/**
 * A build stage: a FROM and the instructions up to the next FROM.
 *
 * @param index its position in the Dockerfile, from 0 (what {@code COPY --from=0} refers to)
 */
public record Stage(int index, Instruction.From from, List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** The base as written: an image reference, a stage name or {@code scratch}; may contain {@code $ARG}s. */
    public String baseName() {
        return from.image();
    }

    /** The {@code AS} name, in lower case (stage names are case-insensitive). */
    public Optional<String> name() {
        return from.name();
    }

    /** {@code --platform}, as written. */
    public Optional<String> platform() {
        return from.platform();
    }

    public SourceLocation location() {
        return from.location();
    }

    /** The name if the stage has one, else its index, as a {@code COPY --from} would refer to it. */
    public String displayName() {
        return name().orElse(Integer.toString(index));
    }
}
