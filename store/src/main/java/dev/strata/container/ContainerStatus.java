package dev.strata.container;

import java.util.Locale;

/** Where a container is in its life, with Docker's names ({@code State.Status}). */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, EXITED;

    /** {@code created}, {@code running}, ... as Docker's API and the database spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ContainerStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
