package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.ShardClosedException;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What PutRecord and PutRecords share: record checks, hash keys, and appends that survive a concurrent reshard. */
final class RecordRouting {
    /** AWS's default maximum record size: data plus partition key, 1 MiB. */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** How often a write re-routes after its shard closed under it before giving up. */
    static final int MAX_REROUTES = 16;

    private final KinesisBackend kinesis;

    RecordRouting(KinesisBackend kinesis) {
        this.kinesis = kinesis;
    }

    /**
     * Checks one record as AWS's model did before the partition key became optional: the key is
     * required, and the data at most the maximum record size.
     *
     * @param pathPrefix "" for PutRecord, "records.N.member." for PutRecords
     */
    void checkRecord(byte[] data, String partitionKey, String pathPrefix) {
        if (partitionKey == null) {
            throw KinesisBackend.validation("null", pathPrefix + "partitionKey", "Member must not be null");
        }
        if (data.length > MAX_RECORD_BYTES) {
            throw KinesisBackend.validation("'java.nio.HeapByteBuffer[pos=0 lim=" + data.length + " cap="
                    + data.length + "]'", pathPrefix + "data", "Member must have length less than or equal to "
                    + MAX_RECORD_BYTES);
        }
    }

    BigInteger hashKey(String partitionKey, String explicitHashKey) {
        if (explicitHashKey != null) {
            BigInteger key = new BigInteger(explicitHashKey);
            if (key.compareTo(KeyRange.MAX_KEY) > 0) {
                throw KinesisBackend.invalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                        + "[0, 2^128-1]. Specified value was " + explicitHashKey);
            }
            return key;
        }
        return kinesis.hashKey(partitionKey);
    }

    static byte[] keyBytes(String partitionKey) {
        return partitionKey.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends to the routed shard. If a split or merge closed the shard between routing and the
     * append, routes again on the new topology, so a write racing a reshard lands in a child.
     */
    AppendResult append(StreamRef ref, StreamInfo info, ShardInfo shard, List<AppendRecord> records) {
        try {
            return kinesis.store().log(info.name(), shard.index()).append(records);
        } catch (ShardClosedException e) {
            throw new ShardMoved();
        } catch (StreamNotFoundException e) {
            throw KinesisBackend.streamNotFound(ref);
        }
    }

    /** Raised when the routed shard closed under a write; the caller re-routes. */
    static final class ShardMoved extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ShardMoved() {
            super(null, null, false, false);
        }
    }
}
