package dev.tributary.store.api;

/**
 * A record read from a shard log.
 *
 * @param offset          its position in the shard, from 0
 * @param timestampMillis the timestamp it was appended with
 * @param key             its key
 * @param value           its payload
 * @param flags           the front-end bits it was appended with
 */
public record StoredRecord(long offset, long timestampMillis, byte[] key, byte[] value, int flags) {
    /** Key plus value bytes: what read size limits count. */
    public int size() {
        return key.length + value.length;
    }
}
