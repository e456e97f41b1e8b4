package dev.tributary.store.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only log of one shard.
 *
 * <p>Offsets start at 0 and increase by one per record. {@link #startOffset()} is the first
 * offset still retained, {@link #endOffset()} the offset the next record will get; readers see
 * exactly the records in [startOffset, endOffset). An append is in the log (it survives a crash of
 * the process) before {@link #append} returns; whether it is also fsynced depends on the store's
 * fsync policy.
 *
 * <p>Thread-safe. Appends to one shard are serialized; reads never block appends.
 */
public interface ShardLog {

    int shardIndex();

    /**
     * Appends records as one batch, all or nothing, and returns the offset given to the first.
     * Record timestamps are kept as given, but the time index only ever grows: a timestamp
     * smaller than the shard's largest so far is indexed as that largest.
     *
     * @throws ShardClosedException if the shard is closed
     * @throws StreamNotFoundException if the stream was deleted
     * @throws StorageException if the write failed; nothing of the batch is visible then
     */
    AppendResult append(List<AppendRecord> records);

    /**
     * Appends as {@link #append(List)} does, acknowledged according to {@code acks}. A log that
     * is not replicated treats every policy as {@link Acks#LEADER}.
     *
     * @throws NotEnoughReplicasException   with {@link Acks#ALL} when the in-sync set is below the
     *                                      minimum; nothing was written
     * @throws LeaderNotAvailableException  when the shard has no live leader
     * @throws ReplicationTimeoutException  when the in-sync replicas did not copy it in time
     */
    default AppendResult append(List<AppendRecord> records, Acks acks) {
        return append(records);
    }

    /** The first offset still retained. */
    long startOffset();

    /** One past the last record's offset. Grows as records are appended. */
    long endOffset();

    /** True once the shard is closed by a split, merge or reshard: no appends will follow. */
    boolean isClosed();

    /**
     * Reads records from {@code offset} on: at most {@code maxRecords} records and, past the first
     * record, at most {@code maxBytes} of key and value bytes. Returns an empty result at the end
     * of the log. Never blocks.
     *
     * @throws OffsetOutOfRangeException if offset &lt; startOffset or offset &gt; endOffset
     */
    List<StoredRecord> read(long offset, int maxRecords, long maxBytes);

    /**
     * The offset of the first retained record whose timestamp is at or after
     * {@code timestampMillis}, or {@link #endOffset()} when there is none.
     */
    long offsetForTimestamp(long timestampMillis);

    /**
     * The timestamp of the newest record, or -1 if the log is empty (or fully expired).
     */
    long lastTimestamp();

    /**
     * Completes (with the new end offset) as soon as {@link #endOffset()} is greater than
     * {@code offset} or the shard closes; completes at once if that is already so. Lets long-poll
     * readers (fan-out, Kafka fetch) wait without polling.
     */
    CompletableFuture<Long> awaitAppend(long offset);

    /** A cursor positioned at {@code offset}, for sequential readers. */
    ShardCursor cursor(long offset);
}
