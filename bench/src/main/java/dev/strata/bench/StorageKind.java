package dev.strata.bench;

/** Where the tools keep their data during a run. */
enum StorageKind {
    /** The work directory's own file system (the real, slow disk). */
    DISK("disk"),
    /** A tmpfs mounted for the run and unmounted after it: no device I/O at all. */
    TMPFS("tmpfs");

    private final String label;

    StorageKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static StorageKind parse(String s) throws BenchException {
        for (StorageKind k : values()) {
            if (k.label.equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new BenchException("unknown storage '" + s + "': use disk, tmpfs or both");
    }
}
