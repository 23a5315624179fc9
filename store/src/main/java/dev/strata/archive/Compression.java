package dev.strata.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** The compressions a layer blob may use, recognised by their magic bytes (media types are often wrong). */
public enum Compression {
    NONE, GZIP, ZSTD, BZIP2, XZ;

    private static final int GZIP_BUFFER = 1 << 16;

    /** The compression whose magic number starts {@code head} (NONE when none matches). */
    public static Compression detect(byte[] head, int length) {
        if (startsWith(head, length, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
            return ZSTD;
        }
        if (startsWith(head, length, 'B', 'Z', 'h')) {
            return BZIP2;
        }
        if (startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return XZ;
        }
        return NONE;
    }

    /** Detects the compression of {@code in} and returns a stream of its uncompressed bytes. */
    public static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 1 << 16);
        buffered.mark(8);
        byte[] head = buffered.readNBytes(6);
        buffered.reset();
        return detect(head, head.length).decompress(buffered);
    }

    /** Wraps {@code in} (which must be in this compression) in a decompressing stream. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            // JDK 23+ GZIPInputStream reads concatenated members (as pigz and some registries produce) to the end.
            case GZIP -> new GZIPInputStream(in, GZIP_BUFFER);
            // Reads every frame of a multi-frame stream; the NoFinalizer variant is closed by its owner, not the GC.
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
            case BZIP2, XZ -> throw ArchiveException.of(name().toLowerCase() + "-compressed layer data is not supported; "
                    + "use gzip or zstd (or an uncompressed tar)");
        };
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
