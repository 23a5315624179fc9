package dev.strata.engine;

import dev.strata.error.InvalidArgumentException;
import dev.strata.image.ImageJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Settings from a config file, like Docker's {@code daemon.json}: {@code /etc/strata/strata.json} (or the file
 * {@code $STRATA_CONFIG} names), for example {@code {"storage-driver": "vfs", "data-root": "/srv/strata"}}.
 * Command-line options override it.
 */
public record StrataConfig(Optional<String> storageDriver, Optional<Path> dataRoot) {
    public static final Path DEFAULT_FILE = Path.of("/etc/strata/strata.json");

    public static StrataConfig load() throws InvalidArgumentException {
        String env = System.getenv("STRATA_CONFIG");
        return load(env != null && !env.isEmpty() ? Path.of(env) : DEFAULT_FILE);
    }

    public static StrataConfig load(Path file) throws InvalidArgumentException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new StrataConfig(Optional.empty(), Optional.empty());
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read the config file " + file + ": " + e.getMessage());
        }
        JsonNode tree;
        try {
            tree = ImageJson.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new InvalidArgumentException("the config file " + file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!tree.isObject()) {
            throw new InvalidArgumentException("the config file " + file + " must hold a JSON object");
        }
        for (String key : tree.propertyNames()) {
            if (!key.equals("storage-driver") && !key.equals("data-root")) {
                throw new InvalidArgumentException("unknown key \"" + key + "\" in the config file " + file
                        + "; known: storage-driver, data-root");
            }
        }
        return new StrataConfig(text(tree, "storage-driver", file), text(tree, "data-root", file).map(Path::of));
    }

    private static Optional<String> text(JsonNode tree, String key, Path file) throws InvalidArgumentException {
        JsonNode v = tree.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString() || v.asString().isEmpty()) {
            throw new InvalidArgumentException("\"" + key + "\" in the config file " + file + " must be a non-empty string");
        }
        return Optional.of(v.asString());
    }
}
