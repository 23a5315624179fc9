package dev.strata.engine.registry;

import dev.strata.image.ImageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.databind.JsonNode;

/**
 * HTTP to one registry: finds its API ({@code https://}, or for an insecure registry {@code http://} when TLS does
 * not answer), authenticates every request through an {@link Authenticator}, follows redirects of blob downloads
 * (without credentials to other hosts), and retries connection failures, 429 (honouring Retry-After) and 5xx
 * answers with backoff; 4xx answers are final. Shared by the endpoint classes of one action.
 */
final class Transport {
    static final String USER_AGENT = "strata/0.1.0";
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static volatile HttpClient secureClient;
    private static volatile HttpClient insecureClient;

    private final RegistryHost host;
    private final RegistryOptions options;
    private final HttpClient client;
    private final Authenticator auth;
    private volatile URI base;

    /** One request: what it is for ({@code what} starts error messages) and the token scopes it needs. */
    record Call(String method, URI uri, Map<String, String> headers, Optional<Supplier<HttpRequest.BodyPublisher>> body,
            boolean replayable, List<String> scopes, String what) {

        static Call get(URI uri, List<String> scopes, String what, Map<String, String> headers) {
            return new Call("GET", uri, headers, Optional.empty(), true, scopes, what);
        }

        static Call head(URI uri, List<String> scopes, String what) {
            return new Call("HEAD", uri, Map.of(), Optional.empty(), true, scopes, what);
        }
    }

    Transport(RegistryHost host, RegistryOptions options, Optional<Credentials> credentials) {
        this.host = host;
        this.options = options;
        this.client = host.insecure() ? insecureClient() : secureClient();
        this.auth = new Authenticator(host, credentials, client);
    }

    RegistryHost host() {
        return host;
    }

    RegistryOptions options() {
        return options;
    }

    Authenticator auth() {
        return auth;
    }

    /** {@code /v2/...} on the registry's API. */
    URI uri(String pathAndQuery) throws IOException, RegistryException {
        return base().resolve(pathAndQuery);
    }

    /**
     * The API's base URI, found with a {@code GET /v2/} the first time (which also learns how the registry wants to
     * be authenticated): https; for an insecure registry http when https fails.
     */
    URI base() throws IOException, RegistryException {
        URI b = base;
        if (b != null) {
            return b;
        }
        synchronized (this) {
            RetryPolicy policy = options.retry();
            for (int attempt = 1; base == null; attempt++) {
                try {
                    base = discover();
                } catch (RegistryException e) {
                    if (!(e.getCause() instanceof IOException) || attempt >= policy.attempts()) {
                        throw attempt > 1 ? new RegistryException(e.getMessage() + " (gave up after " + attempt + " attempts)", e.getCause()) : e;
                    }
                    sleep(policy.delay(attempt));
                }
            }
            return base;
        }
    }

    /**
     * A secure registry: https. An insecure one on an explicit port: plain http when {@code /v2/} answers over plain
     * HTTP (200, or 401 with a challenge; the ping carries no credentials), else https without verification; this
     * spares loopback registries a TLS handshake that cannot succeed. An insecure one without a port (80 and 443 may
     * both serve): https first, as Docker does, then http.
     */
    private URI discover() throws IOException, RegistryException {
        URI https = URI.create("https://" + host.apiHost() + "/");
        URI http = URI.create("http://" + host.apiHost() + "/");
        if (host.insecure() && hasPort(host.apiHost())) {
            try {
                int status = ping(http);
                if (status == 200 || status == 401) {
                    return http;
                }
            } catch (RegistryException e) {
                if (!(e.getCause() instanceof IOException)) {
                    throw e;
                }
            }
            ping(https);
            return https;
        }
        try {
            ping(https);
            return https;
        } catch (RegistryException e) {
            if (!host.insecure() || !(e.getCause() instanceof IOException)) {
                throw e;
            }
            ping(http);
            return http;
        }
    }

    private static boolean hasPort(String hostPort) {
        int bracket = hostPort.lastIndexOf(']');
        return hostPort.indexOf(':', bracket + 1) >= 0;
    }

    /** GET /v2/: 200 (open) or 401 with a challenge are both fine; returns the status. */
    int ping(URI root) throws IOException, RegistryException {
        Call call = Call.get(root.resolve("/v2/"), List.of(), "ping " + host.domain(), Map.of());
        HttpResponse<InputStream> resp = sendOnce(call, Optional.empty(), true);
        try (InputStream in = resp.body()) {
            in.readNBytes(MAX_ERROR_BODY);
        }
        // Any answer shows the API is there; errors come with the requests that matter.
        if (resp.statusCode() == 401) {
            auth.learn(Challenge.parse(resp.headers().allValues("WWW-Authenticate")));
        }
        return resp.statusCode();
    }

    /**
     * Sends {@code call}, authenticating and retrying as described above; returns the first answer that is not
     * retried, whatever its status (see {@link #expect}). The caller closes the body.
     */
    HttpResponse<InputStream> send(Call call) throws IOException, RegistryException {
        base();
        RetryPolicy policy = options.retry();
        boolean reauthenticated = false;
        for (int attempt = 1; ; attempt++) {
            Optional<String> authorization = auth.header(call.scopes(), call.what());
            HttpResponse<InputStream> resp;
            try {
                resp = sendOnce(call, authorization, attempt == 1 || call.replayable());
            } catch (RegistryException e) {
                if (attempt < policy.attempts() && call.replayable()) {
                    sleep(policy.delay(attempt));
                    continue;
                }
                throw attempt > 1 ? new RegistryException(e.getMessage() + " (gave up after " + attempt + " attempts)", e.getCause()) : e;
            }
            int status = resp.statusCode();
            if (status == 401 && !reauthenticated) {
                reauthenticated = true;
                if (call.replayable() && auth.challenged(resp.headers().allValues("WWW-Authenticate"), call.scopes(),
                        authorization.isPresent())) {
                    discard(resp);
                    attempt--;
                    continue;
                }
                return resp;
            }
            if (isRetryable(status) && attempt < policy.attempts() && call.replayable()) {
                Duration wait = retryAfter(resp.headers()).orElse(policy.delay(attempt));
                discard(resp);
                sleep(wait.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : wait);
                continue;
            }
            return resp;
        }
    }

    static boolean isRetryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private HttpResponse<InputStream> sendOnce(Call call, Optional<String> authorization, boolean first)
            throws IOException, RegistryException {
        URI uri = call.uri();
        boolean sameHost = true;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", USER_AGENT);
            call.headers().forEach(b::header);
            if (sameHost) {
                authorization.ifPresent(a -> b.header("Authorization", a));
            }
            HttpRequest.BodyPublisher body = call.body().map(Supplier::get).orElse(HttpRequest.BodyPublishers.noBody());
            b.method(call.method(), body);
            HttpResponse<InputStream> resp;
            try {
                resp = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(call.what() + ": interrupted", e);
            } catch (IOException e) {
                throw new RegistryException(call.what() + ": " + describe(e), e);
            }
            int status = resp.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            Optional<String> location = resp.headers().firstValue("Location");
            if (redirect && location.isPresent() && (call.method().equals("GET") || call.method().equals("HEAD"))
                    && redirects < MAX_REDIRECTS) {
                discard(resp);
                URI next = uri.resolve(location.get());
                sameHost = sameHost && next.getAuthority() != null && next.getAuthority().equals(uri.getAuthority());
                uri = next;
                continue;
            }
            return resp;
        }
    }

    /** Throws a {@link RegistryException} made from the answer unless its status is one of {@code ok}. */
    static HttpResponse<InputStream> expect(HttpResponse<InputStream> resp, String what, int... ok) throws IOException, RegistryException {
        for (int s : ok) {
            if (resp.statusCode() == s) {
                return resp;
            }
        }
        throw error(resp, what);
    }

    /** The registry's error answer as an exception: its error codes and messages, and the HTTP status. */
    static RegistryException error(HttpResponse<InputStream> resp, String what) throws IOException {
        byte[] body;
        try (InputStream in = resp.body()) {
            body = in.readNBytes(MAX_ERROR_BODY);
        }
        int status = resp.statusCode();
        List<String> codes = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        try {
            JsonNode errors = ImageJson.MAPPER.readTree(body).path("errors");
            for (JsonNode e : errors) {
                String code = e.path("code").asString("");
                String message = e.path("message").asString("");
                if (!code.isEmpty()) {
                    codes.add(code);
                }
                messages.add((code.isEmpty() ? "" : code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": ") + message);
            }
        } catch (RuntimeException notJson) {
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
            if (!text.isEmpty() && !text.startsWith("<")) {
                messages.add(text);
            }
        }
        String detail = messages.isEmpty() ? defaultText(status) : String.join("; ", messages);
        String hint = switch (status) {
            case 401 -> "; log in with `strata login`, or check the user name and password";
            case 403 -> "; the credentials in use may not " + (what.startsWith("push") || what.startsWith("upload") ? "push to" : "read")
                    + " this repository";
            default -> "";
        };
        return new RegistryException(what + ": " + detail + " (HTTP " + status + ")" + hint, OptionalInt.of(status), codes);
    }

    private static String defaultText(int status) {
        return switch (status) {
            case 401 -> "unauthorized: authentication required";
            case 403 -> "denied: requested access to the resource is denied";
            case 404 -> "not found";
            case 405 -> "the registry does not allow this operation";
            case 429 -> "toomanyrequests: too many requests";
            default -> status >= 500 ? "the registry failed" : "unexpected answer";
        };
    }

    /** Retry-After as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> v = headers.firstValue("Retry-After");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.get().trim()))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException e2) {
                return Optional.empty();
            }
        }
    }

    static void discard(HttpResponse<InputStream> resp) {
        try (InputStream in = resp.body()) {
            in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException ignored) {
            // the connection is dropped with the stream
        }
    }

    static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** An I/O failure as a user reads it. */
    static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "request timed out";
        }
        if (e instanceof ConnectException) {
            return "connection refused (is the registry running, and is the address right?)";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed: " + e.getMessage() + " (for a registry without TLS use --tls-verify=false)";
        }
        String m = e.getMessage();
        return (m == null || m.isEmpty()) ? e.getClass().getSimpleName() : m;
    }

    /**
     * Stops the HTTP clients' threads. A JVM that exits waits up to 0.3 s for threads blocked in native code, such
     * as a client's selector: a process calls this when it has no more requests to make. A later request makes a
     * new client.
     */
    static void shutdownClients() {
        synchronized (Transport.class) {
            for (HttpClient c : new HttpClient[] {secureClient, insecureClient}) {
                if (c != null) {
                    c.shutdownNow();
                }
            }
            secureClient = null;
            insecureClient = null;
        }
    }

    private static HttpClient secureClient() {
        HttpClient c = secureClient;
        if (c == null) {
            synchronized (Transport.class) {
                if (secureClient == null) {
                    secureClient = builder().build();
                }
                c = secureClient;
            }
        }
        return c;
    }

    private static HttpClient insecureClient() {
        HttpClient c = insecureClient;
        if (c == null) {
            synchronized (Transport.class) {
                if (insecureClient == null) {
                    try {
                        SSLContext ssl = SSLContext.getInstance("TLS");
                        ssl.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, new SecureRandom());
                        insecureClient = builder().sslContext(ssl).build();
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalStateException("cannot set up TLS without verification", e);
                    }
                }
                c = insecureClient;
            }
        }
        return c;
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30));
    }

    /** For registries marked insecure only: accepts any certificate for any host name. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
