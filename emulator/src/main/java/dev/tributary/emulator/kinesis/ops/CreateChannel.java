package dev.tributary.emulator.kinesis.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.channels.Channels;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.List;
import java.util.Map;

/**
 * Creates a channel from an on-demand stream to S3 or S3 Tables: CREATING, then ACTIVE after the
 * stream-creation delay. The configuration is kept and described back; no data is delivered yet.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateChannel.html">CreateChannel</a>
 */
public final class CreateChannel extends KinesisOperation<CreateChannel.Request, ChannelShapes.DescriptionResponse> {

    public record StreamConfiguration(String streamARN, JsonNode recordConfiguration) {
    }

    public record Request(String channelName, String serviceExecutionRoleARN,
                          List<StreamConfiguration> streamConfigurationList, ObjectNode s3DestinationConfiguration,
                          ObjectNode s3TablesDestinationConfiguration, JsonNode encryptionConfiguration,
                          Map<String, String> tags, ObjectNode loggingConfiguration) {
    }

    private final Channels channels;

    public CreateChannel(KinesisBackend kinesis, Channels channels) {
        super(kinesis, Request.class);
        this.channels = channels;
    }

    @Override
    public ChannelShapes.DescriptionResponse execute(RequestContext ctx, Request in) {
        List<Channels.ChannelStream> streams = in.streamConfigurationList().stream()
                .map(s -> new Channels.ChannelStream(s.streamARN(), null, s.recordConfiguration())).toList();
        Channels.Channel c = channels.create(ctx.account(), ctx.region(), in.channelName(),
                in.serviceExecutionRoleARN(), streams, in.s3DestinationConfiguration(),
                in.s3TablesDestinationConfiguration(), in.encryptionConfiguration(), in.loggingConfiguration());
        return ChannelShapes.describe(c, kinesis.nowMillis());
    }
}
