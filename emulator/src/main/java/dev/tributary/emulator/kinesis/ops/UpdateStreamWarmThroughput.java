package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Records the warm throughput an on-demand stream should be ready for. Tributary has no capacity to
 * warm, so the target is reached at once: current equals target.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamWarmThroughput.html">UpdateStreamWarmThroughput</a>
 */
public final class UpdateStreamWarmThroughput
        extends KinesisOperation<UpdateStreamWarmThroughput.Request, UpdateStreamWarmThroughput.Response> {

    public record Request(String streamARN, String streamName, String streamId, Integer warmThroughputMiBps) {
    }

    public record WarmThroughput(Integer targetMiBps, Integer currentMiBps) {
    }

    public record Response(String streamARN, String streamName, WarmThroughput warmThroughput) {
    }

    public UpdateStreamWarmThroughput(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, true);
        if (!"ON_DEMAND".equals(KinesisBackend.streamMode(info))) {
            throw KinesisBackend.invalidArgument("Warm throughput can only be configured for streams in ON_DEMAND mode.");
        }
        StreamSettings.update(kinesis, info, attrs -> attrs.put(KinesisBackend.WARM_THROUGHPUT,
                Integer.toString(in.warmThroughputMiBps())));
        return new Response(ref.arn(), ref.name(),
                new WarmThroughput(in.warmThroughputMiBps(), in.warmThroughputMiBps()));
    }
}
