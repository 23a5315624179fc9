package dev.strata.engine.build;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code strata build} takes besides the context.
 *
 * @param tags        {@code -t}: references to give the result, validated before anything is built
 * @param target      {@code --target}: the stage to build; empty for the last one
 * @param buildArgs   {@code --build-arg NAME=value} (the CLI fills in bare names from its environment)
 * @param noCache     {@code --no-cache}: no step is taken from the build cache
 * @param labels      {@code --label}: added to the result as a last LABEL step, as Docker's classic builder does
 * @param remove      {@code --rm}: remove the container of each successful RUN (Docker's default: true)
 * @param forceRemove {@code --force-rm}: remove the container of a failed RUN too
 */
public record BuildOptions(List<String> tags, Optional<String> target, Map<String, String> buildArgs, boolean noCache,
        Map<String, String> labels, boolean remove, boolean forceRemove) {
    public BuildOptions {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
        labels = new java.util.TreeMap<>(labels); // sorted, so the LABEL step (and its cache key) is stable
    }

    public static BuildOptions defaults() {
        return new BuildOptions(List.of(), Optional.empty(), Map.of(), false, Map.of(), true, false);
    }

    public BuildOptions withTags(String... t) {
        return new BuildOptions(List.of(t), target, buildArgs, noCache, labels, remove, forceRemove);
    }

    public BuildOptions withTarget(String t) {
        return new BuildOptions(tags, Optional.of(t), buildArgs, noCache, labels, remove, forceRemove);
    }

    public BuildOptions withBuildArgs(Map<String, String> a) {
        return new BuildOptions(tags, target, a, noCache, labels, remove, forceRemove);
    }

    public BuildOptions withNoCache(boolean n) {
        return new BuildOptions(tags, target, buildArgs, n, labels, remove, forceRemove);
    }

    public BuildOptions withLabels(Map<String, String> l) {
        return new BuildOptions(tags, target, buildArgs, noCache, l, remove, forceRemove);
    }

    public BuildOptions withRemove(boolean rm, boolean forceRm) {
        return new BuildOptions(tags, target, buildArgs, noCache, labels, rm, forceRm);
    }
}
