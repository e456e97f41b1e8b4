package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.math.BigInteger;

/**
 * Splits an open shard at NewStartingHashKey: the parent closes with its records, two children
 * open with the next shard indexes, and the stream is UPDATING for the configured delay.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html">SplitShard</a>
 */
public final class SplitShard extends KinesisOperation<SplitShard.Request, Void> {

    public record Request(String streamName, String shardToSplit, String newStartingHashKey, String streamARN,
                          String streamId) {
    }

    public SplitShard(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, false);
        ShardInfo shard = kinesis.shardForReshard(ref, info, in.shardToSplit());
        Resharding.requireOpen(ref, shard);
        BigInteger key = new BigInteger(in.newStartingHashKey());
        BigInteger start = shard.keyRange().start();
        BigInteger end = shard.keyRange().end();
        // AWS: strictly greater than StartingHashKey + 1 and strictly less than EndingHashKey.
        if (key.compareTo(start.add(BigInteger.ONE)) <= 0 || key.compareTo(end) >= 0) {
            throw KinesisBackend.invalidArgument("NewStartingHashKey " + in.newStartingHashKey() + " used in "
                    + "SplitShard() on shard " + ShardIds.format(shard.index()) + " in stream " + ref.name()
                    + " under account " + ref.account() + " is not both greater than one plus the shard's "
                    + "StartingHashKey " + start + " and less than the shard's EndingHashKey " + end + ".");
        }
        Resharding.requireShardCapacity(kinesis, ref, 1);
        StreamInfo after = kinesis.store().splitShard(info.name(), shard.index(), key);
        Resharding.markUpdating(kinesis, after);
        return null;
    }
}
