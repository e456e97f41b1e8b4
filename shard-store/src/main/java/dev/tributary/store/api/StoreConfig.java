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
 * @param replication         how many nodes the store runs and how shards are replicated on them
 */
public record StoreConfig(Path dataDir, FsyncPolicy fsyncPolicy, Duration fsyncInterval,
                          long segmentBytes, Duration segmentMaxAge, int indexIntervalBytes,
                          Duration retentionCheckInterval, Clock clock, Replication replication) {

    /**
     * Replication settings.
     *
     * @param nodes                   broker nodes in the store, each with its own directory
     * @param defaultReplicationFactor copies of each shard when a stream does not say; at most
     *                                {@code nodes}
     * @param minInsyncReplicas       an {@link Acks#ALL} append needs at least this many in-sync
     *                                replicas (Kafka's {@code min.insync.replicas})
     * @param replicaLagTime          a follower that has not caught up with the leader's end for
     *                                this long leaves the in-sync set (Kafka's
     *                                {@code replica.lag.time.max.ms}), on the store's clock
     * @param replicaLagMaxRecords    a follower more than this many records behind leaves the
     *                                in-sync set at once; 0 disables the bound
     * @param ackTimeout              how long (real time) an {@link Acks#ALL} append waits for the
     *                                in-sync replicas before failing with
     *                                {@link ReplicationTimeoutException}
     * @param uncleanLeaderElection   whether a replica outside the in-sync set may become leader
     *                                when no in-sync one is left (losing records)
     */
    public record Replication(int nodes, int defaultReplicationFactor, int minInsyncReplicas,
                              Duration replicaLagTime, long replicaLagMaxRecords, Duration ackTimeout,
                              boolean uncleanLeaderElection) {
        /** One node, one copy: the fast default for a laptop. */
        public static final Replication NONE = new Replication(1, 1, 1, Duration.ofSeconds(10), 0,
                Duration.ofSeconds(30), false);

        public Replication {
            Objects.requireNonNull(replicaLagTime, "replicaLagTime");
            Objects.requireNonNull(ackTimeout, "ackTimeout");
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes must be >= 1: " + nodes);
            }
            if (defaultReplicationFactor < 1 || defaultReplicationFactor > nodes) {
                throw new IllegalArgumentException("defaultReplicationFactor must be in 1.." + nodes + ": "
                        + defaultReplicationFactor);
            }
            if (minInsyncReplicas < 1) {
                throw new IllegalArgumentException("minInsyncReplicas must be >= 1: " + minInsyncReplicas);
            }
            if (replicaLagMaxRecords < 0) {
                throw new IllegalArgumentException("replicaLagMaxRecords must be >= 0: " + replicaLagMaxRecords);
            }
        }

        /** {@code nodes} nodes with replication factor {@code factor} and the other settings kept. */
        public static Replication of(int nodes, int factor, int minInsync) {
            return new Replication(nodes, factor, minInsync, NONE.replicaLagTime, 0, NONE.ackTimeout, false);
        }

        public Replication withLag(Duration lagTime, long lagMaxRecords) {
            return new Replication(nodes, defaultReplicationFactor, minInsyncReplicas, lagTime, lagMaxRecords,
                    ackTimeout, uncleanLeaderElection);
        }

        public Replication withAckTimeout(Duration timeout) {
            return new Replication(nodes, defaultReplicationFactor, minInsyncReplicas, replicaLagTime,
                    replicaLagMaxRecords, timeout, uncleanLeaderElection);
        }

        public Replication withUncleanLeaderElection(boolean unclean) {
            return new Replication(nodes, defaultReplicationFactor, minInsyncReplicas, replicaLagTime,
                    replicaLagMaxRecords, ackTimeout, unclean);
        }
    }

    /** The configuration as before replication existed: one node. */
    public StoreConfig(Path dataDir, FsyncPolicy fsyncPolicy, Duration fsyncInterval, long segmentBytes,
                       Duration segmentMaxAge, int indexIntervalBytes, Duration retentionCheckInterval, Clock clock) {
        this(dataDir, fsyncPolicy, fsyncInterval, segmentBytes, segmentMaxAge, indexIntervalBytes,
                retentionCheckInterval, clock, Replication.NONE);
    }

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
        Objects.requireNonNull(replication, "replication");
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
                indexIntervalBytes, retentionCheckInterval, newClock, replication);
    }

    public StoreConfig withSegmentBytes(long bytes) {
        return new StoreConfig(dataDir, fsyncPolicy, fsyncInterval, bytes, segmentMaxAge,
                indexIntervalBytes, retentionCheckInterval, clock, replication);
    }

    public StoreConfig withFsync(FsyncPolicy policy, Duration interval) {
        return new StoreConfig(dataDir, policy, interval, segmentBytes, segmentMaxAge,
                indexIntervalBytes, retentionCheckInterval, clock, replication);
    }

    public StoreConfig withRetentionCheckInterval(Duration interval) {
        return new StoreConfig(dataDir, fsyncPolicy, fsyncInterval, segmentBytes, segmentMaxAge,
                indexIntervalBytes, interval, clock, replication);
    }

    public StoreConfig withReplication(Replication newReplication) {
        return new StoreConfig(dataDir, fsyncPolicy, fsyncInterval, segmentBytes, segmentMaxAge,
                indexIntervalBytes, retentionCheckInterval, clock, newReplication);
    }

    public boolean inMemory() {
        return dataDir == null;
    }
}
