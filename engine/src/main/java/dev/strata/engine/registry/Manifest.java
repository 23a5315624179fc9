package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import dev.strata.image.ImageJson;
import java.util.Objects;

/**
 * A manifest or index exactly as the registry sent it (or as it is pushed): its bytes, their digest, its media type.
 * Kept byte for byte: the digest of these bytes is what {@code name@sha256:…} means.
 */
public record Manifest(byte[] bytes, Digest digest, String mediaType) {
    public Manifest {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
    }

    public static Manifest of(byte[] bytes, String mediaType) {
        return new Manifest(bytes, Digester.of(bytes), mediaType);
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public ManifestJson.ImageManifest image() throws BadContentException {
        ManifestJson.ImageManifest m = ImageJson.read(bytes, ManifestJson.ImageManifest.class, "manifest " + digest);
        if (m == null || m.config() == null) {
            throw new BadContentException("manifest " + digest + " has no config");
        }
        return m;
    }

    public ManifestJson.ImageIndex index() throws BadContentException {
        ManifestJson.ImageIndex i = ImageJson.read(bytes, ManifestJson.ImageIndex.class, "index " + digest);
        if (i == null || i.manifests() == null) {
            throw new BadContentException("index " + digest + " has no manifests");
        }
        return i;
    }

    /**
     * The media type of a manifest body: the Content-Type the registry sent if it is one we know, else the document's
     * own {@code mediaType}, else what its fields say (an OCI manifest or index may omit it).
     */
    static String mediaTypeOf(byte[] body, String contentType, String what) throws BadContentException {
        String ct = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (MediaTypes.isIndex(ct) || MediaTypes.isImageManifest(ct)) {
            return ct;
        }
        if (MediaTypes.isSchema1(ct)) {
            throw schema1(what);
        }
        ManifestJson.Probe probe = ImageJson.read(body, ManifestJson.Probe.class, what);
        if (probe == null) {
            throw new BadContentException(what + " is not a JSON object");
        }
        if (probe.mediaType() != null && (MediaTypes.isIndex(probe.mediaType()) || MediaTypes.isImageManifest(probe.mediaType()))) {
            return probe.mediaType();
        }
        if (Integer.valueOf(1).equals(probe.schemaVersion()) || probe.fsLayers() != null
                || (probe.mediaType() != null && MediaTypes.isSchema1(probe.mediaType()))) {
            throw schema1(what);
        }
        if (probe.manifests() != null) {
            return MediaTypes.OCI_INDEX;
        }
        if (probe.config() != null) {
            return MediaTypes.OCI_MANIFEST;
        }
        throw new BadContentException(what + " is neither an image manifest nor an index (media type \"" + ct + "\")");
    }

    private static BadContentException schema1(String what) {
        return new BadContentException(what + " is a Docker schema 1 manifest, which Strata does not pull (it is deprecated); "
                + "push the image again with a current tool");
    }
}
