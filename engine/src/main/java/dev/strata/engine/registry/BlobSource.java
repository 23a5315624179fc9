package dev.strata.engine.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an upload sends: a stream that can be opened again for a retry, with its digest and size when they are known
 * beforehand (a stored blob), or without (a layer compressed while it is sent: both are computed on the way).
 */
public interface BlobSource {
    InputStream open() throws IOException;

    Optional<dev.strata.digest.Digest> digest();

    OptionalLong size();

    static BlobSource of(byte[] bytes) {
        dev.strata.digest.Digest d = dev.strata.digest.Digester.of(bytes);
        return new BlobSource() {
            @Override
            public InputStream open() {
                return new java.io.ByteArrayInputStream(bytes);
            }

            @Override
            public Optional<dev.strata.digest.Digest> digest() {
                return Optional.of(d);
            }

            @Override
            public OptionalLong size() {
                return OptionalLong.of(bytes.length);
            }
        };
    }
}
