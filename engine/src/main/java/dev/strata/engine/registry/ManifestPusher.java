package dev.strata.engine.registry;

import dev.strata.error.BadContentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** {@code PUT /v2/<name>/manifests/<reference>}: the manifest's bytes, exactly, under a tag or its digest. */
final class ManifestPusher {
    private final RegistryClient client;

    ManifestPusher(RegistryClient client) {
        this.client = client;
    }

    void push(String reference, Manifest manifest) throws IOException, RegistryException, BadContentException {
        String what = "push manifest " + client.repository().familiarName() + ":" + reference;
        HttpResponse<InputStream> resp = client.transport().send(new Transport.Call("PUT", client.uri("/manifests/" + reference),
                Map.of("Content-Type", manifest.mediaType()), Optional.of(() -> HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())),
                true, client.scopes(), what));
        Transport.expect(resp, what, 201, 200, 202);
        Transport.discard(resp);
        Optional<String> header = resp.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && header.get().startsWith("sha256:") && !header.get().equals(manifest.digest().toString())) {
            throw new BadContentException(what + ": the registry stored it as " + header.get() + ", not " + manifest.digest());
        }
    }
}
