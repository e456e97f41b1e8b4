package dev.tributary.emulator.kinesis.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.channels.Channels;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Changes what a channel allows to change (data freshness, logging): UPDATING for the configured
 * delay.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateChannel.html">UpdateChannel</a>
 */
public final class UpdateChannel extends KinesisOperation<UpdateChannel.Request, ChannelShapes.DescriptionResponse> {

    public record Freshness(Integer dataFreshnessInSeconds) {
    }

    public record Request(String channelARN, Freshness s3DestinationConfiguration,
                          Freshness s3TablesDestinationConfiguration, ObjectNode loggingConfiguration) {
    }

    private final Channels channels;

    public UpdateChannel(KinesisBackend kinesis, Channels channels) {
        super(kinesis, Request.class);
        this.channels = channels;
    }

    @Override
    public ChannelShapes.DescriptionResponse execute(RequestContext ctx, Request in) {
        Channels.Channel c = channels.update(in.channelARN(),
                in.s3DestinationConfiguration() == null ? null : in.s3DestinationConfiguration().dataFreshnessInSeconds(),
                in.s3TablesDestinationConfiguration() == null ? null
                        : in.s3TablesDestinationConfiguration().dataFreshnessInSeconds(),
                in.loggingConfiguration());
        return ChannelShapes.describe(c, kinesis.nowMillis());
    }
}
