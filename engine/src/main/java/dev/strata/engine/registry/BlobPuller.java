package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, from a byte offset ({@code Range}) to resume a download. Redirects (to a
 * storage backend) are followed without the registry's credentials.
 */
final class BlobPuller {
    private final RegistryClient client;

    BlobPuller(RegistryClient client) {
        this.client = client;
    }

    /**
     * The blob's bytes from {@code offset} on. A registry that ignores the range sends it all; the returned stream then
     * starts at {@code offset} all the same.
     */
    InputStream open(Digest digest, long offset) throws IOException, RegistryException {
        String what = "download blob " + digest.shortHex() + " from " + client.repository().familiarName();
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> resp = client.transport().send(Transport.Call.get(client.uri("/blobs/" + digest), client.scopes(), what,
                headers));
        if (resp.statusCode() == 416) {
            Transport.discard(resp);
            return InputStream.nullInputStream(); // nothing after offset: the earlier attempt got it all
        }
        Transport.expect(resp, what, 200, 206);
        InputStream body = resp.body();
        if (offset > 0 && resp.statusCode() == 200) {
            long skipped = body.skip(offset);
            while (skipped < offset) {
                if (body.read() < 0) {
                    break;
                }
                skipped++;
            }
        }
        return body;
    }
}
