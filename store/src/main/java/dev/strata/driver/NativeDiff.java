package dev.strata.driver;

import dev.strata.archive.Change;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * An ability of drivers that record what a layer changed as they go (overlay2's upper directory), so that a diff reads
 * that record instead of comparing the layer's tree with its parent's.
 */
public interface NativeDiff {
    /** Whether the record can be trusted here (overlay2: only where overlayfs keeps upper directories faithful). */
    boolean nativeDiffWorks();

    /** What layer {@code id} changed relative to the layer under it, sorted by path. */
    List<Change> nativeChanges(String id) throws IOException;

    /** Those changes as a layer tar (deterministic: the same changes give the same bytes). */
    void nativeDiff(String id, OutputStream out) throws IOException;

    /** Bytes of regular-file content those changes add. */
    long nativeDiffSize(String id) throws IOException;
}
