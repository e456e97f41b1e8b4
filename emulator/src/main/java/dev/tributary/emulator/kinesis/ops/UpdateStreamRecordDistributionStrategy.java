package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Chooses how records are spread over shards: USER_PARTITION_KEY (the MD5 of the partition key, the
 * default) or AUTO (partition keys are ignored and records are spread evenly).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamRecordDistributionStrategy.html">UpdateStreamRecordDistributionStrategy</a>
 */
public final class UpdateStreamRecordDistributionStrategy
        extends KinesisOperation<UpdateStreamRecordDistributionStrategy.Request, Void> {

    public record Request(String streamARN, String streamId, String recordDistributionStrategy) {
    }

    public UpdateStreamRecordDistributionStrategy(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, null, in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, true);
        CreateStream.checkDistribution(in.recordDistributionStrategy(), KinesisBackend.streamMode(info));
        StreamSettings.update(kinesis, info, attrs -> attrs.put(KinesisBackend.DISTRIBUTION,
                in.recordDistributionStrategy()));
        return null;
    }
}
