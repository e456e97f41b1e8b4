package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.List;

/**
 * Disables shard-level metrics ({@code ALL} for every one); answers the set before and after.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DisableEnhancedMonitoring.html">DisableEnhancedMonitoring</a>
 */
public final class DisableEnhancedMonitoring
        extends KinesisOperation<DisableEnhancedMonitoring.Request, EnhancedMonitoring.Response> {

    public record Request(String streamName, List<String> shardLevelMetrics, String streamARN, String streamId) {
    }

    public DisableEnhancedMonitoring(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public EnhancedMonitoring.Response execute(RequestContext ctx, Request in) {
        return EnhancedMonitoring.change(kinesis, ctx, in.streamName(), in.streamARN(), in.shardLevelMetrics(), false);
    }
}
