package dev.strata.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.error.InvalidArgumentException;
import java.util.Objects;

/**
 * A platform, as image configs, indexes and {@code --platform} name it: {@code os/architecture[/variant]}, e.g.
 * {@code linux/amd64}, {@code linux/arm64/v8}. The one platform type: this host's, an index entry's, an archive's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"architecture", "os", "os.version", "variant"})
public record Platform(String architecture, String os, @JsonProperty("os.version") String osVersion, String variant) {

    /** The only operating system Strata runs images of. */
    public static final String LINUX = "linux";

    /** This host's platform, {@code linux/<arch>} with the architecture in OCI terms (from the JVM's {@code os.arch}). */
    public static Platform host() {
        return new Platform(normalArch(System.getProperty("os.arch")), LINUX, null, null);
    }

    /** Parses {@code os/arch[/variant]} (or just {@code arch}, meaning linux). */
    public static Platform parse(String text) throws InvalidArgumentException {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new InvalidArgumentException("invalid platform \"" + text + "\": want os/arch[/variant], e.g. linux/arm64");
            }
        }
        return switch (parts.length) {
            case 1 -> new Platform(normalArch(parts[0]), LINUX, null, null);
            case 2 -> new Platform(normalArch(parts[1]), parts[0], null, null);
            case 3 -> new Platform(normalArch(parts[1]), parts[0], null, parts[2]);
            default -> throw new InvalidArgumentException("invalid platform \"" + text + "\": want os/arch[/variant], e.g. linux/arm64");
        };
    }

    private static String normalArch(String arch) {
        return switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
    }

    /**
     * Whether an index entry with platform {@code candidate} serves this platform: same OS and architecture, and the
     * same variant when this one names a variant ({@code arm64} and {@code arm64/v8} are the same).
     */
    public boolean matches(Platform candidate) {
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
