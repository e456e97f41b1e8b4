package dev.tributary.store.internal.replica;

import dev.tributary.store.internal.log.DefaultShardLog;
import java.io.IOException;
import java.nio.file.Path;

/** What a {@link ReplicatedShardLog} asks of the store: its replicas' logs, and to record its state. */
public interface ReplicaLogs {

    /** The directory of the shard's replica on {@code node}; null in memory. */
    Path dir(int node);

    /** A new, empty replica log on {@code node}. */
    DefaultShardLog create(int node) throws IOException;

    /** Opens (recovering) the existing replica log on {@code node}. */
    DefaultShardLog open(int node) throws IOException;

    /** Whether metadata files are fsynced (every fsync policy but NEVER). */
    boolean sync();

    /** Leader, epoch or in-sync set changed: make it durable. */
    void stateChanged(ReplicatedShardLog shard);
}
