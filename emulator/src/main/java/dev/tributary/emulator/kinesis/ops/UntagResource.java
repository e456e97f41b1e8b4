package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.List;

/**
 * Removes tags from a stream or a consumer by ARN.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UntagResource.html">UntagResource</a>
 */
public final class UntagResource extends KinesisOperation<UntagResource.Request, Void> {

    public record Request(List<String> tagKeys, String resourceARN, String streamId) {
    }

    public UntagResource(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        Resources.Resource r = Resources.resolve(kinesis, ctx, in.resourceARN());
        Tags.remove(kinesis, r.info(), r.consumer(), in.tagKeys());
        return null;
    }
}
