package dev.tributary.store.internal.log;

import dev.tributary.store.api.StoreConfig;
import java.time.Clock;

/**
 * The settings a shard log needs, taken from the store's {@link StoreConfig}.
 *
 * @param segmentBytes       roll a segment before it grows past this (capped so positions fit an int)
 * @param segmentMaxAgeMillis roll a segment whose first batch is this old
 * @param indexIntervalBytes bytes of batches between two sparse index entries
 * @param fsyncPolicy        when appends are forced to disk
 * @param clock              time source for retention and rolling
 */
public record LogConfig(long segmentBytes, long segmentMaxAgeMillis, int indexIntervalBytes,
                        StoreConfig.FsyncPolicy fsyncPolicy, Clock clock) {
    public LogConfig {
        segmentBytes = Math.min(segmentBytes, Integer.MAX_VALUE);
    }

    public static LogConfig from(StoreConfig c) {
        return new LogConfig(c.segmentBytes(), saturatedMillis(c.segmentMaxAge()), c.indexIntervalBytes(),
                c.fsyncPolicy(), c.clock());
    }

    /** Milliseconds of a duration, saturating instead of overflowing. */
    public static long saturatedMillis(java.time.Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** a - b without overflow. */
    static long saturatedSubtract(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
