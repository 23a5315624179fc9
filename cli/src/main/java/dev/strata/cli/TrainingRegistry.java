package dev.strata.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.digest.Digester;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry in memory, just enough of the distribution API for {@link AotTraining} to run push and pull through the
 * code real registries exercise (HTTP client, auth-less transport, uploads, manifests, downloads), so that the AOT
 * cache holds those classes too. Not for anything else: no auth, no validation beyond digests, nothing persists.
 */
final class TrainingRegistry implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();

    TrainingRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.equals("/v2/")) {
                send(ex, 200, "{}".getBytes(StandardCharsets.UTF_8), method);
            } else if (path.contains("/blobs/uploads/")) {
                upload(ex, path, method, body);
            } else if (path.contains("/blobs/")) {
                byte[] blob = blobs.get(path.substring(path.lastIndexOf('/') + 1));
                if (blob == null) {
                    send(ex, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}".getBytes(StandardCharsets.UTF_8), method);
                } else {
                    send(ex, 200, blob, method);
                }
            } else if (path.contains("/manifests/")) {
                String ref = path.substring(0, path.indexOf("/manifests/")) + "@" + path.substring(path.lastIndexOf('/') + 1);
                if (method.equals("PUT")) {
                    String digest = digest(body);
                    String name = path.substring(0, path.indexOf("/manifests/"));
                    String type = ex.getRequestHeaders().getFirst("Content-Type");
                    for (String key : new String[] {ref, name + "@" + digest}) {
                        manifests.put(key, body);
                        types.put(key, type);
                    }
                    ex.getResponseHeaders().set("Docker-Content-Digest", digest);
                    send(ex, 201, new byte[0], method);
                } else if (manifests.containsKey(ref)) {
                    ex.getResponseHeaders().set("Content-Type", types.get(ref));
                    ex.getResponseHeaders().set("Docker-Content-Digest", digest(manifests.get(ref)));
                    send(ex, 200, manifests.get(ref), method);
                } else {
                    send(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8),
                            method);
                }
            } else {
                send(ex, 404, new byte[0], method);
            }
        }
    }

    private void upload(HttpExchange ex, String path, String method, byte[] body) throws IOException {
        String base = path.substring(0, path.indexOf("/blobs/uploads/") + "/blobs/uploads/".length());
        if (method.equals("POST")) {
            String id = UUID.randomUUID().toString();
            uploads.put(id, new ByteArrayOutputStream());
            ex.getResponseHeaders().set("Location", base + id);
            send(ex, 202, new byte[0], method);
            return;
        }
        String id = path.substring(base.length());
        ByteArrayOutputStream data = uploads.get(id);
        if (data == null) {
            send(ex, 404, new byte[0], method);
            return;
        }
        data.write(body);
        if (method.equals("PATCH")) {
            ex.getResponseHeaders().set("Location", base + id);
            send(ex, 202, new byte[0], method);
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        String digest = query == null ? "" : URLDecoder.decode(query.replaceFirst(".*digest=", ""), StandardCharsets.UTF_8);
        byte[] blob = data.toByteArray();
        if (!digest.equals(digest(blob))) {
            send(ex, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest invalid\"}]}".getBytes(StandardCharsets.UTF_8), method);
            return;
        }
        uploads.remove(id);
        blobs.put(digest, blob);
        ex.getResponseHeaders().set("Docker-Content-Digest", digest);
        send(ex, 201, new byte[0], method);
    }

    private static String digest(byte[] data) {
        return Digester.of(data).toString();
    }

    private static void send(HttpExchange ex, int status, byte[] body, String method) throws IOException {
        if (method.equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
