package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.EnhancedMetrics;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Shard;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.StreamModeDetails;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Describes a stream and a page of its shards: at most {@code Limit} (default and maximum 100,
 * as AWS answers) shards after {@code ExclusiveStartShardId}, with {@code HasMoreShards}.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStream.html">DescribeStream</a>
 */
public final class DescribeStream extends KinesisOperation<DescribeStream.Request, DescribeStream.Response> {
    static final int MAX_SHARDS = 100;

    public record Request(String streamName, String streamARN, Integer limit, String exclusiveStartShardId,
                          String streamId) {
    }

    public record StreamDescription(String streamName, String streamARN, String streamStatus,
                                    StreamModeDetails streamModeDetails, List<Shard> shards, Boolean hasMoreShards,
                                    Integer retentionPeriodHours, Instant streamCreationTimestamp,
                                    List<EnhancedMetrics> enhancedMonitoring, String encryptionType, String keyId) {
    }

    public record Response(StreamDescription streamDescription) {
    }

    public DescribeStream(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.get(ref);
        int limit = in.limit() == null ? MAX_SHARDS : Math.min(in.limit(), MAX_SHARDS);
        int after = in.exclusiveStartShardId() == null ? -1 : ShardIds.parse(in.exclusiveStartShardId());
        List<Shard> shards = new ArrayList<>();
        boolean more = false;
        // While CREATING, AWS lists no shards yet.
        List<ShardInfo> visible = KinesisBackend.status(info).equals(KinesisBackend.CREATING) ? List.of()
                : kinesis.visibleShards(info);
        for (ShardInfo s : visible) {
            if (s.index() <= after) {
                continue;
            }
            if (shards.size() == limit) {
                more = true;
                break;
            }
            shards.add(kinesis.toShape(s));
        }
        return new Response(new StreamDescription(ref.name(), ref.arn(), KinesisBackend.status(info),
                new StreamModeDetails(KinesisBackend.streamMode(info)), shards, more,
                (int) info.retention().toHours(), info.createdAt(), enhancedMonitoring(info),
                KinesisBackend.encryptionType(info), info.attributes().get(KinesisBackend.KEY_ID)));
    }

    static List<EnhancedMetrics> enhancedMonitoring(StreamInfo info) {
        String metrics = info.attributes().getOrDefault(KinesisBackend.METRICS, "");
        List<String> list = metrics.isEmpty() ? List.of() : Arrays.asList(metrics.split(","));
        return List.of(new EnhancedMetrics(list));
    }
}
