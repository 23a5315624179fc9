package dev.strata.digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** An incremental SHA-256 that yields a {@link Digest}; the JDK's implementation uses the CPU's SHA instructions. */
public final class Digester {
    private final MessageDigest sha256;
    private long bytes;

    public Digester() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    public void update(byte[] b, int off, int len) {
        sha256.update(b, off, len);
        bytes += len;
    }

    public void update(ByteBuffer buffer) {
        bytes += buffer.remaining();
        sha256.update(buffer);
    }

    /** How many bytes went in so far. */
    public long bytes() {
        return bytes;
    }

    public Digest digest() {
        return Digest.of(sha256.digest());
    }

    public static Digest of(byte[] data) {
        Digester d = new Digester();
        d.update(data, 0, data.length);
        return d.digest();
    }

    /**
     * Gets the JIT to compile SHA-256's multi-block loop, which only C2 replaces with the CPU's SHA instructions,
     * before a command streams hundreds of megabytes through it. The JIT compiles a method after some thousands of
     * calls, and a stream of 64 KiB updates makes few calls: a fresh JVM hashed the first gigabytes of a migration
     * at a fraction of the speed. Many one-block updates reach the threshold in milliseconds; run this on a
     * background thread at the start of a command that hashes layers.
     */
    public static void warmUp() {
        Digester d = new Digester();
        byte[] block = new byte[64];
        for (int i = 0; i < 20_000; i++) {
            d.update(block, 0, block.length);
        }
        d.digest();
    }

    public static Digest of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }
}
