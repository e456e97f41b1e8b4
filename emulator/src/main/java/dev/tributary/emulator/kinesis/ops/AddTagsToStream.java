package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.Map;

/**
 * Adds or overwrites tags; a stream holds at most 50.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_AddTagsToStream.html">AddTagsToStream</a>
 */
public final class AddTagsToStream extends KinesisOperation<AddTagsToStream.Request, Void> {

    public record Request(String streamName, Map<String, String> tags, String streamARN, String streamId) {
    }

    public AddTagsToStream(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, false);
        Tags.add(kinesis, ref, info, null, in.tags());
        return null;
    }
}
