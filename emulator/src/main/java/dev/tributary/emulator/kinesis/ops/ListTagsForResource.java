package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.Tag;
import dev.tributary.emulator.protocol.RequestContext;
import java.util.List;

/**
 * Lists the tags of a stream or a consumer by ARN, in key order.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListTagsForResource.html">ListTagsForResource</a>
 */
public final class ListTagsForResource
        extends KinesisOperation<ListTagsForResource.Request, ListTagsForResource.Response> {

    public record Request(String resourceARN, String streamId) {
    }

    public record Response(List<Tag> tags) {
    }

    public ListTagsForResource(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        Resources.Resource r = Resources.resolve(kinesis, ctx, in.resourceARN());
        return new Response(Tags.list(Tags.of(r.info(), r.consumer())));
    }
}
