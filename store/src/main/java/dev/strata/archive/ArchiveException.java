package dev.strata.archive;

import java.io.IOException;
import java.util.Optional;

/**
 * A layer archive that Strata will not (or cannot) read or apply: a corrupt or hostile tar, an unsupported
 * compression, an entry that would escape the target. The message names the entry (or the byte offset when
 * there is no entry yet) and what is wrong with it.
 */
public final class ArchiveException extends IOException {
    private final String entry;
    private final boolean clash;

    private ArchiveException(String entry, String message, Throwable cause) {
        this(entry, message, cause, false);
    }

    private ArchiveException(String entry, String message, Throwable cause, boolean clash) {
        super(message, cause);
        this.entry = entry;
        this.clash = clash;
    }

    /** A problem with one entry: {@code layer tar entry "<name>": <problem>}. */
    public static ArchiveException entry(String entry, String problem) {
        return new ArchiveException(entry, "layer tar entry \"" + printable(entry) + "\": " + problem, null);
    }

    /** A problem with one entry, caused by a lower-level failure (a system call, a read). */
    public static ArchiveException entry(String entry, String problem, Throwable cause) {
        return new ArchiveException(entry, "layer tar entry \"" + printable(entry) + "\": " + problem
                + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    /**
     * An entry that is fine in itself but clashes with what the target already has (a copy's archive that would
     * put a file where a directory is): see {@link #isClash()}.
     */
    public static ArchiveException clash(String entry, String problem) {
        return new ArchiveException(entry, "tar entry \"" + printable(entry) + "\": " + problem, null, true);
    }

    /** A problem before any entry could be read, located by its byte offset in the uncompressed tar. */
    public static ArchiveException atOffset(long offset, String problem) {
        return new ArchiveException(null, "layer tar at byte " + offset + ": " + problem, null);
    }

    /** A problem with the archive as a whole (compression, tar-split data). */
    public static ArchiveException of(String message) {
        return new ArchiveException(null, message, null);
    }

    /** True when the archive is well formed and safe but the target has something in the way of one entry. */
    public boolean isClash() {
        return clash;
    }

    /** The name of the offending entry, as it appears in the tar, when there is one. */
    public Optional<String> entryName() {
        return Optional.ofNullable(entry);
    }

    // Entry names come from untrusted archives: show control characters (NUL included) escaped.
    static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
