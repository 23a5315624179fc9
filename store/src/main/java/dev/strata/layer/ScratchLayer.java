package dev.strata.layer;

import java.io.IOException;

/**
 * A throw-away writable layer on top of an image's layer stack, with no row: a build step writes files into it and
 * commits what changed, {@code COPY --from} reads an image through it. Closing it removes it; what an interrupted
 * process leaves is a directory no row reaches, which the next sweep removes.
 */
public final class ScratchLayer implements AutoCloseable {
    private final WritableLayer layer;

    ScratchLayer(WritableLayer layer) {
        this.layer = layer;
    }

    public WritableLayer layer() {
        return layer;
    }

    @Override
    public void close() throws IOException {
        layer.remove();
    }
}
