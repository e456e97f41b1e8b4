package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.Map;

/**
 * Tags a stream or a consumer by ARN; at most 50 tags per resource.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_TagResource.html">TagResource</a>
 */
public final class TagResource extends KinesisOperation<TagResource.Request, Void> {

    public record Request(Map<String, String> tags, String resourceARN, String streamId) {
    }

    public TagResource(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        Resources.Resource r = Resources.resolve(kinesis, ctx, in.resourceARN());
        Tags.add(kinesis, r.arn().stream(), r.info(), r.consumer(), in.tags());
        return null;
    }
}
