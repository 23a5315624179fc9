package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import dev.strata.digest.CountingInputStream;
import dev.strata.digest.DigestingInputStream;
import dev.strata.error.BadContentException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} opens a session, {@code PATCH} sends the bytes (one streamed
 * request, or chunks of {@link RegistryOptions#uploadChunkSize()} with {@code Content-Range}), and
 * {@code PUT ...?digest=} closes it; small blobs go in the closing PUT (monolithic). A cross-repository mount
 * ({@code POST ...?mount=<digest>&from=<repository>}) makes an upload unnecessary when the registry allows it. A failed
 * upload is started again from the beginning, as often as the retry policy says.
 */
final class BlobPusher {
    /** Blobs up to this size (configs, small layers) go in one PUT. */
    static final int MONOLITHIC_MAX = 1 << 20;

    private final RegistryClient client;

    BlobPusher(RegistryClient client) {
        this.client = client;
    }

    /** What was uploaded. */
    record Pushed(Digest digest, long size) {
    }

    /**
     * Asks the registry to mount {@code digest} from {@code fromRepository} (a path on the same registry). Returns
     * empty when it did; otherwise the upload session the registry opened instead, for {@link #upload}.
     */
    Optional<URI> mount(Digest digest, String fromRepository) throws IOException, RegistryException {
        String what = "mount blob " + digest.shortHex() + " from " + fromRepository;
        URI uri = client.uri("/blobs/uploads/?mount=" + enc(digest.toString()) + "&from=" + enc(fromRepository));
        java.util.List<String> scopes = new java.util.ArrayList<>(client.scopes());
        scopes.add("repository:" + fromRepository + ":pull");
        HttpResponse<InputStream> resp = client.transport().send(new Transport.Call("POST", uri, Map.of(),
                Optional.of(HttpRequest.BodyPublishers::noBody), true, scopes, what));
        Transport.expect(resp, what, 201, 202);
        Transport.discard(resp);
        if (resp.statusCode() == 201) {
            return Optional.empty();
        }
        return Optional.of(location(resp, uri, what));
    }

    /** Uploads {@code source}, in an open session if given; returns the digest and size the registry accepted. */
    Pushed upload(BlobSource source, Optional<URI> session, LongConsumer progress) throws IOException, RegistryException, BadContentException {
        RetryPolicy policy = client.transport().options().retry();
        for (int attempt = 1; ; attempt++) {
            try {
                return uploadOnce(source, attempt == 1 ? session : Optional.empty(), progress);
            } catch (RegistryException e) {
                boolean retryable = e.getCause() instanceof IOException
                        || (e.status().isPresent() && Transport.isRetryable(e.status().getAsInt()));
                if (!retryable || attempt >= policy.attempts()) {
                    throw e;
                }
                Transport.sleep(policy.delay(attempt));
            }
        }
    }

    private Pushed uploadOnce(BlobSource source, Optional<URI> session, LongConsumer progress)
            throws IOException, RegistryException, BadContentException {
        String what = "upload blob " + source.digest().map(Digest::shortHex).orElse("") + " to " + client.repository().familiarName();
        URI location = session.isPresent() ? session.get() : start(what);
        long chunk = client.transport().options().uploadChunkSize();
        boolean monolithic = source.digest().isPresent() && source.size().isPresent() && source.size().getAsLong() <= MONOLITHIC_MAX;
        if (monolithic) {
            byte[] bytes;
            try (InputStream in = source.open()) {
                bytes = in.readAllBytes();
            }
            Digest digest = source.digest().get();
            HttpResponse<InputStream> resp = client.transport().send(new Transport.Call("PUT", withDigest(location, digest),
                    Map.of("Content-Type", "application/octet-stream"), Optional.of(() -> HttpRequest.BodyPublishers.ofByteArray(bytes)),
                    true, client.scopes(), what));
            Transport.expect(resp, what, 201, 204);
            Transport.discard(resp);
            progress.accept(bytes.length);
            return new Pushed(digest, bytes.length);
        }
        DigestingInputStream digesting;
        try (InputStream raw = source.open()) {
            digesting = new DigestingInputStream(CountingInputStream.reporting(raw, progress));
            if (chunk <= 0) {
                location = patch(location, digesting, -1, -1, source.size(), what);
            } else {
                byte[] buf = new byte[(int) Math.min(chunk, Integer.MAX_VALUE - 8)];
                long offset = 0;
                while (true) {
                    int n = digesting.readNBytes(buf, 0, buf.length);
                    if (n <= 0 && offset > 0) {
                        break;
                    }
                    byte[] part = n == buf.length ? buf : java.util.Arrays.copyOf(buf, Math.max(n, 0));
                    location = patch(location, new java.io.ByteArrayInputStream(part), offset, offset + part.length - 1,
                            java.util.OptionalLong.of(part.length), what);
                    offset += part.length;
                    if (n < buf.length) {
                        break;
                    }
                }
            }
        }
        Digest digest = digesting.digest();
        if (source.digest().isPresent() && !source.digest().get().equals(digest)) {
            throw new BadContentException(what + ": the data read has digest " + digest + ", expected " + source.digest().get());
        }
        HttpResponse<InputStream> resp = client.transport().send(new Transport.Call("PUT", withDigest(location, digest), Map.of(),
                Optional.of(HttpRequest.BodyPublishers::noBody), true, client.scopes(), what));
        Transport.expect(resp, what, 201, 204);
        Transport.discard(resp);
        return new Pushed(digest, digesting.bytesRead());
    }

    private URI start(String what) throws IOException, RegistryException {
        URI uri = client.uri("/blobs/uploads/");
        HttpResponse<InputStream> resp = client.transport().send(new Transport.Call("POST", uri, Map.of(),
                Optional.of(HttpRequest.BodyPublishers::noBody), true, client.scopes(), what));
        Transport.expect(resp, what, 202);
        Transport.discard(resp);
        return location(resp, uri, what);
    }

    /** One PATCH; {@code first..last} is its Content-Range when chunked. Returns where the upload continues. */
    private URI patch(URI location, InputStream body, long first, long last, java.util.OptionalLong size, String what)
            throws IOException, RegistryException {
        Map<String, String> headers = first >= 0
                ? Map.of("Content-Type", "application/octet-stream", "Content-Range", first + "-" + last)
                : Map.of("Content-Type", "application/octet-stream");
        boolean[] used = {false};
        HttpRequest.BodyPublisher publisher;
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
            if (used[0]) {
                throw new IllegalStateException("a streamed upload cannot be sent twice");
            }
            used[0] = true;
            return body;
        });
        publisher = size.isPresent() ? HttpRequest.BodyPublishers.fromPublisher(stream, size.getAsLong()) : stream;
        HttpResponse<InputStream> resp = client.transport().send(new Transport.Call("PATCH", location, headers,
                Optional.of(() -> publisher), false, client.scopes(), what));
        Transport.expect(resp, what, 202, 204);
        Transport.discard(resp);
        return location(resp, location, what);
    }

    private static URI location(HttpResponse<InputStream> resp, URI base, String what) throws RegistryException {
        String loc = resp.headers().firstValue("Location").orElseThrow(() -> new RegistryException(
                what + ": the registry sent no Location for the upload", java.util.OptionalInt.of(resp.statusCode()), java.util.List.of()));
        return base.resolve(loc);
    }

    private static URI withDigest(URI location, Digest digest) {
        String s = location.toString();
        return URI.create(s + (s.contains("?") ? "&" : "?") + "digest=" + enc(digest.toString()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
