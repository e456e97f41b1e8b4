package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Raises a stream's retention period (24 to 8760 hours). Asking for less than the current period
 * is refused; records already trimmed do not come back.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html">IncreaseStreamRetentionPeriod</a>
 */
public final class IncreaseStreamRetentionPeriod extends KinesisOperation<IncreaseStreamRetentionPeriod.Request, Void> {
    static final int MIN_HOURS = 24;
    static final int MAX_HOURS = 8760;

    public record Request(String streamName, Integer retentionPeriodHours, String streamARN, String streamId) {
    }

    public IncreaseStreamRetentionPeriod(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        int hours = in.retentionPeriodHours();
        // AWS checks that the stream exists before the bounds (kinesalite's tests against AWS).
        kinesis.get(ref);
        checkBounds(hours);
        StreamInfo info = kinesis.getWritable(ref, false);
        long current = info.retention().toHours();
        if (hours < current) {
            throw KinesisBackend.invalidArgument("Requested retention period (" + hours + " hours) for stream "
                    + ref.name() + " can not be shorter than existing retention period (" + current
                    + " hours). Use DecreaseRetentionPeriod API.");
        }
        StreamSettings.retention(kinesis, info, hours);
        return null;
    }

    static void checkBounds(int hours) {
        if (hours < MIN_HOURS) {
            throw KinesisBackend.invalidArgument("Minimum allowed retention period is " + MIN_HOURS
                    + " hours. Requested retention period (" + hours + " hours) is too short.");
        }
        if (hours > MAX_HOURS) {
            throw KinesisBackend.invalidArgument("Maximum allowed retention period is " + MAX_HOURS
                    + " hours. Requested retention period (" + hours + " hours) is too long.");
        }
    }
}
