package dev.tributary.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Record payloads and partition keys. Timestamped payloads start with a magic long and the
 * {@link System#nanoTime()} of the send, so the tail-latency reader (in the same JVM, so the
 * clocks agree) can compute put-to-get latency and ignore records it did not write.
 */
final class Payloads {
    static final long MAGIC = 0x5452494255544152L; // "TRIBUTAR"

    private Payloads() {
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static String randomPartitionKey() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    static byte[] timestamped(int size, long nanoTime) {
        byte[] b = random(size);
        ByteBuffer.wrap(b).putLong(0, MAGIC).putLong(8, nanoTime);
        return b;
    }

    /** The send time of a timestamped payload, or -1 when it is not one of ours. */
    static long sentNanos(ByteBuffer payload) {
        if (payload.remaining() < 16 || payload.getLong(payload.position()) != MAGIC) {
            return -1;
        }
        return payload.getLong(payload.position() + 8);
    }
}
