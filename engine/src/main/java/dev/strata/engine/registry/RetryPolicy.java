package dev.strata.engine.registry;

import java.time.Duration;

/**
 * How often and how patiently to retry the failures worth retrying: a connection that failed or broke, 429 Too Many
 * Requests (waiting as long as Retry-After says, up to {@code maxDelay}) and 5xx answers. 4xx answers other than
 * 429 are final. The delay doubles from {@code initialDelay} up to {@code maxDelay}.
 */
public record RetryPolicy(int attempts, Duration initialDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10));

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt + 1} (attempts count from 1). */
    Duration delay(int attempt) {
        long ms = initialDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }
}
