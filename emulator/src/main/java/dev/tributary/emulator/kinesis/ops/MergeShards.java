package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.math.BigInteger;

/**
 * Merges two open shards whose ranges are adjacent, ShardToMerge's ending hash key plus one being
 * AdjacentShardToMerge's starting hash key (AWS refuses the pair in the other order). Both close;
 * one child opens over the union, with ShardToMerge as its parent and AdjacentShardToMerge as its
 * adjacent parent.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MergeShards.html">MergeShards</a>
 */
public final class MergeShards extends KinesisOperation<MergeShards.Request, Void> {

    public record Request(String streamName, String shardToMerge, String adjacentShardToMerge, String streamARN,
                          String streamId) {
    }

    public MergeShards(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, false);
        ShardInfo a = kinesis.shardForReshard(ref, info, in.shardToMerge());
        ShardInfo b = kinesis.shardForReshard(ref, info, in.adjacentShardToMerge());
        Resharding.requireOpen(ref, a);
        Resharding.requireOpen(ref, b);
        if (!a.keyRange().end().add(BigInteger.ONE).equals(b.keyRange().start())) {
            throw KinesisBackend.invalidArgument("Shards " + ShardIds.format(a.index()) + " and "
                    + ShardIds.format(b.index()) + " in stream " + ref.name() + " under account " + ref.account()
                    + " are not an adjacent pair of shards eligible for merging");
        }
        StreamInfo after = kinesis.store().mergeShards(info.name(), a.index(), b.index());
        Resharding.markUpdating(kinesis, after);
        return null;
    }
}
