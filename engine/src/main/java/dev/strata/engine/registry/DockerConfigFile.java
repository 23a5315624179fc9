package dev.strata.engine.registry;

import dev.strata.error.BadContentException;
import dev.strata.error.StrataException;
import dev.strata.image.ImageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The docker CLI's {@code config.json}, read and written the way the docker CLI does: credentials under
 * {@code auths.<server>.auth} as base64 {@code user:password} (or {@code identitytoken}), or in a credential helper
 * when {@code credHelpers.<server>} or {@code credsStore} names one. Everything else in the file is kept as it
 * is; the file is replaced atomically and has mode 0600.
 */
public final class DockerConfigFile {
    private final Path file;

    public DockerConfigFile(Path file) {
        this.file = file;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static Path defaultPath() {
        String dir = System.getenv("DOCKER_CONFIG");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir, "config.json");
        }
        return Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    public Path path() {
        return file;
    }

    /** The credentials stored for {@code authKey} (see {@link RegistryHost#authKey()}), if any. */
    public Optional<Credentials> get(String authKey) throws IOException, StrataException {
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, authKey);
        if (helper.isPresent()) {
            return helper.get().get(authKey);
        }
        JsonNode auths = root.path("auths");
        JsonNode entry = auths.path(authKey);
        if (entry.isMissingNode()) {
            // The docker CLI also matches keys written with a scheme or path: https://host:5000/v1/
            String domain = RegistryHost.normalizeServer(authKey);
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (RegistryHost.normalizeServer(e.getKey()).equals(domain)) {
                    entry = e.getValue();
                    break;
                }
            }
        }
        if (entry.isMissingNode()) {
            return Optional.empty();
        }
        String identity = entry.path("identitytoken").asString("");
        String auth = entry.path("auth").asString("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadContentException(file + ": the auth of \"" + authKey + "\" is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new BadContentException(file + ": the auth of \"" + authKey + "\" is not user:password");
            }
            if (!identity.isEmpty()) {
                return Optional.of(new Credentials(Credentials.IDENTITY_TOKEN_USER, identity));
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        if (!identity.isEmpty()) {
            return Optional.of(new Credentials(Credentials.IDENTITY_TOKEN_USER, identity));
        }
        return Optional.empty();
    }

    /** Stores credentials for {@code authKey}: in its credential helper if the file names one, else in {@code auths}. */
    public void store(String authKey, Credentials credentials) throws IOException, StrataException {
        ObjectNode root = read();
        Optional<CredentialHelper> helper = helperFor(root, authKey);
        ObjectNode auths = root.has("auths") && root.get("auths").isObject() ? (ObjectNode) root.get("auths") : root.putObject("auths");
        if (helper.isPresent()) {
            helper.get().store(authKey, credentials);
            auths.remove(authKey);
            auths.putObject(authKey); // the docker CLI leaves an empty entry so that the server is listed
        } else {
            ObjectNode entry = auths.putObject(authKey);
            entry.put("auth", Base64.getEncoder().encodeToString(
                    (credentials.username() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        write(root);
    }

    /** Removes the credentials for {@code authKey}; false when there were none. */
    public boolean erase(String authKey) throws IOException, StrataException {
        ObjectNode root = read();
        boolean found = false;
        Optional<CredentialHelper> helper = helperFor(root, authKey);
        if (helper.isPresent()) {
            found = helper.get().erase(authKey);
        }
        JsonNode auths = root.path("auths");
        if (auths instanceof ObjectNode a) {
            String domain = RegistryHost.normalizeServer(authKey);
            for (String key : a.propertyNames().stream().toList()) {
                if (key.equals(authKey) || RegistryHost.normalizeServer(key).equals(domain)) {
                    a.remove(key);
                    found = true;
                }
            }
        }
        if (found && Files.exists(file)) {
            write(root);
        }
        return found;
    }

    private Optional<CredentialHelper> helperFor(ObjectNode root, String authKey) {
        String helper = root.path("credHelpers").path(authKey).asString("");
        if (helper.isEmpty()) {
            helper = root.path("credsStore").asString("");
        }
        return helper.isEmpty() ? Optional.empty() : Optional.of(new CredentialHelper(helper));
    }

    private ObjectNode read() throws IOException, BadContentException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return ImageJson.MAPPER.createObjectNode();
        }
        if (bytes.length == 0) {
            return ImageJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = ImageJson.MAPPER.readTree(bytes);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JacksonException e) {
            throw new BadContentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        throw new BadContentException(file + " is not a JSON object");
    }

    private void write(ObjectNode root) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = dir.resolve(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, ImageJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
