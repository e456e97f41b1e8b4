package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.util.function.UnaryOperator;

/** What SplitShard, MergeShards and UpdateShardCount share: AWS's checks and the UPDATING transition. */
final class Resharding {
    private Resharding() {
    }

    static void requireOpen(StreamRef ref, ShardInfo shard) {
        if (!shard.isOpen()) {
            throw new AwsException(KinesisError.INVALID_ARGUMENT, "Shard " + ShardIds.format(shard.index())
                    + " in stream " + ref.name() + " under account " + ref.account()
                    + " has already been merged or split, and thus is not eligible for merging or splitting.");
        }
    }

    static void requireShardCapacity(KinesisBackend kinesis, StreamRef ref, int additional) {
        int open = kinesis.openShardCount(ref.account(), ref.region());
        int limit = kinesis.config().shardLimit();
        if ((long) open + additional > limit) {
            throw new AwsException(KinesisError.LIMIT_EXCEEDED, "This request would exceed the shard limit for the "
                    + "account " + ref.account() + " in " + ref.region() + ". Current shard count for the account: "
                    + open + ". Limit: " + limit + ". Number of additional shards that would have resulted from this "
                    + "request: " + additional + ". Refer to the AWS Service Limits page "
                    + "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and "
                    + "how to request higher limits.");
        }
    }

    /** Marks the stream UPDATING for the configured delay after a topology change. */
    static void markUpdating(KinesisBackend kinesis, StreamInfo after) {
        kinesis.transition(after, KinesisBackend.UPDATING, kinesis.config().updateStreamDelay().toMillis(),
                UnaryOperator.identity());
    }
}
