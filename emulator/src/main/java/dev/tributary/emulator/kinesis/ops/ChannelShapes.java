package dev.tributary.emulator.kinesis.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kinesis.channels.Channels;
import java.time.Instant;
import java.util.List;

/** The channel structures of the Kinesis API, built from a {@link Channels.Channel}. */
final class ChannelShapes {
    private ChannelShapes() {
    }

    public record ChannelDescription(String channelName, String channelARN, String channelId, String channelStatus,
                                     Instant channelCreationTimestamp, String serviceExecutionRoleARN,
                                     List<Channels.ChannelStream> streamConfigurationList,
                                     JsonNode s3DestinationConfiguration, JsonNode s3TablesDestinationConfiguration,
                                     JsonNode encryptionConfiguration, JsonNode loggingConfiguration) {
    }

    public record StreamIdentifier(String streamARN, Instant streamCreationTimestamp) {
    }

    public record ChannelSummary(String channelName, String channelARN, String channelId, String channelStatus,
                                 Instant channelCreationTimestamp, String channelDestinationType,
                                 List<StreamIdentifier> streams) {
    }

    public record DescriptionResponse(ChannelDescription channelDescription) {
    }

    static DescriptionResponse describe(Channels.Channel c, long now) {
        return new DescriptionResponse(new ChannelDescription(c.name(), c.arn(), c.id(), c.statusAt(now),
                Channels.created(c), c.roleArn(), c.streams(), c.s3(), c.s3Tables(), c.encryption(), logging(c)));
    }

    static ChannelSummary summary(Channels.Channel c, long now) {
        return new ChannelSummary(c.name(), c.arn(), c.id(), c.statusAt(now), Channels.created(c),
                c.s3() != null ? "S3" : "S3_TABLES", c.streams().stream()
                .map(s -> new StreamIdentifier(s.streamARN(), s.streamCreationTimestamp())).toList());
    }

    /** LoggingConfiguration is required in the description: logging off unless configured. */
    private static JsonNode logging(Channels.Channel c) {
        if (c.logging() != null) {
            return c.logging();
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.putObject("CloudWatchLogs").put("Enabled", false);
        return n;
    }
}
