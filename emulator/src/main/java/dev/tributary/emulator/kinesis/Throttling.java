package dev.tributary.emulator.kinesis;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kinesis's per-shard throughput limits as token buckets on the injected clock, so a test can
 * reproduce a throttle exactly, plus throttles forced from the test-control API.
 *
 * <p>Limits per shard (AWS's provisioned-mode quotas): writes 1,000 records/s and 1 MiB/s; reads
 * 5 GetRecords calls/s and 2 MiB/s, where a call that returns more than the bucket holds leaves it
 * in debt, so after a 10 MiB GetRecords the next calls are refused for about 5 s as on AWS;
 * GetShardIterator 5 calls/s. Each bucket holds one second's worth. Off by default (a documented
 * difference from AWS); on with {@code --throughput-limits}. Forced throttles apply either way.
 *
 * <p>Thread-safe: each bucket is guarded by its own lock.
 */
public final class Throttling {
    static final double WRITE_RECORDS_PER_SECOND = 1000;
    static final double WRITE_BYTES_PER_SECOND = 1024 * 1024;
    static final double READ_CALLS_PER_SECOND = 5;
    static final double READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
    static final double ITERATOR_CALLS_PER_SECOND = 5;

    /** What a throttle can apply to. */
    public enum Kind { WRITE, READ, ITERATOR }

    private final boolean enabled;
    private final Clock clock;
    private final Map<String, ShardBuckets> shards = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> forced = new ConcurrentHashMap<>();

    public Throttling(boolean enabled, Clock clock) {
        this.enabled = enabled;
        this.clock = clock;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Forces the next {@code calls} calls on a shard (or on every shard of the stream when
     * {@code shardIndex} is -1) to be throttled, whatever the buckets say.
     */
    public void force(String storeKey, int shardIndex, int calls) {
        forced.put(storeKey + "#" + shardIndex, new AtomicInteger(calls));
    }

    /** Removes every forced throttle. */
    public void clearForced() {
        forced.clear();
    }

    /** Consumes one forced throttle of the shard if there is one left. */
    private boolean forcedNow(String storeKey, int shardIndex) {
        if (forced.isEmpty()) {
            return false;
        }
        for (String key : new String[] {storeKey + "#" + shardIndex, storeKey + "#-1"}) {
            AtomicInteger left = forced.get(key);
            if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return true;
            }
        }
        return false;
    }

    /** May one record of {@code bytes} be written to the shard now? Consumes capacity when yes. */
    public boolean tryWrite(String storeKey, int shardIndex, long bytes) {
        return admit(storeKey, shardIndex, (b, now) -> {
            b.writeRecords.refill(now);
            b.writeBytes.refill(now);
            if (b.writeRecords.tokens < 1 || b.writeBytes.tokens < bytes) {
                return false;
            }
            b.writeRecords.tokens -= 1;
            b.writeBytes.tokens -= bytes;
            return true;
        });
    }

    /** May a GetRecords call on the shard proceed now? Consumes one call when yes. */
    public boolean tryRead(String storeKey, int shardIndex) {
        return admit(storeKey, shardIndex, (b, now) -> {
            b.readCalls.refill(now);
            b.readBytes.refill(now);
            if (b.readCalls.tokens < 1 || b.readBytes.tokens <= 0) {
                return false;
            }
            b.readCalls.tokens -= 1;
            return true;
        });
    }

    /** Charges the bytes a GetRecords call returned; the bucket may go into debt. */
    public void chargeRead(String storeKey, int shardIndex, long bytes) {
        if (!enabled) {
            return;
        }
        ShardBuckets b = buckets(storeKey, shardIndex);
        synchronized (b) {
            b.readBytes.tokens -= bytes;
        }
    }

    /** May a GetShardIterator call on the shard proceed now? */
    public boolean tryIterator(String storeKey, int shardIndex) {
        return admit(storeKey, shardIndex, (b, now) -> {
            b.iteratorCalls.refill(now);
            if (b.iteratorCalls.tokens < 1) {
                return false;
            }
            b.iteratorCalls.tokens -= 1;
            return true;
        });
    }

    /** A bucket check under the shard's lock: what every call kind shares. */
    private interface Check {
        boolean admit(ShardBuckets buckets, long nowMillis);
    }

    /** Forced throttles first, then (when limits are on) {@code check} on the shard's buckets. */
    private boolean admit(String storeKey, int shardIndex, Check check) {
        if (forcedNow(storeKey, shardIndex)) {
            return false;
        }
        if (!enabled) {
            return true;
        }
        ShardBuckets b = buckets(storeKey, shardIndex);
        synchronized (b) {
            return check.admit(b, clock.millis());
        }
    }

    /** Forgets a deleted stream's buckets. */
    public void forget(String storeKey) {
        shards.keySet().removeIf(k -> k.startsWith(storeKey + "#"));
        forced.keySet().removeIf(k -> k.startsWith(storeKey + "#"));
    }

    private ShardBuckets buckets(String storeKey, int shardIndex) {
        return shards.computeIfAbsent(storeKey + "#" + shardIndex, k -> new ShardBuckets(clock.millis()));
    }

    /** The buckets of one shard. Guarded by its own monitor. */
    private static final class ShardBuckets {
        final Bucket writeRecords;
        final Bucket writeBytes;
        final Bucket readCalls;
        final Bucket readBytes;
        final Bucket iteratorCalls;

        ShardBuckets(long now) {
            writeRecords = new Bucket(WRITE_RECORDS_PER_SECOND, now);
            writeBytes = new Bucket(WRITE_BYTES_PER_SECOND, now);
            readCalls = new Bucket(READ_CALLS_PER_SECOND, now);
            readBytes = new Bucket(READ_BYTES_PER_SECOND, now);
            iteratorCalls = new Bucket(ITERATOR_CALLS_PER_SECOND, now);
        }
    }

    /** A token bucket holding one second's worth, refilled continuously. */
    private static final class Bucket {
        final double perSecond;
        double tokens;
        long last;

        Bucket(double perSecond, long now) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
            this.last = now;
        }

        void refill(long now) {
            if (now > last) {
                tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1000.0);
                last = now;
            }
        }
    }
}
