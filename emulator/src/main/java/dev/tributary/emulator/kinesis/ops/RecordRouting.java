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
    /** How often a write re-routes after its shard closed under it before giving up. */
    static final int MAX_REROUTES = 16;

    private final KinesisBackend kinesis;

    RecordRouting(KinesisBackend kinesis) {
        this.kinesis = kinesis;
    }

    /**
     * Checks one record against its stream: the partition key is required unless the stream
     * distributes records itself (AUTO), and the data may not exceed the stream's maximum record
     * size, reported in AWS's validation words.
     *
     * @param pathPrefix "" for PutRecord, "records.N.member." for PutRecords
     */
    static void checkRecord(StreamInfo info, byte[] data, String partitionKey, String pathPrefix) {
        if (partitionKey == null && !KinesisBackend.autoDistribution(info)) {
            throw KinesisBackend.validation("null", pathPrefix + "partitionKey", "Member must not be null");
        }
        int max = KinesisBackend.maxRecordBytes(info);
        if (data.length > max) {
            // AWS now prints no value here (captured December 2025): "Value at 'records.1.member.data' ...".
            throw new dev.tributary.emulator.protocol.AwsException(dev.tributary.emulator.protocol.CommonError.VALIDATION,
                    "1 validation error detected: Value at '" + pathPrefix + "data' failed to satisfy constraint: "
                            + "Member must have length less than or equal to " + max);
        }
    }

    /**
     * The hash key of a record: its ExplicitHashKey, a random key on an AUTO stream, else the MD5
     * of its partition key.
     */
    BigInteger hashKey(StreamInfo info, String partitionKey, String explicitHashKey) {
        if (explicitHashKey == null && KinesisBackend.autoDistribution(info)) {
            byte[] random = new byte[16];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(random);
            return new BigInteger(1, random);
        }
        return hashKey(partitionKey, explicitHashKey);
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
        return partitionKey == null ? new byte[0] : partitionKey.getBytes(StandardCharsets.UTF_8);
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
