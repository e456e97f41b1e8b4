package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.List;

/**
 * Removes tags by key; keys the stream does not have are ignored.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RemoveTagsFromStream.html">RemoveTagsFromStream</a>
 */
public final class RemoveTagsFromStream extends KinesisOperation<RemoveTagsFromStream.Request, Void> {

    public record Request(String streamName, List<String> tagKeys, String streamARN, String streamId) {
    }

    public RemoveTagsFromStream(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.getWritable(ref, false);
        Tags.remove(kinesis, info, null, in.tagKeys());
        return null;
    }
}
