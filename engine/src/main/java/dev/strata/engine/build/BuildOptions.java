package dev.strata.engine.build;

import dev.strata.engine.container.HostSpec;
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
 * @param network     {@code --network}: the network of RUN containers, {@code host} (the default) or {@code none};
 *                    {@code RUN --network=none} overrides it
 */
public record BuildOptions(List<String> tags, Optional<String> target, Map<String, String> buildArgs, boolean noCache,
        Map<String, String> labels, boolean remove, boolean forceRemove, String network) {
    public BuildOptions {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
        labels = new java.util.TreeMap<>(labels); // sorted, so the LABEL step (and its cache key) is stable
    }

    public static BuildOptions defaults() {
        return new BuildOptions(List.of(), Optional.empty(), Map.of(), false, Map.of(), true, false, HostSpec.NETWORK_HOST);
    }

    public BuildOptions withTags(String... t) {
        return new BuildOptions(List.of(t), target, buildArgs, noCache, labels, remove, forceRemove, network);
    }

    public BuildOptions withTarget(String t) {
        return new BuildOptions(tags, Optional.of(t), buildArgs, noCache, labels, remove, forceRemove, network);
    }

    public BuildOptions withBuildArgs(Map<String, String> a) {
        return new BuildOptions(tags, target, a, noCache, labels, remove, forceRemove, network);
    }

    public BuildOptions withNoCache(boolean n) {
        return new BuildOptions(tags, target, buildArgs, n, labels, remove, forceRemove, network);
    }

    public BuildOptions withLabels(Map<String, String> l) {
        return new BuildOptions(tags, target, buildArgs, noCache, l, remove, forceRemove, network);
    }

    public BuildOptions withNetwork(String n) {
        return new BuildOptions(tags, target, buildArgs, noCache, labels, remove, forceRemove, n);
    }

    public BuildOptions withRemove(boolean rm, boolean forceRm) {
        return new BuildOptions(tags, target, buildArgs, noCache, labels, rm, forceRm, network);
    }
}
