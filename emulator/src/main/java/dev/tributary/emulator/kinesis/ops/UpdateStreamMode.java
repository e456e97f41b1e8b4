package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.StreamModeDetails;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Switches a stream between PROVISIONED and ON_DEMAND capacity: UPDATING for the configured delay.
 * Shards are kept as they are (AWS too keeps the shard layout when the mode changes).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateStreamMode.html">UpdateStreamMode</a>
 */
public final class UpdateStreamMode extends KinesisOperation<UpdateStreamMode.Request, Void> {

    public record Request(String streamARN, String streamId, StreamModeDetails streamModeDetails,
                          Integer warmThroughputMiBps) {
    }

    public UpdateStreamMode(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, null, in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, false);
        String mode = in.streamModeDetails().streamMode();
        kinesis.transition(info, KinesisBackend.UPDATING, kinesis.config().updateStreamDelay().toMillis(), attrs -> {
            Map<String, String> next = new HashMap<>(attrs);
            next.put(KinesisBackend.MODE, mode);
            return next;
        });
        return null;
    }
}
