package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.List;

/**
 * Enables shard-level metrics ({@code ALL} for every one); answers the set before and after.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_EnableEnhancedMonitoring.html">EnableEnhancedMonitoring</a>
 */
public final class EnableEnhancedMonitoring
        extends KinesisOperation<EnableEnhancedMonitoring.Request, EnhancedMonitoring.Response> {

    public record Request(String streamName, List<String> shardLevelMetrics, String streamARN, String streamId) {
    }

    public EnableEnhancedMonitoring(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public EnhancedMonitoring.Response execute(RequestContext ctx, Request in) {
        return EnhancedMonitoring.change(kinesis, ctx, in.streamName(), in.streamARN(), in.shardLevelMetrics(), true);
    }
}
