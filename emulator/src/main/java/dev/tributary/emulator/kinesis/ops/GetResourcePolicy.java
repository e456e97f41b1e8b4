package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Returns a resource's policy; {@code {"Policy": "{}"}} when it has none, as AWS answers.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetResourcePolicy.html">GetResourcePolicy</a>
 */
public final class GetResourcePolicy extends KinesisOperation<GetResourcePolicy.Request, GetResourcePolicy.Response> {

    public record Request(String resourceARN, String streamId) {
    }

    public record Response(String policy) {
    }

    public GetResourcePolicy(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        Resources.Resource r = Resources.resolve(kinesis, ctx, in.resourceARN());
        return new Response(r.info().attributes().getOrDefault(ResourcePolicies.attribute(r.consumer()), "{}"));
    }
}
