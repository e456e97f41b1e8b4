package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * The account's shard limit (configurable, AWS's default 20,000), open shards, on-demand streams
 * against their limit (50), and channels.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeLimits.html">DescribeLimits</a>
 */
public final class DescribeLimits extends KinesisOperation<DescribeLimits.Request, DescribeLimits.Response> {
    static final int ON_DEMAND_STREAM_LIMIT = 50;
    static final int CHANNEL_LIMIT = 50;

    public record Request() {
    }

    public record Response(Integer shardLimit, Integer openShardCount, Integer onDemandStreamCount,
                           Integer onDemandStreamCountLimit, Integer channelCount, Integer channelCountLimit) {
    }

    public DescribeLimits(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        int open = 0;
        int onDemand = 0;
        for (StreamInfo info : kinesis.streams(ctx.account(), ctx.region())) {
            open += info.openShards().size();
            if ("ON_DEMAND".equals(KinesisBackend.streamMode(info))) {
                onDemand++;
            }
        }
        return new Response(kinesis.config().shardLimit(), open, onDemand, ON_DEMAND_STREAM_LIMIT,
                kinesis.channels().list(ctx.account(), ctx.region()).size(), CHANNEL_LIMIT);
    }
}
