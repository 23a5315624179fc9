package dev.strata.engine.registry;

import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.error.StrataException;
import dev.strata.reference.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * A client for one repository of a registry, for pulling or for pushing (which decides the token scopes it asks
 * for). Each method is one endpoint concept; all share one {@link Transport}, so the registry is pinged and a token
 * fetched once per action.
 */
public final class RegistryClient {
    private final Transport transport;
    private final Reference repository;
    private final List<String> scopes;

    private RegistryClient(Transport transport, Reference repository, boolean push) {
        this.transport = transport;
        this.repository = repository.repository();
        this.scopes = List.of("repository:" + repository.path() + (push ? ":pull,push" : ":pull"));
    }

    /** A client for pulling from the repository {@code reference} names, with credentials from the options or the auth file. */
    public static RegistryClient forPull(Reference reference, RegistryOptions options) throws IOException, StrataException {
        return new RegistryClient(transport(reference, options), reference, false);
    }

    /** A client for pushing to (and pulling from) the repository {@code reference} names. */
    public static RegistryClient forPush(Reference reference, RegistryOptions options) throws IOException, StrataException {
        return new RegistryClient(transport(reference, options), reference, true);
    }

    private static Transport transport(Reference reference, RegistryOptions options) throws IOException, StrataException {
        RegistryHost host = RegistryHost.of(reference.domain(), options);
        Optional<Credentials> credentials = options.credentials().isPresent() ? options.credentials()
                : new DockerConfigFile(options.authFile()).get(host.authKey());
        return new Transport(host, options, credentials);
    }

    public Reference repository() {
        return repository;
    }

    public RegistryHost host() {
        return transport.host();
    }

    Transport transport() {
        return transport;
    }

    List<String> scopes() {
        return scopes;
    }

    URI uri(String suffix) throws IOException, RegistryException {
        return transport.uri("/v2/" + repository.path() + suffix);
    }

    /** The manifest or index a tag or digest names, verified against its digest. */
    public Manifest pullManifest(String tagOrDigest) throws IOException, StrataException {
        Optional<Digest> expected = tagOrDigest.startsWith(Digest.ALGORITHM + ":") ? Optional.of(Digest.parse(tagOrDigest)) : Optional.empty();
        return new ManifestPuller(this).pull(tagOrDigest, expected);
    }

    /** Puts {@code manifest} under {@code tagOrDigest}. */
    public void pushManifest(String tagOrDigest, Manifest manifest) throws IOException, StrataException {
        new ManifestPusher(this).push(tagOrDigest, manifest);
    }

    /** The blob's size if the repository has it. */
    public OptionalLong checkBlob(Digest digest) throws IOException, RegistryException {
        return new BlobChecker(this).check(digest);
    }

    /** The blob's bytes from {@code offset} on (not verified: the caller hashes what it reads). */
    public InputStream pullBlob(Digest digest, long offset) throws IOException, RegistryException {
        return new BlobPuller(this).open(digest, offset);
    }

    /** A small blob (a config), read whole and verified. */
    public byte[] pullSmallBlob(Digest digest, long maxSize) throws IOException, StrataException {
        byte[] data;
        try (InputStream in = pullBlob(digest, 0)) {
            data = in.readNBytes((int) Math.min(maxSize + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw new RegistryException("download blob " + digest.shortHex() + ": the connection broke: " + Transport.describe(e), e);
        }
        if (data.length > maxSize) {
            throw new BadContentException("blob " + digest + " is larger than the " + maxSize + " bytes expected");
        }
        Digest actual = dev.strata.digest.Digester.of(data);
        if (!actual.equals(digest)) {
            throw new BadContentException("blob " + digest + ": digest mismatch: expected " + digest + ", got " + actual + " ("
                    + data.length + " bytes); the data was discarded");
        }
        return data;
    }

    /** Asks for {@code digest} to be mounted from {@code fromRepository}; true when it was. */
    public boolean mountBlob(Digest digest, String fromRepository) throws IOException, RegistryException {
        Optional<URI> session = new BlobPusher(this).mount(digest, fromRepository);
        if (session.isPresent()) {
            cancel(session.get());
            return false;
        }
        return true;
    }

    /** Uploads a blob; returns its digest and size. */
    public Digest pushBlob(BlobSource source, LongConsumer progress) throws IOException, StrataException {
        return new BlobPusher(this).upload(source, Optional.empty(), progress).digest();
    }

    /** Size of what {@link #pushBlob} sent, with the digest; for callers that need both. */
    BlobPusher.Pushed pushBlobSized(BlobSource source, LongConsumer progress) throws IOException, StrataException {
        return new BlobPusher(this).upload(source, Optional.empty(), progress);
    }

    private void cancel(URI session) {
        try {
            var resp = transport.send(new Transport.Call("DELETE", session, java.util.Map.of(), Optional.empty(), true, scopes,
                    "cancel upload"));
            Transport.discard(resp);
        } catch (IOException | RegistryException ignored) {
            // an abandoned session expires on the registry
        }
    }
}
