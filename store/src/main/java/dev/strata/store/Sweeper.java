package dev.strata.store;

import dev.strata.digest.Digest;
import dev.strata.metadata.Tx;
import dev.strata.driver.Trees;
import dev.strata.layer.LayerStore;
import dev.strata.volume.VolumeStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes what no row reaches: blobs, driver directories, and ingest files old enough that no download will
 * resume them. Runs under the store's exclusive lock, so nothing it looks at is in flight.
 */
final class Sweeper {
    /** Partial downloads younger than this stay, so that the next pull resumes them. */
    private static final Duration INGEST_KEEP = Duration.ofHours(24);

    private Sweeper() {
    }

    static SweepReport sweep(Store store) throws IOException {
        Set<Digest> liveBlobs = new HashSet<>();
        Set<String> liveDirs = new HashSet<>();
        Set<String> liveVolumes;
        Set<String> liveContainers = new HashSet<>();
        try (Tx tx = store.read()) {
            liveVolumes = store.volumes().names(tx);
            liveBlobs.addAll(store.images().blobs(tx));
            liveBlobs.addAll(store.layers().blobs(tx));
            liveDirs.addAll(store.layers().cacheIds(tx));
            liveContainers.addAll(store.containers().ids(tx));
            tx.commit();
        }
        for (String id : liveContainers) {
            liveDirs.addAll(LayerStore.writableDirectories(id));
        }
        List<String> blobs = new ArrayList<>();
        for (Digest d : store.content().list()) {
            if (!liveBlobs.contains(d)) {
                store.content().delete(d);
                blobs.add(d.toString());
            }
        }
        List<String> dirs = new ArrayList<>();
        for (String id : store.driver().ids()) {
            if (!liveDirs.contains(id)) {
                store.driver().remove(id);
                dirs.add(id);
            }
        }
        for (String name : store.volumes().directories()) {
            // Created by an action that died before its row. Volumes hold users' data, so only an empty one goes;
            // a staging directory holds only a copy that was never put in place.
            if (!liveVolumes.contains(name) && (VolumeStore.isStaging(name) || store.volumes().isEmpty(name))) {
                store.volumes().deleteDirectory(name);
                dirs.add("volumes/" + name);
            }
        }
        // A container's directory (bundle, logs, exit status) is made before its row and removed after it.
        List<String> containerDirs = new ArrayList<>();
        Path bundles = store.containersDir();
        if (Files.isDirectory(bundles)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(bundles)) {
                for (Path dir : ds) {
                    if (!liveContainers.contains(dir.getFileName().toString())) {
                        Trees.deleteRecursively(dir);
                        containerDirs.add(dir.getFileName().toString());
                    }
                }
            }
        }
        int ingests = store.content().removeStaleIngests(System.currentTimeMillis() - INGEST_KEEP.toMillis());
        return new SweepReport(blobs, dirs, containerDirs, ingests, false);
    }
}
