package dev.strata.engine.registry;

import dev.strata.image.MediaTypes;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v2/<name>/manifests/<reference>}: a manifest or index, verified against its digest. */
final class ManifestPuller {
    /** The distribution limit on manifest size. */
    static final int MAX_MANIFEST = 4 << 20;

    private final RegistryClient client;

    ManifestPuller(RegistryClient client) {
        this.client = client;
    }

    /** The manifest that {@code reference} (a tag or a digest) names; checked against the digest when it is one. */
    Manifest pull(String reference, Optional<Digest> expected) throws IOException, RegistryException, BadContentException {
        String what = "manifest for " + client.repository().familiarName() + (reference.startsWith("sha256:") ? "@" : ":") + reference;
        HttpResponse<InputStream> resp = client.transport().send(Transport.Call.get(
                client.uri("/manifests/" + reference), client.scopes(), what, Map.of("Accept", MediaTypes.ACCEPT)));
        if (resp.statusCode() == 404) {
            RegistryException e = Transport.error(resp, what);
            throw new RegistryException(what + " not found: " + e.getMessage().substring(what.length() + 2), e.status(), e.codes());
        }
        Transport.expect(resp, what, 200);
        byte[] body;
        try (InputStream in = resp.body()) {
            body = in.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw new RegistryException(what + ": the connection broke while reading it: " + Transport.describe(e), e);
        }
        if (body.length > MAX_MANIFEST) {
            throw new BadContentException(what + " is larger than " + MAX_MANIFEST + " bytes");
        }
        Digest actual = Digester.of(body);
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new BadContentException(what + ": digest mismatch: expected " + expected.get() + ", got " + actual
                    + "; the manifest was discarded");
        }
        Optional<String> header = resp.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && header.get().startsWith("sha256:") && !header.get().equals(actual.toString())) {
            throw new BadContentException(what + ": digest mismatch: the registry says " + header.get() + ", the manifest it sent has "
                    + actual + " (" + body.length + " bytes); it was discarded");
        }
        String mediaType = Manifest.mediaTypeOf(body, resp.headers().firstValue("Content-Type").orElse(""), what);
        return new Manifest(body, actual, mediaType);
    }
}
