package dev.strata.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor: a blob's media type, size and digest, with the platform of an index entry and
 * annotations. The one descriptor type of manifests, indexes, image archives and registries. Field order as registry
 * manifests have it; an archive writer may order them as Docker's {@code save} does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"mediaType", "size", "digest", "urls", "annotations", "platform"})
public record Descriptor(String mediaType, Long size, Digest digest, List<String> urls, Map<String, String> annotations,
        Platform platform) {

    public static Descriptor of(String mediaType, long size, Digest digest) {
        return new Descriptor(mediaType, size, digest, null, null, null);
    }

    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, size, digest, urls, annotations, p);
    }

    public Descriptor withAnnotations(Map<String, String> a) {
        return new Descriptor(mediaType, size, digest, urls, a, platform);
    }

    /** The digest, which a document read from elsewhere may lack; {@code what} names the document for the error. */
    public Digest digestOf(String what) throws BadContentException {
        if (digest == null) {
            throw new BadContentException(what + " has a descriptor without a digest");
        }
        return digest;
    }

    /** The size, checked; {@code what} names the document for the error. */
    public long sizeOf(String what) throws BadContentException {
        if (size == null || size < 0) {
            throw new BadContentException(what + " has a descriptor without a valid size (" + digest + ")");
        }
        return size;
    }
}
