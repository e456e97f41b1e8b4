package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.channels.Channels;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Describes a channel by ARN.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeChannel.html">DescribeChannel</a>
 */
public final class DescribeChannel extends KinesisOperation<DescribeChannel.Request, ChannelShapes.DescriptionResponse> {

    public record Request(String channelARN) {
    }

    private final Channels channels;

    public DescribeChannel(KinesisBackend kinesis, Channels channels) {
        super(kinesis, Request.class);
        this.channels = channels;
    }

    @Override
    public ChannelShapes.DescriptionResponse execute(RequestContext ctx, Request in) {
        return ChannelShapes.describe(channels.get(in.channelARN()), kinesis.nowMillis());
    }
}
