package dev.strata.engine.image;

import dev.strata.error.StrataException;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** {@code save} and {@code load}: images to and from docker-archive and OCI-layout tarballs. */
public final class ImageArchives {
    private final Store store;

    public ImageArchives(Store store) {
        this.store = store;
    }

    /** Writes the named images (tags kept) into one archive. */
    public void save(List<String> names, OutputStream out, SaveFormat format) throws IOException, StrataException {
        throw new UnsupportedOperationException("save is not implemented yet");
    }

    /** Loads every image in a docker-archive (Docker ≤24 or 25+ shape) or an OCI layout tarball. */
    public List<LoadedImage> load(InputStream in, String source) throws IOException, StrataException {
        throw new UnsupportedOperationException("load is not implemented yet");
    }
}
