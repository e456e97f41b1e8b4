package dev.tributary.store.api;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a store is opened.
 *
 * @param dataDir             root directory of the store; null for an in-memory store with the
 *                            same semantics and no files
 * @param fsyncPolicy         when appended data is forced to stable storage
 * @param fsyncInterval       with {@link FsyncPolicy#INTERVAL}, how often; ignored otherwise
 * @param segmentBytes        a segment rolls once it holds this many bytes
 * @param segmentMaxAge       a segment rolls once its first record is this old, so retention can
 *                            delete whole segments of a slow stream
 * @param indexIntervalBytes  a sparse index entry is written every this many bytes of log
 * @param retentionCheckInterval how often the store enforces retention on its own; zero disables
 *                            the background check (tests call {@link ShardStore#enforceRetention})
 * @param clock               the time source for retention, shard creation and closing times
 */
public record StoreConfig(Path dataDir, FsyncPolicy fsyncPolicy, Duration fsyncInterval,
                          long segmentBytes, Duration segmentMaxAge, int indexIntervalBytes,
                          Duration retentionCheckInterval, Clock clock) {

    /** When appended data is forced to disk. */
    public enum FsyncPolicy {
        /** fsync before every append is acknowledged: survives power loss, slowest. */
        ALWAYS,
        /** fsync in the background every {@code fsyncInterval}: survives a process crash at once
         *  (the write is in the OS page cache before the ack), power loss after the interval. */
        INTERVAL,
        /** never fsync explicitly; the OS writes back in its own time. Survives a process crash. */
        NEVER
    }

    public StoreConfig {
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        Objects.requireNonNull(segmentMaxAge, "segmentMaxAge");
        Objects.requireNonNull(retentionCheckInterval, "retentionCheckInterval");
        Objects.requireNonNull(clock, "clock");
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be >= 1024: " + segmentBytes);
        }
        if (indexIntervalBytes < 1) {
            throw new IllegalArgumentException("indexIntervalBytes must be >= 1: " + indexIntervalBytes);
        }
    }

    /** Defaults for a store under {@code dataDir} (null: in memory). */
    public static StoreConfig defaults(Path dataDir) {
        return new StoreConfig(dataDir, FsyncPolicy.INTERVAL, Duration.ofSeconds(1), 64L * 1024 * 1024,
                Duration.ofHours(1), 4096, Duration.ofSeconds(30), Clock.systemUTC());
    }

    public StoreConfig withClock(Clock newClock) {
        return new StoreConfig(dataDir, fsyncPolicy, fsyncInterval, segmentBytes, segmentMaxAge,
                indexIntervalBytes, retentionCheckInterval, newClock);
    }

    public StoreConfig withSegmentBytes(long bytes) {
        return new StoreConfig(dataDir, fsyncPolicy, fsyncInterval, bytes, segmentMaxAge,
                indexIntervalBytes, retentionCheckInterval, clock);
    }

    public StoreConfig withFsync(FsyncPolicy policy, Duration interval) {
        return new StoreConfig(dataDir, policy, interval, segmentBytes, segmentMaxAge,
                indexIntervalBytes, retentionCheckInterval, clock);
    }

    public StoreConfig withRetentionCheckInterval(Duration interval) {
        return new StoreConfig(dataDir, fsyncPolicy, fsyncInterval, segmentBytes, segmentMaxAge,
                indexIntervalBytes, interval, clock);
    }

    public boolean inMemory() {
        return dataDir == null;
    }
}
