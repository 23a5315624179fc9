package dev.strata.engine.build;

import dev.strata.digest.Digest;
import dev.strata.reference.Reference;
import java.util.List;

/**
 * What a build made.
 *
 * @param id   the image ID of the target stage's last step
 * @param tags the {@code -t} references it now has
 */
public record BuildResult(Digest id, List<Reference> tags) {
    public BuildResult {
        tags = List.copyOf(tags);
    }
}
