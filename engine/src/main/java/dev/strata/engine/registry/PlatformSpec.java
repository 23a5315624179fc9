package dev.strata.engine.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.error.InvalidArgumentException;
import java.util.Objects;

/**
 * A platform as indexes name it: {@code os/architecture[/variant]}, e.g. {@code linux/amd64}, {@code linux/arm64/v8}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"architecture", "os", "os.version", "variant"})
public record PlatformSpec(String architecture, String os, @JsonProperty("os.version") String osVersion, String variant) {

    /** This host's platform, {@code linux/<arch>}. */
    public static PlatformSpec host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "arm" -> "arm";
            case String other -> other;
        };
        return new PlatformSpec(arch, "linux", null, null);
    }

    /** Parses {@code os/arch[/variant]} (or just {@code arch}, meaning linux). */
    public static PlatformSpec parse(String text) throws InvalidArgumentException {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new InvalidArgumentException("invalid platform \"" + text + "\": want os/arch[/variant], e.g. linux/arm64");
            }
        }
        return switch (parts.length) {
            case 1 -> new PlatformSpec(normalArch(parts[0]), "linux", null, null);
            case 2 -> new PlatformSpec(normalArch(parts[1]), parts[0], null, null);
            case 3 -> new PlatformSpec(normalArch(parts[1]), parts[0], null, parts[2]);
            default -> throw new InvalidArgumentException("invalid platform \"" + text + "\": want os/arch[/variant], e.g. linux/arm64");
        };
    }

    private static String normalArch(String arch) {
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686" -> "386";
            default -> arch;
        };
    }

    /**
     * Whether an index entry with platform {@code candidate} serves this platform: same OS and architecture, and the
     * same variant when this one names a variant ({@code arm64} and {@code arm64/v8} are the same).
     */
    public boolean matches(PlatformSpec candidate) {
        if (candidate == null || !Objects.equals(os, candidate.os()) || !Objects.equals(architecture, candidate.architecture())) {
            return false;
        }
        if (variant == null) {
            return true;
        }
        return Objects.equals(normalVariant(variant), normalVariant(candidate.variant()));
    }

    private String normalVariant(String v) {
        if (v == null && "arm64".equals(architecture)) {
            return "v8";
        }
        return v;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
