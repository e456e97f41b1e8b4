package dev.tributary.store.internal.log;

import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.StoredRecord;
import java.util.List;

/**
 * A sequential reader over a {@link DefaultShardLog}. Holds only a position; every poll reads
 * through the log, so expired records are skipped (the position moves forward to the start
 * offset) and a deleted stream fails with {@code StreamNotFoundException}.
 *
 * <p>Thread-safety: not thread-safe, one cursor per reading thread (as {@link ShardCursor} says).
 */
final class DefaultShardCursor implements ShardCursor {
    private final DefaultShardLog log;
    private long position;
    private boolean closed;

    DefaultShardCursor(DefaultShardLog log, long position) {
        this.log = log;
        this.position = position;
    }

    @Override
    public List<StoredRecord> poll(int maxRecords, long maxBytes) {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        long start = log.startOffset();
        if (position < start) {
            position = start;
        }
        List<StoredRecord> records = log.readFrom(position, maxRecords, maxBytes);
        if (!records.isEmpty()) {
            position = records.get(records.size() - 1).offset() + 1;
        }
        return records;
    }

    /** The position, moved forward to the start offset if the records before it expired. */
    @Override
    public long position() {
        try {
            position = Math.max(position, log.startOffset());
        } catch (dev.tributary.store.api.StoreException e) {
            // deleted stream or closed store: the position is still what it was
        }
        return position;
    }

    @Override
    public boolean isAtClosedEnd() {
        return log.isClosed() && position >= log.endOffset();
    }

    @Override
    public void close() {
        closed = true;
    }
}
