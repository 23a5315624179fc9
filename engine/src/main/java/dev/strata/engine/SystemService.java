package dev.strata.engine;

import dev.strata.digest.Digest;
import dev.strata.engine.container.ContainerSummary;
import dev.strata.engine.container.Containers;
import dev.strata.engine.image.ImageSummary;
import dev.strata.engine.image.Images;
import dev.strata.engine.image.PruneReport;
import dev.strata.engine.volume.VolumeInfo;
import dev.strata.engine.volume.Volumes;
import dev.strata.error.StrataException;
import dev.strata.layer.Layer;
import dev.strata.metadata.Tx;
import dev.strata.store.Store;
import dev.strata.store.SweepReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code system df} and {@code system prune}: disk use from stored sizes, and removing what nothing uses. Safe to call
 * from many threads at once: a prune holds a write lease and removes each object in its own transaction; its sweep
 * waits until no action of any thread or process is in flight.
 */
public final class SystemService {
    private final Store store;
    private final Images images;
    private final Containers containers;
    private final Volumes volumes;

    SystemService(Store store, Images images, Containers containers, Volumes volumes) {
        this.store = store;
        this.images = images;
        this.containers = containers;
        this.volumes = volumes;
    }

    /** Per image: its size, the part shared with other images, and how many containers use it. */
    public record ImageUsage(ImageSummary image, long sharedSize, long uniqueSize, int containers) {
    }

    /** What {@code system df} reports; layer sizes come from rows, only writable layers are measured. */
    public record DiskUsage(long layersSize, long activeImagesReclaimable, List<ImageUsage> images, List<ContainerSummary> containers,
            List<VolumeUsage> volumes) {
        public long containersSize() {
            return containers.stream().mapToLong(c -> c.size().orElse(0)).sum();
        }

        public long activeImages() {
            return images.stream().filter(i -> i.containers() > 0).count();
        }

        public long volumesSize() {
            return volumes.stream().mapToLong(VolumeUsage::size).sum();
        }

        public long activeVolumes() {
            return volumes.stream().filter(v -> !v.volume().usedBy().isEmpty()).count();
        }

        public long unusedVolumesSize() {
            return volumes.stream().filter(v -> v.volume().usedBy().isEmpty()).mapToLong(VolumeUsage::size).sum();
        }
    }

    /** A volume and the bytes in it (measured: containers write volumes directly). */
    public record VolumeUsage(VolumeInfo volume, long size) {
    }

    public DiskUsage diskUsage() throws IOException, StrataException {
        List<ImageSummary> all = images.list(true);
        List<ContainerSummary> cs = containers.views().list(true, true);
        Map<Digest, Integer> useCount = new HashMap<>();
        for (ContainerSummary c : cs) {
            useCount.merge(c.imageId(), 1, Integer::sum);
        }
        Map<Digest, List<Layer>> stacks = new HashMap<>();
        Map<Digest, Integer> layerImages = new HashMap<>();
        Map<Digest, Long> layerSize = new HashMap<>();
        try (Tx tx = store.read()) {
            for (ImageSummary i : all) {
                var image = store.images().get(tx, i.id()).orElseThrow();
                List<Layer> stack = image.topLayer().isPresent() ? store.layers().stack(tx, image.topLayer().get()) : List.of();
                stacks.put(i.id(), stack);
                for (Layer l : stack) {
                    layerImages.merge(l.chainId(), 1, Integer::sum);
                    layerSize.put(l.chainId(), l.size());
                }
            }
            tx.commit();
        }
        List<ImageUsage> usage = new ArrayList<>();
        Set<Digest> activeLayers = new HashSet<>();
        for (ImageSummary i : all) {
            long shared = 0;
            long unique = 0;
            for (Layer l : stacks.get(i.id())) {
                if (layerImages.get(l.chainId()) > 1) {
                    shared += l.size();
                } else {
                    unique += l.size();
                }
            }
            int users = useCount.getOrDefault(i.id(), 0);
            if (users > 0) {
                stacks.get(i.id()).forEach(l -> activeLayers.add(l.chainId()));
            }
            usage.add(new ImageUsage(i, shared, unique, users));
        }
        long total = layerSize.values().stream().mapToLong(Long::longValue).sum();
        long active = activeLayers.stream().mapToLong(layerSize::get).sum();
        List<VolumeUsage> vols = new ArrayList<>();
        for (VolumeInfo v : volumes.list()) {
            vols.add(new VolumeUsage(v, volumes.size(v.name())));
        }
        return new DiskUsage(total, total - active, usage, cs, vols);
    }

    /** What {@code system prune} removed. */
    public record PruneResult(List<String> containers, PruneReport images, SweepReport leftovers, long reclaimedBytes) {
    }

    /** Removes stopped containers, then dangling images (all unused ones with {@code all}), then leftovers. */
    public PruneResult prune(boolean all) throws IOException, StrataException {
        Containers.PruneResult c = containers.prune();
        PruneReport i = images.prune(all);
        SweepReport sweep = store.sweep();
        return new PruneResult(c.removed(), i, sweep, c.reclaimedBytes() + i.reclaimedBytes());
    }
}
