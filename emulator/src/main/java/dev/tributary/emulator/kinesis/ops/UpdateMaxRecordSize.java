package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Sets the largest record a stream accepts, 1024 to 10240 KiB (1 MiB by default). PutRecord and
 * PutRecords enforce it.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateMaxRecordSize.html">UpdateMaxRecordSize</a>
 */
public final class UpdateMaxRecordSize extends KinesisOperation<UpdateMaxRecordSize.Request, Void> {

    public record Request(String streamARN, String streamId, Integer maxRecordSizeInKiB) {
    }

    public UpdateMaxRecordSize(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, null, in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, true);
        StreamSettings.update(kinesis, info, attrs -> attrs.put(KinesisBackend.MAX_RECORD_KIB,
                Integer.toString(in.maxRecordSizeInKiB())));
        return null;
    }
}
