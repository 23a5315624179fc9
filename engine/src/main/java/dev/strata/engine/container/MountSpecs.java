package dev.strata.engine.container;

import dev.strata.error.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the three ways a mount is asked for, with Docker's rules and error messages: {@code -v/--volume}
 * ({@code /host:/ctr[:ro]}, {@code name:/ctr[:ro]}, {@code /ctr} for an anonymous volume), {@code --mount}
 * ({@code type=bind|volume|tmpfs,source=...,target=...,readonly}) and {@code --tmpfs /ctr[:options]}.
 */
public final class MountSpecs {
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Set<String> PROPAGATION = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");

    private MountSpecs() {
    }

    /** {@code -v}. */
    public static MountSpec volume(String spec) throws InvalidArgumentException {
        String[] parts = spec.split(":", -1);
        if (spec.isEmpty() || parts.length > 3) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
        }
        if (parts.length == 1) {
            String target = parts[0];
            checkTarget(spec, "volume", target);
            return new MountSpec(MountSpec.VOLUME, "", target, false, null);
        }
        String source = parts[0];
        String target = parts[1];
        boolean bind = source.startsWith("/");
        MountType type = bind ? MountType.BIND : MountType.VOLUME;
        if (source.isEmpty()) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
        }
        checkTarget(spec, type.toString(), target);
        if (!bind && !VOLUME_NAME.matcher(source).matches()) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "': \"" + source + "\" includes invalid "
                    + "characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass "
                    + "a host directory, use absolute path");
        }
        boolean readOnly = false;
        String propagation = null;
        if (parts.length == 3) {
            for (String mode : parts[2].split(",", -1)) {
                switch (mode) {
                    case "ro" -> readOnly = true;
                    case "rw", "z", "Z", "nocopy", "consistent", "cached", "delegated" -> { }
                    default -> {
                        if (bind && PROPAGATION.contains(mode)) {
                            propagation = mode;
                        } else {
                            throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mode: " + parts[2]);
                        }
                    }
                }
            }
        }
        return new MountSpec(type, bind ? Path.of(source).normalize().toString() : source, target, readOnly, propagation);
    }

    /** {@code --mount}. A bind mount's source must exist, as Docker checks when the container is created. */
    public static MountSpec mount(String spec) throws InvalidArgumentException {
        String typeName = MountType.VOLUME.toString();
        String source = "";
        String target = null;
        boolean readOnly = false;
        String propagation = null;
        List<String> tmpfs = new ArrayList<>();
        for (String field : spec.split(",", -1)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            switch (key) {
                case "type" -> typeName = required(spec, key, value);
                case "source", "src" -> source = required(spec, key, value);
                case "target", "destination", "dst" -> target = required(spec, key, value);
                case "readonly", "ro" -> readOnly = bool(spec, key, value);
                case "bind-propagation" -> propagation = required(spec, key, value);
                case "tmpfs-size" -> tmpfs.add("size=" + required(spec, key, value));
                case "tmpfs-mode" -> tmpfs.add("mode=" + required(spec, key, value));
                case "volume-nocopy", "consistency", "volume-driver", "volume-opt", "volume-label", "bind-nonrecursive" -> { }
                default -> throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: unexpected key '"
                        + key + "' in '" + field + "'");
            }
        }
        String given = typeName;
        MountType type = MountType.parse(typeName).orElseThrow(() -> new InvalidArgumentException("invalid argument \"" + spec
                + "\" for \"--mount\" flag: invalid mount type \"" + given + "\"; use bind, volume or tmpfs"));
        if (target == null || target.isEmpty()) {
            throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: target is required");
        }
        checkTarget(spec, typeName, target);
        switch (type) {
            case BIND -> {
                if (source.isEmpty()) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": field Source must not be empty");
                }
                if (!source.startsWith("/")) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": invalid mount path: '" + source
                            + "' mount path must be absolute");
                }
                if (!Files.exists(Path.of(source))) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": bind source path does not exist: " + source);
                }
                if (propagation != null && !PROPAGATION.contains(propagation)) {
                    throw new InvalidArgumentException("invalid mount config for type \"bind\": invalid propagation mode: " + propagation);
                }
                return new MountSpec(type, Path.of(source).normalize().toString(), target, readOnly, propagation);
            }
            case TMPFS -> {
                if (!source.isEmpty()) {
                    throw new InvalidArgumentException("invalid mount config for type \"tmpfs\": field Source must not be specified");
                }
                return new MountSpec(type, "", target, readOnly, tmpfs.isEmpty() ? null : String.join(",", tmpfs));
            }
            default -> {
                if (!source.isEmpty() && !VOLUME_NAME.matcher(source).matches()) {
                    throw new InvalidArgumentException("invalid mount config for type \"volume\": invalid volume name \"" + source + "\"");
                }
                return new MountSpec(type, source, target, readOnly, null);
            }
        }
    }

    /** {@code --tmpfs /path[:size=64m,mode=1777]}. */
    public static MountSpec tmpfs(String spec) throws InvalidArgumentException {
        int colon = spec.indexOf(':');
        String target = colon < 0 ? spec : spec.substring(0, colon);
        String options = colon < 0 ? null : spec.substring(colon + 1);
        checkTarget(spec, MountType.TMPFS.toString(), target);
        return new MountSpec(MountSpec.TMPFS, "", target, false, options == null || options.isEmpty() ? null : options);
    }

    private static void checkTarget(String spec, String type, String target) throws InvalidArgumentException {
        if (target.isEmpty() || !target.startsWith("/")) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mount config for type \"" + type
                    + "\": invalid mount path: '" + target + "' mount path must be absolute");
        }
        if (Path.of(target).normalize().toString().equals("/")) {
            throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mount config for type \"" + type
                    + "\": destination can't be '/'");
        }
    }

    private static String required(String spec, String key, String value) throws InvalidArgumentException {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid field '" + key
                    + "' must be a key=value pair");
        }
        return value;
    }

    private static boolean bool(String spec, String key, String value) throws InvalidArgumentException {
        if (value == null) {
            return true;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid value for "
                    + key + ": " + value);
        };
    }
}
