package dev.strata.engine.migrate;

import dev.strata.archive.Change;
import dev.strata.archive.Changes;
import dev.strata.archive.LayerWriter;
import dev.strata.archive.WhiteoutFormat;
import dev.strata.layer.ProducedStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tars of a legacy store's layers: exact ones from {@code tar-data.json.gz}, deterministic ones from changes. */
final class LegacyTars {
    static final String TAR_DATA = "tar-data.json.gz";

    private final Path root;
    private final LegacyDriver driver;

    LegacyTars(Path root, LegacyDriver driver) {
        this.root = root;
        this.driver = driver;
    }

    /** How a layer's tar is made. */
    enum Source {
        /** rebuilt byte for byte from {@code graph/<id>/tar-data.json.gz} and the layer's files */
        TAR_DATA,
        /** written by {@link LayerWriter} from the layer's changes (there is no record of the original tar) */
        CHANGES
    }

    Source source(String id) {
        return Files.isRegularFile(root.resolve("graph").resolve(id).resolve(TAR_DATA)) ? Source.TAR_DATA : Source.CHANGES;
    }

    /** The image layer {@code id} (on top of {@code parent}) as a tar. */
    InputStream imageLayer(String id, Optional<String> parent) throws IOException {
        Path dir = driver.imageLayerDir(root, id);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("its layer directory " + dir + " is missing");
        }
        if (source(id) == Source.TAR_DATA) {
            InputStream gz = Files.newInputStream(root.resolve("graph").resolve(id).resolve(TAR_DATA));
            try {
                return new BufferedInputStream(JsonTarSplit.open(gz, dir), 1 << 16);
            } catch (IOException | RuntimeException e) {
                gz.close();
                throw e;
            }
        }
        Optional<Path> parentDir = driver.fullTrees() ? parent.map(p -> driver.imageLayerDir(root, p)) : Optional.empty();
        if (parentDir.isPresent() && !Files.isDirectory(parentDir.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the layer directory of its parent, " + parentDir.get() + ", is missing");
        }
        return ProducedStream.of("legacy layer " + id.substring(0, 12), out -> writeChanges(dir, parentDir, driver.fullTrees(), out));
    }

    /**
     * A container layer ({@code <id>} or {@code <id>-init}) as a tar of its changes against {@code below} (the layer
     * under it, for drivers that keep full trees).
     */
    InputStream containerLayer(String layerId, Optional<Path> below) throws IOException {
        Path dir = driver.containerLayerDir(root, layerId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("its layer directory " + dir + " is missing");
        }
        return ProducedStream.of("legacy container layer " + layerId.substring(0, 12), out -> {
            switch (driver) {
                case OVERLAY -> LayerWriter.write(dir, WhiteoutFormat.overlay(), out);
                default -> writeChanges(dir, below, driver.fullTrees(), out);
            }
        });
    }

    /** Docker <= 1.9's name for the directory of a container's init layer (the legacy layout, not this store's). */
    static String initLayerOf(String containerId) {
        return containerId + "-init";
    }

    Path containerLayerDir(String layerId) {
        return driver.containerLayerDir(root, layerId);
    }

    Path imageLayerDir(String id) {
        return driver.imageLayerDir(root, id);
    }

    private static void writeChanges(Path dir, Optional<Path> parentDir, boolean fullTree, OutputStream out) throws IOException {
        if (fullTree) {
            if (parentDir.isPresent()) {
                LayerWriter.write(dir, Changes.between(parentDir.get(), dir), out);
            } else {
                LayerWriter.write(dir, WhiteoutFormat.deleting(), out);
            }
            return;
        }
        // aufs: the diff directory is the layer, .wh. files included, as Docker's aufs driver tarred it; AUFS's own
        // bookkeeping (.wh..wh.aufs, .wh..wh.plnk/, .wh..wh.orph/) is not part of it.
        List<Change> all = new ArrayList<>();
        walkAufs(dir, "", all);
        LayerWriter.write(dir, all, out);
    }

    private static void walkAufs(Path dir, String rel, List<Change> out) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (name.startsWith(WhiteoutFormat.META_PREFIX) && !name.equals(WhiteoutFormat.OPAQUE_MARKER)) {
                continue;
            }
            String path = rel + "/" + name;
            out.add(new Change(path, Change.Kind.ADD));
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                walkAufs(child, path, out);
            }
        }
    }
}
