package dev.tributary.store.internal;

import dev.tributary.store.api.StreamInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A live stream: its current {@link StreamInfo} snapshot and one log per shard, by index.
 *
 * <p>Thread-safety: changes (topology, attributes, deletion) are made while holding this object's
 * monitor and published through the volatile {@link #info} and the copy-on-write log list; reads
 * take no lock.
 */
final class StreamState {
    final long id;
    /** The stream directory; null in memory. */
    final Path dir;
    final List<ShardLogHandle> logs = new CopyOnWriteArrayList<>();
    /** Serializes writes of the stream's replicas.meta. */
    final Object replicasLock = new Object();
    volatile StreamInfo info;
    volatile boolean deleted;

    StreamState(long id, Path dir, StreamInfo info) {
        this.id = id;
        this.dir = dir;
        this.info = info;
    }
}
