package dev.strata.engine.registry;

import dev.strata.image.ImageJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Answers one registry's authentication challenges: nothing until the registry asks (anonymous), then Basic with the
 * stored credentials, or the Bearer token flow: a token for the request's scopes ({@code repository:<name>:pull},
 * {@code ...:pull,push}) from the challenge's realm, with the credentials as Basic auth when there are any (an
 * identity token is exchanged by OAuth2 refresh instead). Tokens are cached per set of scopes until they expire.
 */
final class Authenticator {
    private static final Duration DEFAULT_TOKEN_LIFE = Duration.ofSeconds(60);

    private final RegistryHost host;
    private final Optional<Credentials> credentials;
    private final HttpClient client;
    private volatile Challenge challenge;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String value, Instant expires) {
    }

    Authenticator(RegistryHost host, Optional<Credentials> credentials, HttpClient client) {
        this.host = host;
        this.credentials = credentials;
        this.client = client;
    }

    Optional<Credentials> credentials() {
        return credentials;
    }

    /** The challenge learned so far (from the ping or a 401). */
    Optional<Challenge> challenge() {
        return Optional.ofNullable(challenge);
    }

    void learn(List<Challenge> challenges) {
        Challenge.preferred(challenges).ifPresent(c -> challenge = c);
    }

    /** The Authorization header for a request needing {@code scopes}, or empty for an anonymous request. */
    Optional<String> header(List<String> scopes, String what) throws IOException, RegistryException {
        Challenge c = challenge;
        if (c == null) {
            return Optional.empty();
        }
        if (c.scheme().equals(Challenge.BASIC)) {
            return credentials.filter(cr -> !cr.isIdentityToken()).map(Authenticator::basic);
        }
        String key = String.join(" ", new TreeSet<>(scopes));
        Token t = tokens.get(key);
        if (t == null || Instant.now().isAfter(t.expires())) {
            t = fetchToken(c, scopes, what);
            tokens.put(key, t);
        }
        return Optional.of("Bearer " + t.value());
    }

    /**
     * A 401 arrived: learns its challenge and forgets cached tokens of these scopes; returns whether a retry can
     * bring anything new (false when the same credentials were already refused).
     */
    boolean challenged(List<String> headerValues, List<String> scopes, boolean sentAuth) {
        Optional<Challenge> c = Challenge.preferred(Challenge.parse(headerValues));
        if (c.isEmpty()) {
            return false;
        }
        Challenge before = challenge;
        challenge = c.get();
        tokens.remove(String.join(" ", new TreeSet<>(scopes)));
        if (!sentAuth) {
            return c.get().scheme().equals(Challenge.BEARER) || credentials.isPresent();
        }
        // A Bearer 401 after a token: retry once only if the registry asks for a scope we did not request.
        return before != null && c.get().scheme().equals(Challenge.BEARER)
                && c.get().param("scope").filter(s -> !scopes.contains(s)).isPresent();
    }

    private Token fetchToken(Challenge c, List<String> scopes, String what) throws IOException, RegistryException {
        String realm = c.param("realm").orElseThrow(() -> new RegistryException(what + ": " + host.domain()
                + " asked for a Bearer token but named no realm to get it from", OptionalInt.of(401), List.of()));
        List<String> all = new ArrayList<>(scopes);
        c.param("scope").filter(s -> !s.isEmpty() && !all.contains(s)).ifPresent(all::add);
        StringBuilder query = new StringBuilder();
        c.param("service").ifPresent(s -> append(query, "service", s));
        for (String s : all) {
            append(query, "scope", s);
        }
        HttpRequest.Builder b;
        URI uri;
        if (credentials.isPresent() && credentials.get().isIdentityToken()) {
            // OAuth2 refresh, as the docker CLI does with an identity token
            StringBuilder form = new StringBuilder();
            append(form, "grant_type", "refresh_token");
            append(form, "refresh_token", credentials.get().secret());
            append(form, "client_id", "strata");
            c.param("service").ifPresent(s -> append(form, "service", s));
            if (!all.isEmpty()) {
                append(form, "scope", String.join(" ", all));
            }
            uri = URI.create(realm);
            b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        } else {
            credentials.ifPresent(cr -> append(query, "account", cr.username()));
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
            b = HttpRequest.newBuilder(uri).GET();
            credentials.ifPresent(cr -> b.header("Authorization", basic(cr)));
        }
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(b.header("User-Agent", Transport.USER_AGENT).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while getting a token from " + realm, e);
        } catch (IOException e) {
            throw new RegistryException(what + ": cannot get a token from " + realm + ": " + Transport.describe(e), e);
        }
        byte[] body;
        try (InputStream in = resp.body()) {
            body = in.readNBytes(1 << 20);
        }
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw new RegistryException(what + ": " + (credentials.isPresent() ? "unauthorized: incorrect username or password"
                    : "unauthorized: authentication required; log in with `strata login " + host.domain() + "`")
                    + " (token server " + realm + " answered HTTP " + resp.statusCode() + ")", OptionalInt.of(401), List.of("UNAUTHORIZED"));
        }
        if (resp.statusCode() != 200) {
            throw new RegistryException(what + ": the token server " + realm + " answered HTTP " + resp.statusCode() + ": "
                    + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip(),
                    OptionalInt.of(resp.statusCode()), List.of());
        }
        JsonNode json;
        try {
            json = ImageJson.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            throw new RegistryException(what + ": the token server " + realm + " sent no JSON", OptionalInt.of(200), List.of());
        }
        String token = json.path("token").asString("");
        if (token.isEmpty()) {
            token = json.path("access_token").asString("");
        }
        if (token.isEmpty()) {
            throw new RegistryException(what + ": the token server " + realm + " sent no token", OptionalInt.of(200), List.of());
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration life = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TOKEN_LIFE;
        // refresh a little early, so a token does not expire between the check and the request
        Instant expires = Instant.now().plus(life).minus(life.compareTo(Duration.ofSeconds(20)) > 0 ? Duration.ofSeconds(10) : Duration.ZERO);
        return new Token(token, expires);
    }

    static String basic(Credentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
    }

    private static void append(StringBuilder q, String key, String value) {
        if (!q.isEmpty()) {
            q.append('&');
        }
        q.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
