package dev.strata.engine.image;

import dev.strata.error.StrataException;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code save} and {@code load}: images to and from docker-archive and OCI-layout tarballs. Safe to call from many
 * threads at once: a load unpacks each layer under its ChainID's lock (so two loads of one layer unpack it once) and
 * commits in one transaction; a save reads a snapshot.
 */
public final class ImageArchives {
    private final ArchiveWriter writer;
    private final ArchiveLoader loader;

    public ImageArchives(Store store) {
        this.writer = new ArchiveWriter(store);
        this.loader = new ArchiveLoader(store);
    }

    /**
     * Writes the named images into one archive, like {@code docker save}: a name that is a tag is saved under that
     * tag, a bare repository name under every tag of the repository, an ID (or ID prefix, or name@digest) without
     * tags. All names are resolved before anything is written: an unknown one fails with a
     * {@link dev.strata.error.NotFoundException} and an untouched {@code out}. The same images give the same bytes.
     */
    public void save(List<String> names, OutputStream out, SaveFormat format) throws IOException, StrataException {
        writer.save(names, out, format);
    }

    /**
     * Loads every image in a docker-archive (Docker ≤24 or 25+ shape, podman, skopeo) or an OCI layout tarball, read
     * from a stream whose entries may come in any order; the archive may itself be gzip- or zstd-compressed. All the
     * archive's images are added in one transaction: on any error (a broken tar, a missing file, a digest that does
     * not match, a hostile layer) the store is left as it was.
     */
    public List<LoadedImage> load(InputStream in, String source) throws IOException, StrataException {
        return loader.load(in, source);
    }
}
