package dev.strata.engine.container;

import java.util.List;
import java.util.Optional;

/**
 * Options of {@code commit}.
 *
 * @param reference tag for the new image
 * @param changes Dockerfile-style config changes ({@code CMD ["sh"]})
 * @param message the history comment
 */
public record CommitOptions(Optional<String> reference, List<String> changes, Optional<String> message, Optional<String> author) {
    public static CommitOptions tagged(String reference) {
        return new CommitOptions(Optional.of(reference), List.of(), Optional.empty(), Optional.empty());
    }
}
