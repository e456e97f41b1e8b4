package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Lowers a stream's retention period (24 to 8760 hours). Records older than the new period become
 * unreadable at once, and their segments are deleted.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DecreaseStreamRetentionPeriod.html">DecreaseStreamRetentionPeriod</a>
 */
public final class DecreaseStreamRetentionPeriod extends KinesisOperation<DecreaseStreamRetentionPeriod.Request, Void> {

    public record Request(String streamName, Integer retentionPeriodHours, String streamARN, String streamId) {
    }

    public DecreaseStreamRetentionPeriod(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        int hours = in.retentionPeriodHours();
        // AWS checks that the stream exists before the bounds (kinesalite's tests against AWS).
        kinesis.get(ref);
        IncreaseStreamRetentionPeriod.checkBounds(hours);
        StreamInfo info = kinesis.getWritable(ref, false);
        long current = info.retention().toHours();
        if (hours > current) {
            throw KinesisBackend.invalidArgument("Requested retention period (" + hours + " hours) for stream "
                    + ref.name() + " can not be longer than existing retention period (" + current
                    + " hours). Use IncreaseRetentionPeriod API.");
        }
        StreamSettings.retention(kinesis, info, hours);
        kinesis.store().enforceRetention();
        return null;
    }
}
