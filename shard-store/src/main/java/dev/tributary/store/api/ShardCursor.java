package dev.tributary.store.api;

import java.util.List;

/**
 * A sequential reader of one shard: the only way Firehose and Analytics read streams.
 * Not thread-safe: one cursor per reading thread.
 */
public interface ShardCursor extends AutoCloseable {

    /**
     * Up to {@code maxRecords} records (and about {@code maxBytes}) from the current position,
     * advancing past them. If records before the position expired, reading resumes at the oldest
     * retained record. Empty at the end of the log.
     */
    List<StoredRecord> poll(int maxRecords, long maxBytes);

    /** The offset the next poll starts from. */
    long position();

    /** True when the shard is closed and the cursor has read its last record. */
    boolean isAtClosedEnd();

    @Override
    void close();
}
