package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.OptionalLong;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository has a blob, and its size. */
final class BlobChecker {
    private final RegistryClient client;

    BlobChecker(RegistryClient client) {
        this.client = client;
    }

    /** The blob's size when the repository has it; empty when it does not. */
    OptionalLong check(Digest digest) throws IOException, RegistryException {
        String what = "check blob " + digest.shortHex() + " in " + client.repository().familiarName();
        HttpResponse<InputStream> resp = client.transport().send(Transport.Call.head(client.uri("/blobs/" + digest), client.scopes(), what));
        Transport.discard(resp);
        if (resp.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (resp.statusCode() != 200) {
            throw Transport.error(resp, what);
        }
        return resp.headers().firstValueAsLong("Content-Length");
    }
}
