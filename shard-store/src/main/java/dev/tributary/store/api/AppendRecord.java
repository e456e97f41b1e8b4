package dev.tributary.store.api;

import java.util.Objects;

/**
 * A record to append.
 *
 * @param timestampMillis the record's time, epoch milliseconds (arrival time for Kinesis)
 * @param key             the record's key (a Kinesis partition key, a Kafka key); may be empty
 * @param value           the payload; may be empty
 * @param flags           front-end defined bits stored with the record (e.g. "written encrypted")
 */
public record AppendRecord(long timestampMillis, byte[] key, byte[] value, int flags) {
    public AppendRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
