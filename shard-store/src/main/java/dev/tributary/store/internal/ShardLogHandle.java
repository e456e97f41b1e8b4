package dev.tributary.store.internal;

import dev.tributary.store.api.ShardLog;
import java.io.IOException;
import java.time.Duration;

/**
 * What the store needs of a shard's log beyond the public {@link ShardLog}: the lifecycle and
 * topology hooks. Implemented by a single log ({@code DefaultShardLog}) and by a replicated shard
 * ({@code ReplicatedShardLog}) alike, so the store treats both the same.
 */
public interface ShardLogHandle extends ShardLog {

    String stream();

    void setRetention(Duration retention);

    /**
     * Starts closing the shard for a topology change: blocks appends until {@link #endClose} and
     * returns the end offset to record. No append can land in between.
     */
    long beginClose();

    /** Ends what {@link #beginClose} started: closes the shard if {@code commit}, then lets appends go. */
    void endClose(boolean commit);

    void enforceRetention();

    void flush();

    /** Closes the log for a store shutdown. */
    void shutdown() throws IOException;

    /** Marks the log deleted with its stream; files are removed by the caller. */
    void markDeleted();
}
