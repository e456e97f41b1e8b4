package dev.tributary.store.api;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A store of named streams, each a set of shards, each shard an append-only log.
 *
 * <p>The store knows nothing of the protocol in front of it: a stream is a Kinesis stream or a
 * Kafka topic, a shard is a Kinesis shard or a Kafka partition. Positions are plain offsets
 * (0, 1, 2, ... per shard); front ends derive their own identifiers (sequence numbers) from them.
 *
 * <p>Topology changes (create, split, merge, add shards, delete) are atomic and durable: once a
 * call returns, a crash does not undo it. Attribute maps are opaque to the store and exist so a
 * front end can keep its own per-stream settings (status, tags, encryption) next to the topology,
 * updated atomically with compare-and-set semantics through {@link #updateStream}.
 *
 * <p>Implementations are thread-safe. Obtain one from {@code dev.tributary.store.ShardStores}.
 */
public interface ShardStore extends AutoCloseable {

    /**
     * Creates a stream with {@code shardCount} shards whose key ranges split the 128-bit key space
     * evenly: step = floor(2^128 / n), the last shard ends at 2^128 - 1.
     *
     * @throws StreamExistsException if a stream of that name exists
     */
    StreamInfo createStream(StreamSpec spec);

    /** The stream, or empty when there is none of that name. */
    Optional<StreamInfo> stream(String name);

    /** All streams, ordered by name. */
    List<StreamInfo> streams();

    /**
     * Deletes the stream, its shards and their data. Open cursors and logs of the stream fail
     * with {@link StreamNotFoundException} afterwards.
     *
     * @throws StreamNotFoundException if there is no such stream
     */
    void deleteStream(String name);

    /**
     * Atomically replaces the stream's attributes with {@code update.apply(current)} and its
     * retention with {@code retention} when not null. Durable on return.
     */
    StreamInfo updateStream(String name, UnaryOperator<Map<String, String>> update, Duration retention);

    /**
     * Splits an open shard in two at {@code newStartingKey}: the parent closes (no more appends)
     * and two children open, the lower one covering [parent.start, newStartingKey - 1] and the
     * upper one [newStartingKey, parent.end]. Children take the next shard indexes in order.
     *
     * @throws InvalidTopologyException if the shard is closed or the key is not strictly inside
     *                                  the parent's range (parent.start &lt; key &lt;= parent.end)
     */
    StreamInfo splitShard(String stream, int shardIndex, BigInteger newStartingKey);

    /**
     * Merges two open shards whose key ranges are adjacent into one child covering the union.
     * Both parents close. The child records {@code shardIndex} as its parent and
     * {@code adjacentShardIndex} as its adjacent parent.
     *
     * @throws InvalidTopologyException if either shard is closed or the ranges are not adjacent
     */
    StreamInfo mergeShards(String stream, int shardIndex, int adjacentShardIndex);

    /**
     * Closes every open shard given and opens the given new shards in one atomic step. This is
     * the general resharding primitive (a uniform rescale, Kafka's CreatePartitions with no
     * parents); split and merge are special cases of it.
     */
    StreamInfo reshard(String stream, List<NewShard> newShards, List<Integer> closeShardIndexes);

    /**
     * The log of one shard.
     *
     * @throws StreamNotFoundException if there is no such stream
     * @throws ShardNotFoundException if the stream has no shard of that index
     */
    ShardLog log(String stream, int shardIndex);

    /**
     * Applies retention now: deletes whole segments whose newest record is older than the
     * stream's retention, and advances each log's start offset past expired records. Called
     * periodically by the store itself; tests call it after moving the clock.
     */
    void enforceRetention();

    // ------------------------------------------------------------ nodes and replicas

    /** The store's broker nodes, by id. A store opened without replication has the one node 0. */
    default List<NodeInfo> nodes() {
        return List.of(new NodeInfo(0, true));
    }

    /**
     * Replica placement and progress of one shard. Without replication: leader 0, epoch 0, one
     * replica, the high watermark at the log's end offset.
     */
    default ReplicaState replicaState(String stream, int shardIndex) {
        ShardLog log = log(stream, shardIndex);
        long end = log.endOffset();
        return new ReplicaState(0, 0, List.of(0), List.of(0), end, Map.of(0, end));
    }

    /**
     * Stops a node as if its process died: its replicas stop serving and copying, and every shard it
     * led elects a new leader from the other in-sync replicas (or goes offline). Idempotent.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    default void stopNode(int nodeId) {
        throw new UnsupportedOperationException("this store has a single node");
    }

    /**
     * Starts a stopped node: its replicas recover their logs, truncate where they diverged from the
     * current leader, catch up and rejoin the in-sync sets. Idempotent.
     */
    default void startNode(int nodeId) {
        throw new UnsupportedOperationException("this store has a single node");
    }

    /** The injected faults of a node; {@link NodeFaults#NONE} on a single-node store. */
    default NodeFaults nodeFaults(int nodeId) {
        return NodeFaults.NONE;
    }

    /** Sets (replacing) the injected faults of a node; {@link NodeFaults#NONE} clears them. */
    default void setNodeFaults(int nodeId, NodeFaults faults) {
        throw new UnsupportedOperationException("this store has a single node");
    }

    /** Writes everything buffered to stable storage (fsync). */
    void flush();

    @Override
    void close();
}
