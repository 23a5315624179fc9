package dev.strata.engine.image;

import dev.strata.error.InvalidArgumentException;

/** The archive shapes {@code save} writes. */
public enum SaveFormat {
    /** Docker 25+'s shape: an OCI image layout that is also a docker-archive ({@code manifest.json}). */
    DOCKER("docker"),
    /** Docker ≤ 24's docker-archive: {@code <id>/layer.tar}, {@code <id>.json}, {@code manifest.json}, {@code repositories}. */
    DOCKER_LEGACY("docker-legacy"),
    /** A plain OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/}). */
    OCI("oci-archive");

    private final String cliName;

    SaveFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static SaveFormat parse(String text) throws InvalidArgumentException {
        for (SaveFormat f : values()) {
            if (f.cliName.equals(text)) {
                return f;
            }
        }
        throw new InvalidArgumentException("unknown save format \"" + text + "\": use docker, docker-legacy or oci-archive");
    }
}
