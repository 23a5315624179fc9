package dev.strata.engine.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * A mount as the OCI runtime gets it: after volume names are resolved to directories. For a bind or volume,
 * {@code source} is a host directory or file; for tmpfs it is empty and {@code options} carry size and mode.
 *
 * @param type {@code bind} or {@code tmpfs}
 * @param options OCI mount options ({@code rbind}, {@code ro}, {@code nosuid}, {@code size=64m}, ...)
 */
public record RuntimeMount(String type, Path source, String destination, List<String> options) {
}
