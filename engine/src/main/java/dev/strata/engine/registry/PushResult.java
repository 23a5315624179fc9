package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import dev.strata.reference.Reference;

/**
 * What a push did.
 *
 * @param reference the name pushed to
 * @param digest the pushed manifest's digest
 * @param size the manifest's length in bytes
 * @param uploaded layers uploaded
 * @param existing layers the repository had already
 * @param mounted layers mounted from another repository
 * @param bytesUploaded bytes sent for blobs
 */
public record PushResult(Reference reference, Digest digest, long size, int uploaded, int existing, int mounted, long bytesUploaded) {
}
