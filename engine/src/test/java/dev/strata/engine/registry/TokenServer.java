package dev.strata.engine.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.image.ImageJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker-style token server for the registry's {@code auth.token} mode: {@code GET /token?service=&scope=} answers
 * a JWT signed (RS256) with a key made at test time by openssl, whose certificate is the registry's root cert
 * bundle; the JWT names the key by its libtrust key ID, as distribution expects. Valid Basic credentials get every
 * action they ask for; anonymous requests get none; wrong credentials get 401.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "strata-test-registry";
    static final String ISSUER = "strata-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final String keyId;
    private final Path certificate;
    final AtomicInteger issued = new AtomicInteger();

    private TokenServer(HttpServer server, PrivateKey key, String keyId, Path certificate) {
        this.server = server;
        this.key = key;
        this.keyId = keyId;
        this.certificate = certificate;
    }

    static TokenServer start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("key.pem");
        Path certFile = dir.resolve("cert.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(),
                "-out", certFile.toString(), "-days", "2", "-subj", "/CN=strata-test-token").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("openssl failed: " + out);
        }
        String pem = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        X509Certificate cert;
        try (var in = Files.newInputStream(certFile)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenServer ts = new TokenServer(server, key, libtrustKeyId(cert.getPublicKey().getEncoded()), certFile);
        server.createContext("/token", ts::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return ts;
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certificate;
    }

    /** libtrust's key ID: the first 240 bits of SHA-256 of the DER public key, base32, in groups of four. */
    static String libtrustKeyId(byte[] der) throws Exception {
        byte[] hash = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(der), 30);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b32 = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : hash) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                b32.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < b32.length(); i += 4) {
            groups.add(b32.substring(i, i + 4));
        }
        return String.join(":", groups);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean authenticated = false;
            if (auth != null && auth.startsWith("Basic ")) {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
                if (!decoded.equals(TestRegistry.USER + ":" + TestRegistry.PASSWORD)) {
                    send(ex, 401, "{\"details\":\"incorrect username or password\"}");
                    return;
                }
                authenticated = true;
            }
            List<Map<String, Object>> access = new ArrayList<>();
            String query = ex.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("scope") && authenticated) {
                    String[] scope = URLDecoder.decode(kv[1], StandardCharsets.UTF_8).split(":");
                    // repository:name:actions (the name has no colons in these tests)
                    access.add(Map.of("type", scope[0], "name", scope[1], "actions", List.of(scope[2].split(","))));
                }
            }
            long now = Instant.now().getEpochSecond();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", ISSUER);
            claims.put("sub", authenticated ? TestRegistry.USER : "");
            claims.put("aud", SERVICE);
            claims.put("exp", now + 300);
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("access", access);
            String token = jwt(claims);
            issued.incrementAndGet();
            send(ex, 200, ImageJson.MAPPER.writeValueAsString(Map.of("token", token, "access_token", token, "expires_in", 300)));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(Map<String, Object> claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(ImageJson.MAPPER.writeValueAsBytes(Map.of("typ", "JWT", "alg", "RS256", "kid", keyId)));
        String payload = b64.encodeToString(ImageJson.MAPPER.writeValueAsBytes(claims));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(s.sign());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
