package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.EnhancedMetrics;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.StreamModeDetails;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.time.Instant;
import java.util.List;

/**
 * Summarizes a stream without listing its shards.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamSummary.html">DescribeStreamSummary</a>
 */
public final class DescribeStreamSummary
        extends KinesisOperation<DescribeStreamSummary.Request, DescribeStreamSummary.Response> {

    public record Request(String streamName, String streamARN, String streamId) {
    }

    public record StreamDescriptionSummary(String streamName, String streamARN, String streamStatus,
                                           StreamModeDetails streamModeDetails, Integer retentionPeriodHours,
                                           Instant streamCreationTimestamp, List<EnhancedMetrics> enhancedMonitoring,
                                           String encryptionType, String keyId, Integer openShardCount,
                                           Integer consumerCount, UpdateStreamWarmThroughput.WarmThroughput warmThroughput,
                                           Integer maxRecordSizeInKiB, Integer channelCount,
                                           String recordDistributionStrategy) {
    }

    public record Response(StreamDescriptionSummary streamDescriptionSummary) {
    }

    public DescribeStreamSummary(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.get(ref);
        return new Response(new StreamDescriptionSummary(ref.name(), ref.arn(), KinesisBackend.status(info),
                new StreamModeDetails(KinesisBackend.streamMode(info)), (int) info.retention().toHours(),
                info.createdAt(), DescribeStream.enhancedMonitoring(info), KinesisBackend.encryptionType(info),
                info.attributes().get(KinesisBackend.KEY_ID), info.openShards().size(),
                Consumers.of(info, kinesis.nowMillis()).size(), warmThroughput(info),
                KinesisBackend.maxRecordBytes(info) / 1024, kinesis.channels().countFor(ref),
                info.attributes().getOrDefault(KinesisBackend.DISTRIBUTION, "USER_PARTITION_KEY")));
    }

    static UpdateStreamWarmThroughput.WarmThroughput warmThroughput(StreamInfo info) {
        String w = info.attributes().get(KinesisBackend.WARM_THROUGHPUT);
        if (w == null) {
            return null;
        }
        int v = Integer.parseInt(w);
        return new UpdateStreamWarmThroughput.WarmThroughput(v, v);
    }
}
