package dev.strata.engine.registry;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One progress message of a pull or push, shaped like the Docker daemon's: a line without an id
 * ({@code Digest: sha256:…}), or a layer's status ({@code 3f4ca61aafcd: Downloading}) with byte counts while it moves.
 */
public record Progress(Optional<String> id, String status, OptionalLong current, OptionalLong total) {
    /** Layer statuses, worded as Docker words them. */
    public static final String PULLING_FS_LAYER = "Pulling fs layer";
    public static final String WAITING = "Waiting";
    public static final String DOWNLOADING = "Downloading";
    public static final String VERIFYING = "Verifying Checksum";
    public static final String DOWNLOAD_COMPLETE = "Download complete";
    public static final String EXTRACTING = "Extracting";
    public static final String PULL_COMPLETE = "Pull complete";
    public static final String ALREADY_EXISTS = "Already exists";
    public static final String PREPARING = "Preparing";
    public static final String PUSHING = "Pushing";
    public static final String PUSHED = "Pushed";
    public static final String LAYER_EXISTS = "Layer already exists";
    public static final String MOUNTED_FROM = "Mounted from ";

    public static Progress line(String text) {
        return new Progress(Optional.empty(), text, OptionalLong.empty(), OptionalLong.empty());
    }

    public static Progress layer(String id, String status) {
        return new Progress(Optional.of(id), status, OptionalLong.empty(), OptionalLong.empty());
    }

    public static Progress bytes(String id, String status, long current, long total) {
        return new Progress(Optional.of(id), status, OptionalLong.of(current), total < 0 ? OptionalLong.empty() : OptionalLong.of(total));
    }

    /** Whether this is a byte-count update (which a plain, non-terminal listing leaves out). */
    public boolean isUpdate() {
        return current.isPresent();
    }

    /** Hears progress; called from several threads. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> { };

        void on(Progress progress);
    }
}
