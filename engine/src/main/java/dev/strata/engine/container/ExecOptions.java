package dev.strata.engine.container;

import java.util.List;
import java.util.Optional;

/**
 * A command to run in a running container ({@code exec}).
 *
 * @param env added to the container's environment, {@code KEY=value}
 * @param workingDir default: the container's
 * @param user default: the container's
 * @param detach start it and return without waiting
 */
public record ExecOptions(List<String> command, List<String> env, Optional<String> workingDir, Optional<String> user, boolean tty,
        boolean interactive, boolean detach) {

    public static ExecOptions of(String... command) {
        return new ExecOptions(List.of(command), List.of(), Optional.empty(), Optional.empty(), false, false, false);
    }
}
