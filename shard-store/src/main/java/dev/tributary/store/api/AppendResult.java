package dev.tributary.store.api;

/**
 * Where a batch landed.
 *
 * @param firstOffset offset of the batch's first record; the others follow one by one
 * @param count       number of records appended
 */
public record AppendResult(long firstOffset, int count) {
    public long lastOffset() {
        return firstOffset + count - 1;
    }
}
