package dev.strata.engine.migrate;

import dev.strata.error.BadContentException;
import dev.strata.image.ImageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A Docker ≤ 1.9 root as read from disk (nothing is written): {@code graph/<id>/} (json, layersize, checksum,
 * tar-data.json.gz, parent), {@code repositories-<driver>}, {@code containers/<id>/config.json} and
 * {@code hostconfig.json}. Images whose metadata is broken, whose layer directory is missing or whose parent chain
 * is broken are listed in {@link #failures} and left out of {@link #images}; the rest come parents first.
 */
final class LegacyStore {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    /** One v1 image (= one layer) whose metadata reads. */
    record Image(String id, Optional<String> parent, byte[] json, V1Config.History history) {
    }

    /** A container of the legacy store, its {@code config.json} still raw. */
    record Container(String id, byte[] config, Optional<byte[]> hostConfig) {
    }

    final Path root;
    final LegacyDriver driver;
    /** Parents before children. */
    final List<Image> images = new ArrayList<>();
    final List<Container> containers = new ArrayList<>();
    /** repository name to tag-or-digest to legacy image ID, in file order. */
    final Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
    final List<MigrationReport.Failure> failures = new ArrayList<>();

    private LegacyStore(Path root, LegacyDriver driver) {
        this.root = root;
        this.driver = driver;
    }

    /** True when {@code dir} looks like a Docker ≤ 1.9 root that Strata has not been told to use as its own. */
    static boolean looksLegacy(Path dir) {
        return Files.isDirectory(dir.resolve("graph")) && !Files.exists(dir.resolve("strata.db"))
                && LegacyDriver.detect(dir).isPresent();
    }

    static LegacyStore read(Path root, Optional<LegacyDriver> requested) throws IOException {
        if (!Files.isDirectory(root.resolve("graph"))) {
            throw new IOException(root + " is not a Docker ≤ 1.9 data directory: it has no graph/ directory");
        }
        LegacyDriver driver = requested.isPresent() ? requested.get() : LegacyDriver.detect(root).orElseThrow(() -> new IOException(
                "cannot tell which storage driver " + root + " used (no repositories-<driver> file, no aufs/, overlay/ or vfs/); "
                        + "name it with --storage-driver"));
        LegacyStore s = new LegacyStore(root, driver);
        s.readGraph();
        s.readRepositories();
        s.readContainers();
        return s;
    }

    private void readGraph() throws IOException {
        Map<String, Image> read = new TreeMap<>();
        Map<String, String> broken = new HashMap<>();
        for (String id : list(root.resolve("graph"))) {
            if (!ID.matcher(id).matches()) {
                continue;
            }
            Path dir = root.resolve("graph").resolve(id);
            try {
                Path jsonFile = dir.resolve("json");
                if (!Files.isRegularFile(jsonFile)) {
                    throw new BadContentException("graph/" + id + "/json is missing");
                }
                byte[] json = Files.readAllBytes(jsonFile);
                V1Config.History history = V1Config.history(json, "graph/" + id.substring(0, 12) + "/json");
                Optional<String> parent = parent(dir, json);
                if (!Files.isDirectory(driver.imageLayerDir(root, id), LinkOption.NOFOLLOW_LINKS)) {
                    throw new BadContentException("its layer directory " + root.relativize(driver.imageLayerDir(root, id))
                            + " is missing");
                }
                read.put(id, new Image(id, parent, json, history));
            } catch (BadContentException e) {
                broken.put(id, e.getMessage());
                failures.add(new MigrationReport.Failure("layer", id, e.getMessage()));
            }
        }
        // Parents first; an image whose parent is missing or broken is skipped with everything above it.
        Map<String, Boolean> ok = new HashMap<>();
        for (String id : read.keySet()) {
            order(id, read, broken, ok, new ArrayList<>());
        }
    }

    private boolean order(String id, Map<String, Image> read, Map<String, String> broken, Map<String, Boolean> ok, List<String> path) {
        Boolean known = ok.get(id);
        if (known != null) {
            return known;
        }
        Image image = read.get(id);
        if (path.contains(id) || path.size() > 10_000) {
            failures.add(new MigrationReport.Failure("layer", id, "its parent chain loops"));
            ok.put(id, false);
            return false;
        }
        boolean good = true;
        if (image.parent().isPresent()) {
            String p = image.parent().get();
            if (read.containsKey(p)) {
                path.add(id);
                good = order(p, read, broken, ok, path);
                path.removeLast();
                if (!good) {
                    failures.add(new MigrationReport.Failure("layer", id, "its parent " + p.substring(0, 12) + " was skipped"));
                }
            } else {
                good = false;
                failures.add(new MigrationReport.Failure("layer", id, broken.containsKey(p)
                        ? "its parent " + p.substring(0, 12) + " was skipped"
                        : "its parent " + p + " is missing from graph/"));
            }
        }
        ok.put(id, good);
        if (good) {
            images.add(image);
        }
        return good;
    }

    /** As Docker 1.10 found it: {@code parent} in the json ({@code parent_id} in 1.9), overridden by a {@code parent} file. */
    private static Optional<String> parent(Path dir, byte[] json) throws IOException, BadContentException {
        String parent = "";
        try {
            JsonNode n = ImageJson.MAPPER.readTree(json);
            JsonNode p = n.get("parent");
            if (p != null && p.isString()) {
                parent = p.asString();
            }
            JsonNode pid = n.get("parent_id");
            if (parent.isEmpty() && pid != null && pid.isString() && pid.asString().startsWith("sha256:")) {
                parent = pid.asString().substring("sha256:".length());
            }
        } catch (JacksonException e) {
            throw new BadContentException("json does not parse: " + e.getOriginalMessage());
        }
        Path file = dir.resolve("parent");
        if (Files.isRegularFile(file)) {
            String p = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!p.isEmpty()) {
                parent = p;
            }
        }
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        if (!ID.matcher(parent).matches()) {
            throw new BadContentException("its parent \"" + parent + "\" is not an image ID");
        }
        return Optional.of(parent);
    }

    private void readRepositories() throws IOException {
        Path file = root.resolve("repositories-" + driver.dockerName());
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode node;
        try {
            node = ImageJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            failures.add(new MigrationReport.Failure("tag", file.getFileName().toString(), "does not parse: " + e.getOriginalMessage()));
            return;
        }
        JsonNode repos = node.path("Repositories");
        for (Map.Entry<String, JsonNode> repo : repos.properties()) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> tag : repo.getValue().properties()) {
                if (tag.getValue().isString()) {
                    tags.put(tag.getKey(), tag.getValue().asString());
                }
            }
            repositories.put(repo.getKey(), tags);
        }
    }

    private void readContainers() throws IOException {
        Path dir = root.resolve("containers");
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String id : list(dir)) {
            if (!ID.matcher(id).matches()) {
                continue;
            }
            Path config = dir.resolve(id).resolve("config.json");
            if (!Files.isRegularFile(config)) {
                failures.add(new MigrationReport.Failure("container", id, "containers/" + id.substring(0, 12) + "/config.json is missing"));
                continue;
            }
            Path host = dir.resolve(id).resolve("hostconfig.json");
            containers.add(new Container(id, Files.readAllBytes(config),
                    Files.isRegularFile(host) ? Optional.of(Files.readAllBytes(host)) : Optional.empty()));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        }
        out.sort(null);
        return out;
    }
}
