package dev.strata.engine.image;

import dev.strata.image.MediaTypes;
import dev.strata.archive.TarWriter;
import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import dev.strata.error.NotFoundException;
import dev.strata.error.StrataException;
import dev.strata.image.Image;
import dev.strata.image.Descriptor;
import dev.strata.image.ImageJson;
import dev.strata.image.ImageStore;
import dev.strata.layer.Layer;
import dev.strata.layer.LayerStore;
import dev.strata.metadata.Tx;
import dev.strata.reference.InvalidReferenceException;
import dev.strata.reference.Reference;
import dev.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes images into one archive. Everything is decided before the first byte goes out (names resolved, tar sizes
 * known, JSON documents built), then the entries are streamed in name order: layer tars straight from
 * {@link LayerStore#openTar}, nothing spooled. Same images, same bytes: sorted entries, mtimes from the image's
 * creation time (layers, configs) or the epoch (everything else), uid/gid 0, sorted JSON maps.
 */
final class ArchiveWriter {
    private static final String BLOBS = "blobs/sha256/";
    private static final int FILE_MODE = 0644;
    private static final int DIR_MODE = 0755;

    private final Store store;
    private final ImageStore images;
    private final LayerStore layers;

    ArchiveWriter(Store store) {
        this.store = store;
        this.images = store.images();
        this.layers = store.layers();
    }

    /** One image to save: its row, config bytes, the tags it is saved under, and its layers bottom first. */
    private record Saved(Image image, byte[] config, TreeSet<Reference> tags, List<Layer> stack) {
        long mtime() {
            return image.created().getEpochSecond();
        }
    }

    /** An entry of the outer tar; the tar's order is the order of names. */
    private sealed interface Entry {
        String name();

        long mtime();
    }

    private record Dir(String name, long mtime) implements Entry {
    }

    private record Bytes(String name, byte[] data, long mtime) implements Entry {
    }

    private record LayerTar(String name, Layer layer, long size, long mtime) implements Entry {
    }

    private record Symlink(String name, String target, long mtime) implements Entry {
    }

    void save(List<String> names, OutputStream out, SaveFormat format) throws IOException, StrataException {
        List<Saved> saved = resolve(names);
        Map<Digest, Long> sizes = new HashMap<>();
        for (Saved s : saved) {
            for (Layer l : s.stack()) {
                if (!sizes.containsKey(l.diffId())) {
                    sizes.put(l.diffId(), layers.tarSize(l));
                }
            }
        }
        Map<String, Entry> entries = new TreeMap<>();
        switch (format) {
            case DOCKER, OCI -> ociLayout(saved, sizes, format == SaveFormat.DOCKER, entries);
            case DOCKER_LEGACY -> legacy(saved, sizes, entries);
        }
        write(entries.values(), out);
    }

    // ---- naming: which images, under which tags (Docker's rules, image/tarexport/save.go parseNames) ----

    private List<Saved> resolve(List<String> names) throws IOException, StrataException {
        try (Tx tx = store.read()) {
            Map<Digest, TreeSet<Reference>> chosen = new LinkedHashMap<>();
            Map<Digest, List<Reference>> allTags = null;
            for (String name : names) {
                Reference ref = parseOrNull(name);
                if (ref != null && ref.isNameOnly() && !name.startsWith(Digest.ALGORITHM + ":")) {
                    // A bare repository name saves every tag of that repository, as docker save does.
                    if (allTags == null) {
                        allTags = images.allTags(tx);
                    }
                    boolean any = false;
                    for (Map.Entry<Digest, List<Reference>> e : allTags.entrySet()) {
                        for (Reference t : e.getValue()) {
                            if (t.name().equals(ref.name())) {
                                chosen.computeIfAbsent(e.getKey(), k -> new TreeSet<>(Comparator.comparing(Reference::toString))).add(t);
                                any = true;
                            }
                        }
                    }
                    if (any) {
                        continue;
                    }
                }
                Image image = images.resolve(tx, name); // NotFoundException names it; nothing is written yet
                TreeSet<Reference> tags = chosen.computeIfAbsent(image.id(), k -> new TreeSet<>(Comparator.comparing(Reference::toString)));
                if (ref != null && ref.tag().isPresent() && ref.digest().isEmpty() && images.tags(tx, image.id()).contains(ref)) {
                    tags.add(ref);
                }
            }
            List<Saved> out = new ArrayList<>();
            for (Map.Entry<Digest, TreeSet<Reference>> e : chosen.entrySet()) {
                Image image = images.get(tx, e.getKey()).orElseThrow(() -> new NotFoundException("No such image: " + e.getKey()));
                List<Layer> stack = image.topLayer().isPresent() ? layers.stack(tx, image.topLayer().get()) : List.of();
                List<Digest> diffIds = images.config(image.id()).diffIds();
                if (!stack.stream().map(Layer::diffId).toList().equals(diffIds)) {
                    throw new BadContentException("image " + image.id().shortHex() + ": its layers do not match the DiffIDs of its config");
                }
                out.add(new Saved(image, images.configBytes(image.id()), e.getValue(), stack));
            }
            tx.commit();
            // Output order does not depend on the order names were given in.
            out.sort(Comparator.comparing(s -> s.image().id()));
            return out;
        }
    }

    private static Reference parseOrNull(String name) {
        try {
            return Reference.parse(name);
        } catch (InvalidReferenceException e) {
            return null;
        }
    }

    // ---- Docker 25+ (OCI layout plus manifest.json) and plain OCI ----

    private void ociLayout(List<Saved> saved, Map<Digest, Long> sizes, boolean docker, Map<String, Entry> entries) {
        entries.put("blobs/", new Dir("blobs/", 0));
        entries.put(BLOBS, new Dir(BLOBS, 0));
        List<Descriptor> index = new ArrayList<>();
        List<ArchiveJson.ManifestItem> manifestJson = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        for (Saved s : saved) {
            Digest id = s.image().id();
            entries.put(BLOBS + id.hex(), new Bytes(BLOBS + id.hex(), s.config(), s.mtime()));
            List<Descriptor> layerDescriptors = new ArrayList<>();
            List<String> layerPaths = new ArrayList<>();
            for (Layer l : s.stack()) {
                String name = BLOBS + l.diffId().hex();
                entries.putIfAbsent(name, new LayerTar(name, l, sizes.get(l.diffId()), s.mtime()));
                layerDescriptors.add(Descriptor.of(MediaTypes.OCI_LAYER, sizes.get(l.diffId()), l.diffId()));
                layerPaths.add(name);
            }
            byte[] manifest = ArchiveJson.MAPPER.writeValueAsBytes(new ArchiveJson.Manifest(2, MediaTypes.OCI_MANIFEST,
                    Descriptor.of(MediaTypes.OCI_CONFIG, s.config().length, id), layerDescriptors));
            Digest manifestDigest = Digester.of(manifest);
            entries.put(BLOBS + manifestDigest.hex(), new Bytes(BLOBS + manifestDigest.hex(), manifest, 0));
            if (s.tags().isEmpty()) {
                index.add(Descriptor.of(MediaTypes.OCI_MANIFEST, manifest.length, manifestDigest));
            }
            List<String> repoTags = new ArrayList<>();
            for (Reference tag : s.tags()) {
                // Docker 25+: the full name for containerd, the bare tag as the OCI ref name.
                Map<String, String> annotations = new TreeMap<>(Map.of(ArchiveJson.ANNOTATION_IMAGE_NAME, tag.toString(),
                        ArchiveJson.ANNOTATION_REF_NAME, tag.tag().orElseThrow()));
                index.add(Descriptor.of(MediaTypes.OCI_MANIFEST, manifest.length, manifestDigest).withAnnotations(annotations));
                repoTags.add(tag.familiarString());
                if (!s.stack().isEmpty()) {
                    repositories.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>())
                            .put(tag.tag().orElseThrow(), s.stack().getLast().diffId().hex());
                }
            }
            manifestJson.add(new ArchiveJson.ManifestItem(BLOBS + id.hex(), repoTags.isEmpty() ? null : repoTags, layerPaths));
        }
        entries.put("oci-layout", new Bytes("oci-layout", ascii(ArchiveJson.OCI_LAYOUT), 0));
        entries.put("index.json", new Bytes("index.json", ArchiveJson.MAPPER.writeValueAsBytes(new ArchiveJson.Index(2, MediaTypes.OCI_INDEX, index)), 0));
        if (docker) {
            entries.put("manifest.json", new Bytes("manifest.json", line(ImageJson.write(manifestJson)), 0));
            if (!repositories.isEmpty()) {
                entries.put("repositories", new Bytes("repositories", line(ImageJson.write(repositories)), 0));
            }
        }
    }

    // ---- Docker <= 24: <v1 id>/{VERSION,json,layer.tar}, <config hex>.json, manifest.json, repositories ----

    private void legacy(List<Saved> saved, Map<Digest, Long> sizes, Map<String, Entry> entries) throws BadContentException {
        List<ArchiveJson.ManifestItem> manifestJson = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        Map<Digest, String> firstPath = new HashMap<>();
        for (Saved s : saved) {
            Digest id = s.image().id();
            entries.put(id.hex() + ".json", new Bytes(id.hex() + ".json", s.config(), s.mtime()));
            List<String> layerPaths = new ArrayList<>();
            Digest parent = null;
            for (int i = 0; i < s.stack().size(); i++) {
                Layer l = s.stack().get(i);
                boolean top = i == s.stack().size() - 1;
                // A v1 ID per (layer stack, parent, and for the top layer the image): Docker derives its own from the
                // legacy JSON; no loader checks them, they only have to be stable and distinct.
                Digest v1 = Digester.of("v1 " + l.chainId() + " parent " + (parent == null ? "" : parent) + (top ? " image " + id : ""));
                String dir = v1.hex() + "/";
                layerPaths.add(dir + "layer.tar");
                if (!entries.containsKey(dir)) {
                    entries.put(dir, new Dir(dir, s.mtime()));
                    entries.put(dir + "VERSION", new Bytes(dir + "VERSION", ascii("1.0"), s.mtime()));
                    entries.put(dir + "json", new Bytes(dir + "json", v1Json(s, v1, parent, top), s.mtime()));
                    String previous = firstPath.putIfAbsent(l.diffId(), dir + "layer.tar");
                    // The same tar under another v1 ID is a symlink to the first copy, as Docker <= 24 writes it.
                    entries.put(dir + "layer.tar", previous == null
                            ? new LayerTar(dir + "layer.tar", l, sizes.get(l.diffId()), s.mtime())
                            : new Symlink(dir + "layer.tar", "../" + previous, s.mtime()));
                }
                parent = v1;
            }
            List<String> repoTags = new ArrayList<>();
            for (Reference tag : s.tags()) {
                repoTags.add(tag.familiarString());
                if (parent != null) {
                    repositories.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>()).put(tag.tag().orElseThrow(), parent.hex());
                }
            }
            manifestJson.add(new ArchiveJson.ManifestItem(id.hex() + ".json", repoTags.isEmpty() ? null : repoTags, layerPaths));
        }
        entries.put("manifest.json", new Bytes("manifest.json", line(ImageJson.write(manifestJson)), 0));
        if (!repositories.isEmpty()) {
            entries.put("repositories", new Bytes("repositories", line(ImageJson.write(repositories)), 0));
        }
    }

    /** The legacy per-layer JSON: for the top layer the image config without rootfs and history, else a stub. */
    private static byte[] v1Json(Saved s, Digest v1, Digest parent, boolean top) throws BadContentException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", v1.hex());
        if (parent != null) {
            json.put("parent", parent.hex());
        }
        if (top) {
            Map<String, Object> config;
            try {
                config = ImageJson.MAPPER.readValue(s.config(), ImageJson.MAPPER.getTypeFactory()
                        .constructMapType(LinkedHashMap.class, String.class, Object.class));
            } catch (RuntimeException e) {
                throw new BadContentException("image config " + s.image().id() + " is not a JSON object: " + e.getMessage());
            }
            config.remove("rootfs");
            config.remove("history");
            config.remove("id");
            config.remove("parent");
            json.putAll(config);
        } else {
            json.put("created", "1970-01-01T00:00:00Z");
            json.put("container_config", Map.of());
        }
        return ImageJson.write(json);
    }

    // ---- the outer tar ----

    private void write(Iterable<Entry> entries, OutputStream out) throws IOException, StrataException {
        TarWriter tar = new TarWriter(out);
        for (Entry e : entries) {
            switch (e) {
                case Dir d -> tar.writeHeader(header(d.name(), (byte) '5', DIR_MODE, 0, d.mtime(), ""));
                case Symlink l -> tar.writeHeader(header(l.name(), (byte) '2', 0777, 0, l.mtime(), l.target()));
                case Bytes b -> {
                    tar.writeHeader(header(b.name(), (byte) '0', FILE_MODE, b.data().length, b.mtime(), ""));
                    out.write(b.data());
                    tar.pad(b.data().length);
                }
                case LayerTar t -> {
                    tar.writeHeader(header(t.name(), (byte) '0', FILE_MODE, t.size(), t.mtime(), ""));
                    long n;
                    // openTar verifies the DiffID at the end of the stream: a layer whose files changed fails here.
                    try (InputStream in = layers.openTar(t.layer())) {
                        n = copy(in, out, t.size());
                    }
                    if (n != t.size()) {
                        throw new IOException("layer " + t.layer().chainId().shortHex() + ": its tar has " + n
                                + " bytes, but " + t.size() + " were recorded; the archive written so far is unusable");
                    }
                    tar.pad(n);
                }
            }
        }
        tar.finish();
        out.flush();
    }

    /** Copies up to {@code limit} bytes, then checks that the input ends there (reading its end runs the DiffID check). */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        while (done < limit) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, limit - done));
            if (r < 0) {
                return done;
            }
            out.write(buf, 0, r);
            done += r;
        }
        return in.read() < 0 ? done : done + 1;
    }

    private static TarWriter.Header header(String name, byte type, int mode, long size, long mtime, String link) {
        return new TarWriter.Header(name, type, mode, 0, 0, size, mtime, link, 0, 0, new TreeMap<>());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** JSON as Go's json.Encoder writes it: followed by a newline. */
    private static byte[] line(byte[] json) {
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }
}
