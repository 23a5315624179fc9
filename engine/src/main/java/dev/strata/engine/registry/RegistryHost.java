package dev.strata.engine.registry;

import dev.strata.reference.Reference;
import java.util.Locale;

/**
 * A registry as a reference's domain names it, and where its API is: {@code docker.io} is Docker Hub, served at
 * {@code registry-1.docker.io} with credentials kept under {@code https://index.docker.io/v1/}, as the docker CLI
 * does.
 *
 * @param domain the reference's domain, e.g. {@code docker.io}, {@code 127.0.0.1:5000}
 * @param apiHost host[:port] of the API
 * @param insecure whether plain HTTP (and unverified TLS) may be used
 */
public record RegistryHost(String domain, String apiHost, boolean insecure) {
    public static final String DOCKER_HUB_API = "registry-1.docker.io";
    /** The key the docker CLI keeps Docker Hub's credentials under. */
    public static final String DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/";

    public static RegistryHost of(String domain, RegistryOptions options) {
        String d = normalizeServer(domain);
        String api = d.equals(Reference.DEFAULT_DOMAIN) ? DOCKER_HUB_API : d;
        boolean insecure = !options.tlsVerify() || options.insecureRegistries().contains(d) || isLoopback(d);
        return new RegistryHost(d, api, insecure);
    }

    /**
     * A server as users write it ({@code docker.io}, {@code https://index.docker.io/v1/}, {@code http://host:5000/},
     * {@code host:5000}) as a reference domain.
     */
    public static String normalizeServer(String server) {
        String s = server.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        s = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("index.docker.io") || s.equals(DOCKER_HUB_API)) {
            return Reference.DEFAULT_DOMAIN;
        }
        return s;
    }

    /** The key credentials for this registry are stored under in the docker CLI's config. */
    public String authKey() {
        return domain.equals(Reference.DEFAULT_DOMAIN) ? DOCKER_HUB_AUTH_KEY : domain;
    }

    /** localhost, 127.0.0.0/8 and ::1, with or without a port: Docker never insists on TLS for them. */
    static boolean isLoopback(String domain) {
        String host = domain;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end > 0 ? host.substring(1, end) : host;
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
