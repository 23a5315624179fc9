package dev.strata.engine.container;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code logs} prints.
 *
 * @param follow keep printing new output until the container stops
 * @param tail only the last so many lines
 * @param since only lines written at or after this time
 * @param until only lines written before this time
 * @param timestamps prefix each line with its time, as docker does ({@code 2006-01-02T15:04:05.000000000Z})
 */
public record LogOptions(boolean follow, OptionalInt tail, Optional<Instant> since, Optional<Instant> until, boolean timestamps) {
    public static LogOptions all() {
        return new LogOptions(false, OptionalInt.empty(), Optional.empty(), Optional.empty(), false);
    }
}
