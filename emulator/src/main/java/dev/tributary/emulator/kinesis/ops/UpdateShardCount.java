package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.NewShard;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Rescales a stream to TargetShardCount evenly split shards (UNIFORM_SCALING), within AWS's rules:
 * at most double and at least half the open shards, and within the shard limit. All open shards
 * close and the new ones open in one atomic step; each new shard names as parents the old shards
 * its range overlaps most (at most two, as Kinesis lineage allows).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html">UpdateShardCount</a>
 */
public final class UpdateShardCount extends KinesisOperation<UpdateShardCount.Request, UpdateShardCount.Response> {

    static final String SCALINGS = "kinesis.scalings";
    static final int MAX_SCALINGS_PER_DAY = 10;
    static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

    public record Request(String streamName, Integer targetShardCount, String scalingType, String streamARN,
                          String streamId) {
    }

    public record Response(String streamName, Integer currentShardCount, Integer targetShardCount, String streamARN) {
    }

    public UpdateShardCount(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, false);
        List<ShardInfo> open = new ArrayList<>(info.openShards());
        int current = open.size();
        int target = in.targetShardCount();
        int limit = kinesis.config().shardLimit();
        int accountOpen = kinesis.openShardCount(ref.account(), ref.region());
        String counts = " Current open shard count: " + current + ", Target shard count: " + target;
        if (target > limit || (long) accountOpen - current + target > limit) {
            throw new AwsException(KinesisError.LIMIT_EXCEEDED,
                    "Target shard count or number of open shards cannot be greater than " + limit + "." + counts);
        }
        if (target > 2L * current) {
            throw new AwsException(KinesisError.LIMIT_EXCEEDED,
                    "UpdateShardCount cannot scale up over double your current open shard count." + counts);
        }
        if ((long) target * 2 < current) {
            throw new AwsException(KinesisError.LIMIT_EXCEEDED,
                    "UpdateShardCount cannot scale down below half your current open shard count." + counts);
        }
        // At most ten scalings per stream in a rolling 24 hours (AWS's documented rule; its text is
        // not public, this one follows the other UpdateShardCount messages).
        long now = kinesis.nowMillis();
        List<Long> recent = new ArrayList<>();
        for (String t : info.attributes().getOrDefault(SCALINGS, "").split(",")) {
            if (!t.isEmpty() && now - Long.parseLong(t) < DAY_MILLIS) {
                recent.add(Long.parseLong(t));
            }
        }
        if (recent.size() >= MAX_SCALINGS_PER_DAY) {
            throw new AwsException(KinesisError.LIMIT_EXCEEDED, "UpdateShardCount cannot be called more than "
                    + MAX_SCALINGS_PER_DAY + " times in a rolling 24-hour period for stream " + ref.name()
                    + " under account " + ref.account() + "." + counts);
        }
        recent.add(now);
        open.sort(Comparator.comparing(s -> s.keyRange().start()));
        List<NewShard> children = new ArrayList<>(target);
        for (KeyRange range : KeyRange.evenSplit(target)) {
            List<ShardInfo> overlapping = new ArrayList<>();
            for (ShardInfo s : open) {
                if (overlap(s.keyRange(), range).signum() > 0) {
                    overlapping.add(s);
                }
            }
            overlapping.sort(Comparator.comparing((ShardInfo s) -> overlap(s.keyRange(), range)).reversed());
            children.add(new NewShard(range, OptionalInt.of(overlapping.get(0).index()),
                    overlapping.size() > 1 ? OptionalInt.of(overlapping.get(1).index()) : OptionalInt.empty()));
        }
        List<Integer> close = open.stream().map(ShardInfo::index).toList();
        StreamInfo after = kinesis.store().reshard(info.name(), children, close);
        String scalings = recent.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        after = StreamSettings.update(kinesis, after, attrs -> attrs.put(SCALINGS, scalings));
        Resharding.markUpdating(kinesis, after);
        return new Response(ref.name(), current, target, ref.arn());
    }

    private static BigInteger overlap(KeyRange a, KeyRange b) {
        BigInteger lo = a.start().max(b.start());
        BigInteger hi = a.end().min(b.end());
        return hi.compareTo(lo) < 0 ? BigInteger.ZERO : hi.subtract(lo).add(BigInteger.ONE);
    }
}
