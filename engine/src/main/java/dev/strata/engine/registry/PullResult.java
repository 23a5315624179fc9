package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import dev.strata.reference.Reference;
import java.util.List;

/**
 * What a pull did.
 *
 * @param reference the name pulled, with its tag or digest
 * @param id the image ID (its config's digest)
 * @param digest the digest of the manifest or index the name resolved to ({@code name@digest})
 * @param upToDate the name already pointed at this image
 * @param unpacked layers (ChainIDs) this pull unpacked; the others were stored already
 * @param skipped layers (ChainIDs) the store had
 * @param bytesDownloaded bytes received for blobs (layers, config, manifests), to show what a resume saved
 */
public record PullResult(Reference reference, Digest id, Digest digest, boolean upToDate, List<Digest> unpacked, List<Digest> skipped,
        long bytesDownloaded) {
}
