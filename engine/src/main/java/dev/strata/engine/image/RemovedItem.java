package dev.strata.engine.image;

/** One line of what {@code rmi} and {@code image prune} did: {@code Untagged: x} or {@code Deleted: sha256:…}. */
public record RemovedItem(Kind kind, String name) {
    public enum Kind {
        UNTAGGED, DELETED
    }

    public static RemovedItem untagged(String name) {
        return new RemovedItem(Kind.UNTAGGED, name);
    }

    public static RemovedItem deleted(String name) {
        return new RemovedItem(Kind.DELETED, name);
    }
}
