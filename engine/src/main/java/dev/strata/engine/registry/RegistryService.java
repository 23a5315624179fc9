package dev.strata.engine.registry;

import dev.strata.error.StrataException;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pull}, {@code push}, {@code login} and {@code logout}: images to and from OCI Distribution registries. Safe to
 * call from many threads at once: pulls take each layer's ChainID lock and each partial download's lock, so two pulls
 * sharing layers download and unpack each once, across threads and processes.
 */
public final class RegistryService {
    private final ImagePuller puller;
    private final ImagePusher pusher;

    public RegistryService(Store store) {
        this.puller = new ImagePuller(store);
        this.pusher = new ImagePusher(store);
    }

    /**
     * Pulls {@code name} ({@code [registry/]repository[:tag|@digest]}, tag {@code latest} by default), like
     * {@code docker pull}: only layers the store lacks are downloaded, in parallel, each unpacked while it
     * downloads; a manifest list or index gives the manifest of {@link PullOptions#platform()}. Nothing is visible
     * until everything is verified and unpacked; a failed pull leaves the store as it was, except for partial
     * downloads in {@code ingest/}, which the next pull of the same blobs resumes.
     */
    public PullResult pull(String name, PullOptions options, Progress.Listener listener) throws IOException, StrataException {
        return puller.pull(name, options, listener);
    }

    /**
     * Pushes the local image {@code name} to its registry, like {@code docker push}: a pulled image goes with its
     * manifest and blobs byte for byte; blobs the repository has are skipped, blobs of another repository of the
     * same registry are mounted.
     */
    public PushResult push(String name, PushOptions options, Progress.Listener listener) throws IOException, StrataException {
        return pusher.push(name, options, listener);
    }

    /**
     * Checks {@code credentials} against the registry {@code server} ({@code docker.io} when empty) and stores them in
     * the auth file (or its credential helper) like {@code docker login}; throws when the registry refuses them.
     * Returns the key they were stored under.
     */
    public static String login(Optional<String> server, Credentials credentials, RegistryOptions options) throws IOException, StrataException {
        RegistryHost host = RegistryHost.of(RegistryHost.normalizeServer(server.orElse("")), options);
        Transport transport = new Transport(host, options, Optional.of(credentials));
        verify(transport);
        new DockerConfigFile(options.authFile()).store(host.authKey(), credentials);
        return host.authKey();
    }

    /** Removes stored credentials for {@code server}; false when there were none. */
    public static boolean logout(Optional<String> server, RegistryOptions options) throws IOException, StrataException {
        RegistryHost host = RegistryHost.of(RegistryHost.normalizeServer(server.orElse("")), options);
        return new DockerConfigFile(options.authFile()).erase(host.authKey());
    }

    /** The key credentials for {@code server} are kept under ({@code https://index.docker.io/v1/} for Docker Hub). */
    /**
     * For a process about to exit: stops the HTTP clients' threads so that the JVM exits at once instead of waiting
     * for their selectors (up to 0.3 s). Requests after this make new clients.
     */
    public static void shutdownClients() {
        Transport.shutdownClients();
    }

    public static String authKey(Optional<String> server) {
        return RegistryHost.of(RegistryHost.normalizeServer(server.orElse("")), RegistryOptions.defaults()).authKey();
    }

    /** {@code GET /v2/} with the credentials: Basic directly, or a token from the Bearer realm without a scope. */
    private static void verify(Transport transport) throws IOException, StrataException {
        String what = "login to " + transport.host().domain();
        HttpResponse<InputStream> resp = transport.send(Transport.Call.get(transport.uri("/v2/"), List.of(), what, Map.of()));
        Transport.expect(resp, what, 200);
        Transport.discard(resp);
    }
}
