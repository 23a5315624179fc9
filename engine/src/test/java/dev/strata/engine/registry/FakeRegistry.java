package dev.strata.engine.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.digest.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny registry for the faults a real one does not make on demand: bytes that do not match their digest, bodies
 * cut short, 401/403/404/429/5xx answers. Serves manifests and blobs (with Range) from maps; each path can be given a
 * queue of faults that the next requests get, one each, before it behaves.
 */
final class FakeRegistry implements AutoCloseable {
    /** What one request gets instead of the right answer. */
    sealed interface Fault {
    }

    record Status(int status, Map<String, String> headers) implements Fault {
    }

    /** A body that ends early: only the first {@code bytes} bytes, chunked, then the end of the body. */
    record Truncate(int bytes) implements Fault {
    }

    /** The right headers, {@code bytes} bytes, then nothing for {@code millis} (a stalled connection). */
    record Stall(int bytes, long millis) implements Fault {
    }

    /** A 200 with these bytes instead. */
    record Body(byte[] bytes, Map<String, String> headers) implements Fault {
    }

    private final HttpServer server;
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile String challenge;

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void manifest(String repository, String reference, Manifest m) {
        manifests.put(repository + "/" + reference, m.bytes());
        manifestTypes.put(repository + "/" + reference, m.mediaType());
        manifests.put(repository + "/" + m.digest(), m.bytes());
        manifestTypes.put(repository + "/" + m.digest(), m.mediaType());
    }

    void fault(String path, Fault... queue) {
        faults.computeIfAbsent(path, k -> new ArrayDeque<>()).addAll(List.of(queue));
    }

    long count(String pathPart) {
        return requests.stream().filter(r -> r.contains(pathPart)).count();
    }

    private synchronized Fault next(String path) {
        Deque<Fault> q = faults.get(path);
        return q == null ? null : q.poll();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
            boolean head = ex.getRequestMethod().equals("HEAD");
            if (path.equals("/v2/")) {
                if (challenge != null && ex.getRequestHeaders().getFirst("Authorization") == null) {
                    ex.getResponseHeaders().set("WWW-Authenticate", challenge);
                    send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(), head);
                    return;
                }
                send(ex, 200, "{}".getBytes(), head);
                return;
            }
            Fault fault = next(path);
            switch (fault) {
                case Status s -> {
                    s.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                    String code = switch (s.status()) {
                        case 401 -> "UNAUTHORIZED";
                        case 403 -> "DENIED";
                        case 404 -> "MANIFEST_UNKNOWN";
                        case 429 -> "TOOMANYREQUESTS";
                        default -> "UNKNOWN";
                    };
                    send(ex, s.status(), ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"fake " + s.status() + "\"}]}").getBytes(), head);
                    return;
                }
                case Body b -> {
                    b.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                    send(ex, 200, b.bytes(), head);
                    return;
                }
                case Truncate t -> {
                    byte[] whole = content(path);
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(whole, 0, t.bytes());
                    }
                    return;
                }
                case Stall st -> {
                    byte[] whole = content(path);
                    ex.sendResponseHeaders(200, whole.length);
                    OutputStream o = ex.getResponseBody();
                    o.write(whole, 0, st.bytes());
                    o.flush();
                    try {
                        Thread.sleep(st.millis());
                        o.close();
                    } catch (InterruptedException | IOException e) {
                        // the client gave up first
                    }
                    return;
                }
                case null -> {
                }
            }
            byte[] body = content(path);
            if (body == null) {
                send(ex, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"not here\"}]}".getBytes(), head);
                return;
            }
            if (path.contains("/manifests/")) {
                String key = path.substring("/v2/".length()).replace("/manifests/", "/");
                ex.getResponseHeaders().set("Content-Type", manifestTypes.get(key));
            }
            if (range != null && range.startsWith("bytes=")) {
                int from = Integer.parseInt(range.substring(6, range.indexOf('-')));
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                byte[] rest = java.util.Arrays.copyOfRange(body, from, body.length);
                send(ex, 206, rest, head);
                return;
            }
            send(ex, 200, body, head);
        }
    }

    private byte[] content(String path) {
        String rest = path.substring("/v2/".length());
        int m = rest.indexOf("/manifests/");
        if (m >= 0) {
            return manifests.get(rest.substring(0, m) + "/" + rest.substring(m + "/manifests/".length()));
        }
        int b = rest.indexOf("/blobs/");
        if (b >= 0) {
            try {
                return blobs.get(Digest.parse(rest.substring(b + "/blobs/".length())));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static void send(HttpExchange ex, int status, byte[] body, boolean head) throws IOException {
        if (head) {
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
