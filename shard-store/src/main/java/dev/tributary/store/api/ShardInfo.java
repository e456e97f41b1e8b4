package dev.tributary.store.api;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One shard of a stream.
 *
 * @param index          0, 1, 2 ... in creation order; never reused within a stream
 * @param keyRange       the part of the 128-bit key space routed to this shard
 * @param parent         the shard this one was split from or merged into, if any
 * @param adjacentParent the second parent of a merge, if any
 * @param createdAt      when the shard was created, from the store's clock
 * @param closedAt       when the shard was closed, or null while open
 * @param endOffset      for a closed shard, the offset one past its last record (so a closed
 *                       shard that never got a record has endOffset 0); -1 while open
 */
public record ShardInfo(int index, KeyRange keyRange, OptionalInt parent, OptionalInt adjacentParent,
                        Instant createdAt, Instant closedAt, long endOffset) {

    public boolean isOpen() {
        return closedAt == null;
    }

    /** The end offset of a closed shard; empty while open. */
    public OptionalLong closedEndOffset() {
        return isOpen() ? OptionalLong.empty() : OptionalLong.of(endOffset);
    }
}
