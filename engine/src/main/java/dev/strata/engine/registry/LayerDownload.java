package dev.strata.engine.registry;

import dev.strata.content.ContentWriter;
import dev.strata.digest.Digest;
import dev.strata.error.BadContentException;
import dev.strata.store.Store;
import dev.strata.sys.Flock;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One blob downloading into its resumable ingest file ({@code ingest/pull-<hex>}) under that file's lock: it resumes
 * what an earlier attempt left (re-hashing it, then asking for the rest with {@code Range}), retries a broken
 * connection from where it broke, and verifies the digest at the end. Meanwhile the unpacking thread
 * {@linkplain #follow() follows} the file. The blob is moved into the content store only by {@link #commit()}, when
 * the pull is about to make its rows; until then a failed pull leaves it in {@code ingest/} for the next attempt.
 */
final class LayerDownload {
    private final Store store;
    private final RegistryClient client;
    private final Digest digest;
    private final long size;
    private final String id;
    private final Progress.Listener listener;
    private final AtomicLong received;
    private final CompletableFuture<ContentWriter> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean complete;
    /** Another process stored the blob while this one waited for the ingest lock: nothing to download. */
    private volatile boolean inStore;

    LayerDownload(Store store, RegistryClient client, Digest digest, long size, Progress.Listener listener, AtomicLong received) {
        this.store = store;
        this.client = client;
        this.digest = digest;
        this.size = size;
        this.id = digest.shortHex();
        this.listener = listener;
        this.received = received;
    }

    static String ingestRef(Digest digest) {
        return "pull-" + digest.hex();
    }

    Digest digest() {
        return digest;
    }

    long size() {
        return size;
    }

    boolean isComplete() {
        return complete;
    }

    /** Downloads; never throws (failures go to {@link #await()} and to followers). */
    void run(Semaphore slots) {
        ContentWriter writer = null;
        try {
            slots.acquire();
            try (Flock lock = store.lockIngest(ingestRef(digest))) {
                if (store.content().exists(digest)) {
                    inStore = true;
                    complete = true;
                    ready.complete(null);
                    listener.on(Progress.layer(id, Progress.DOWNLOAD_COMPLETE));
                    done.complete(null);
                    return;
                }
                writer = store.content().resumableWriter(ingestRef(digest), digest);
                if (writer.offset() > size) {
                    writer.restart();
                }
                ready.complete(writer);
                transfer(writer);
                if (writer.offset() != size) {
                    throw new BadContentException("layer " + id + ": the registry sent " + writer.offset() + " bytes, its manifest says "
                            + size + "; the data was discarded");
                }
                listener.on(Progress.layer(id, Progress.VERIFYING));
                try {
                    writer.verify();
                } catch (BadContentException e) {
                    throw new BadContentException("layer " + id + ": blob " + digest + ": " + e.getMessage());
                }
                complete = true;
                listener.on(Progress.layer(id, Progress.DOWNLOAD_COMPLETE));
            } finally {
                slots.release();
            }
            done.complete(null);
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (writer != null) {
                try {
                    writer.abort("layer " + id + ": download failed: " + t.getMessage());
                } catch (IOException ignored) {
                    // the failure below says what matters
                }
            }
            ready.completeExceptionally(t);
            done.completeExceptionally(t);
        }
    }

    private void transfer(ContentWriter writer) throws IOException, RegistryException {
        RetryPolicy policy = client.transport().options().retry();
        byte[] buf = new byte[1 << 17];
        long lastReport = 0;
        for (int attempt = 1; writer.offset() < size; attempt++) {
            long before = writer.offset();
            try (InputStream in = client.pullBlob(digest, writer.offset())) {
                Watchdog watchdog = new Watchdog(in, client.transport().options().stallTimeout());
                try {
                    while (writer.offset() <= size) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, size + 1 - writer.offset()));
                        if (n < 0) {
                            break;
                        }
                        watchdog.progress();
                        writer.write(buf, 0, n);
                        received.addAndGet(n);
                        long now = System.nanoTime();
                        if (now - lastReport > 100_000_000L) {
                            lastReport = now;
                            listener.on(Progress.bytes(id, Progress.DOWNLOADING, writer.offset(), size));
                        }
                    }
                } catch (IOException e) {
                    if (watchdog.fired()) {
                        throw new IOException("no data arrived for " + watchdog.timeout.toSeconds() + " s", e);
                    }
                    throw e;
                } finally {
                    watchdog.stop();
                }
                if (writer.offset() < size) {
                    throw new IOException("the body ended after " + writer.offset() + " of " + size + " bytes");
                }
            } catch (IOException | RegistryException e) {
                boolean retryable = e instanceof IOException || e.getCause() instanceof IOException
                        || (e instanceof RegistryException r && r.status().isPresent() && Transport.isRetryable(r.status().getAsInt()));
                if (!retryable) {
                    throw e;
                }
                // progress since the last failure earns the download a fresh set of attempts
                if (writer.offset() > before) {
                    attempt = 1;
                }
                if (attempt >= policy.attempts()) {
                    throw new RegistryException("download blob " + digest.shortHex() + " from " + client.repository().familiarName()
                            + ": " + (e instanceof IOException io ? Transport.describe(io) : e.getMessage()) + " (gave up after " + attempt
                            + " attempts at " + writer.offset() + " of " + size + " bytes; the next pull resumes from there)", e);
                }
                Transport.sleep(policy.delay(attempt));
            }
        }
        listener.on(Progress.bytes(id, Progress.DOWNLOADING, writer.offset(), size));
    }

    /** Closes a body that delivers nothing for {@code timeout}, which ends a read blocked on it with an IOException. */
    private static final class Watchdog {
        final java.time.Duration timeout;
        private final Thread thread;
        private volatile long last = System.nanoTime();
        private volatile boolean fired;

        Watchdog(InputStream in, java.time.Duration timeout) {
            this.timeout = timeout;
            long tick = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
            this.thread = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Thread.sleep(tick);
                        if (System.nanoTime() - last > timeout.toNanos()) {
                            fired = true;
                            in.close();
                            return;
                        }
                    }
                } catch (InterruptedException | IOException e) {
                    // stopped, or the stream is gone anyway
                }
            });
        }

        void progress() {
            last = System.nanoTime();
        }

        boolean fired() {
            return fired;
        }

        void stop() {
            thread.interrupt();
        }
    }

    /** The blob's bytes from its start, as they arrive. */
    InputStream follow() throws IOException, dev.strata.error.StrataException {
        ContentWriter writer = awaitWriter();
        return writer == null ? store.content().open(digest) : writer.follow();
    }

    private ContentWriter awaitWriter() throws IOException, dev.strata.error.StrataException {
        try {
            return ready.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for layer " + id);
        }
    }

    /** Waits for the download to end; throws why it failed. */
    void await() throws IOException, dev.strata.error.StrataException {
        try {
            done.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for layer " + id);
        }
    }

    /**
     * The failure, if the download has failed or fails within {@code wait}: a reader of the ingest file learns
     * of an abort a moment before the download has recorded why.
     */
    java.util.Optional<Throwable> failed(java.time.Duration wait) {
        try {
            done.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // fall through: completed exceptionally, or still running
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failed();
    }

    /** The failure, if the download has failed already. */
    java.util.Optional<Throwable> failed() {
        if (done.isCompletedExceptionally()) {
            try {
                done.join();
            } catch (java.util.concurrent.CompletionException e) {
                return java.util.Optional.of(e.getCause());
            }
        }
        return java.util.Optional.empty();
    }

    /** Throws {@code t} as what it is (declared types as they are, anything else wrapped); never returns. */
    static RuntimeException rethrow(Throwable t) throws IOException, dev.strata.error.StrataException {
        if (t instanceof dev.strata.error.StrataException s) {
            throw s;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IOException(t);
    }

    /**
     * Moves the verified blob into the content store (under the ingest lock, so no other process is resuming it);
     * false when another process had stored it already.
     */
    boolean commit() throws IOException, dev.strata.error.StrataException {
        await();
        ContentWriter writer = awaitWriter();
        if (writer == null) {
            return false;
        }
        try (Flock lock = store.lockIngest(ingestRef(digest))) {
            writer.commit();
        }
        return true;
    }

    /** Ends an uncommitted download: a partial or complete ingest stays for the next attempt. */
    void close() {
        if (ready.isDone() && !ready.isCompletedExceptionally() && ready.join() != null) {
            try {
                ready.join().close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
