package dev.strata.layer;

import dev.strata.digest.Digest;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A committed, read-only layer, named by its ChainID and shared by every image whose stack it ends.
 *
 * @param size bytes of regular-file content in this layer's diff (what {@code history} shows)
 * @param cacheId the storage driver's directory for it
 * @param compressed the blob it came from (pull, OCI load), kept so push and save reproduce it byte for byte
 * @param tarSplit blob that rebuilds the exact layer tar from the layer's files when there is no compressed blob
 * @param tarSize length of the uncompressed layer tar; empty for layers registered before Strata recorded it
 */
public record Layer(
        Digest chainId,
        Digest diffId,
        Optional<Digest> parent,
        long size,
        String cacheId,
        Optional<CompressedBlob> compressed,
        Optional<Digest> tarSplit,
        OptionalLong tarSize,
        Instant created) {

    /** A compressed layer blob as a registry or an OCI layout holds it. */
    public record CompressedBlob(Digest digest, long size, String mediaType) {
    }
}
