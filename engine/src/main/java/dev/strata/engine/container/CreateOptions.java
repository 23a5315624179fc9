package dev.strata.engine.container;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code create} (and {@code run}) take; anything empty falls back to the image's config.
 *
 * @param command replaces the image's CMD when not empty
 * @param entrypoint replaces the image's ENTRYPOINT when present (an empty list clears it, as {@code --entrypoint ""})
 * @param env added to (and overriding) the image's environment, {@code KEY=value}
 * @param host how it runs on this host: mounts, network, read-only root, init, auto-remove
 */
public record CreateOptions(
        String image,
        Optional<String> name,
        List<String> command,
        Optional<List<String>> entrypoint,
        List<String> env,
        Optional<String> workingDir,
        Optional<String> user,
        Map<String, String> labels,
        Optional<String> hostname,
        boolean tty,
        boolean openStdin,
        HostSpec host) {

    public static CreateOptions of(String image, String... command) {
        return new CreateOptions(image, Optional.empty(), List.of(command), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Map.of(), Optional.empty(), false, false, HostSpec.defaults());
    }

    public CreateOptions withName(String n) {
        return new CreateOptions(image, Optional.of(n), command, entrypoint, env, workingDir, user, labels, hostname, tty, openStdin,
                host);
    }

    public CreateOptions withHost(HostSpec h) {
        return new CreateOptions(image, name, command, entrypoint, env, workingDir, user, labels, hostname, tty, openStdin, h);
    }
}
