package dev.strata.content;

import static dev.strata.testing.StoreAssertions.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.digest.Digest;
import dev.strata.digest.Digester;
import dev.strata.error.BadContentException;
import dev.strata.error.NotFoundException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir
    Path root;

    @Test
    void storesBlobsByDigestOnce() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Digest d = store.write(data);
        assertThat(d).isEqualTo(Digester.of(data));
        assertThat(root.resolve("blobs/sha256/" + d.hex())).hasBinaryContent(data);
        assertThat(store.write(new ByteArrayInputStream(data), Optional.of(d))).isEqualTo(d);
        assertThat(entries(root.resolve("blobs/sha256"))).containsExactly(d.hex());
        assertThat(entries(root.resolve("ingest"))).isEmpty();
        assertThat(store.read(d)).isEqualTo(data);
        assertThat(store.size(d)).isEqualTo(5);
    }

    @Test
    void aMismatchDiscardsTheDataAndNamesBothDigests() throws Exception {
        ContentStore store = new ContentStore(root);
        Digest claimed = Digester.of("something else");
        Digest actual = Digester.of("hello");
        assertThatThrownBy(() -> store.write(new ByteArrayInputStream("hello".getBytes()), Optional.of(claimed)))
                .isInstanceOf(BadContentException.class)
                .hasMessageContaining("expected " + claimed)
                .hasMessageContaining("got " + actual);
        assertThat(entries(root.resolve("blobs/sha256"))).isEmpty();
        assertThat(entries(root.resolve("ingest"))).isEmpty();
        assertThatThrownBy(() -> store.open(actual)).isInstanceOf(NotFoundException.class).hasMessageContaining(actual.toString());
    }

    @Test
    void anAbandonedWriterLeavesNothing() throws Exception {
        ContentStore store = new ContentStore(root);
        try (ContentWriter w = store.writer(Optional.empty())) {
            w.write(new byte[100]);
        }
        assertThat(entries(root.resolve("ingest"))).isEmpty();
        assertThat(entries(root.resolve("blobs/sha256"))).isEmpty();
    }

    @Test
    void aResumableIngestContinuesWhereItStopped() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Digest d = Digester.of(data);
        try (ContentWriter w = store.resumableWriter("layer-" + d.hex(), d)) {
            w.write(data, 0, 120_000); // the connection drops here
        }
        assertThat(root.resolve("ingest/layer-" + d.hex())).hasSize(120_000);
        try (ContentWriter w = store.resumableWriter("layer-" + d.hex(), d)) {
            assertThat(w.offset()).isEqualTo(120_000);
            w.write(data, 120_000, data.length - 120_000);
            assertThat(w.commit()).isEqualTo(d);
        }
        assertThat(store.read(d)).isEqualTo(data);
        assertThat(entries(root.resolve("ingest"))).isEmpty();
    }

    @Test
    void staleIngestsAreSweptButFreshResumableOnesStay() throws Exception {
        ContentStore store = new ContentStore(root);
        Files.writeString(root.resolve("ingest/tmp-dead-writer"), "x");
        Files.writeString(root.resolve("ingest/layer-resumable"), "x");
        assertThat(store.removeStaleIngests(System.currentTimeMillis() - 60_000)).isEqualTo(1);
        assertThat(entries(root.resolve("ingest"))).containsExactly("layer-resumable");
        assertThat(store.removeStaleIngests(System.currentTimeMillis() + 60_000)).isEqualTo(1);
    }
}
