package dev.strata.engine.image;

import java.util.List;
import java.util.Optional;

/**
 * Options of {@code import}.
 *
 * @param reference the tag to give the new image
 * @param changes Dockerfile-style config changes ({@code CMD ["sh"]}, {@code ENV A=b})
 * @param message history comment; Docker's default is {@code Imported from <source>}
 * @param source where the tarball came from, for the default message ({@code -} for a stream)
 */
public record ImportOptions(Optional<String> reference, List<String> changes, Optional<String> message, String source) {
    public static ImportOptions tagged(String reference) {
        return new ImportOptions(Optional.of(reference), List.of(), Optional.empty(), "-");
    }

    public static ImportOptions untagged() {
        return new ImportOptions(Optional.empty(), List.of(), Optional.empty(), "-");
    }
}
