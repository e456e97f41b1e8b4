package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Removes a resource's policy.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteResourcePolicy.html">DeleteResourcePolicy</a>
 */
public final class DeleteResourcePolicy extends KinesisOperation<DeleteResourcePolicy.Request, Void> {

    public record Request(String resourceARN, String streamId) {
    }

    public DeleteResourcePolicy(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        Resources.Resource r = Resources.resolve(kinesis, ctx, in.resourceARN());
        StreamSettings.update(kinesis, r.info(), attrs -> attrs.remove(ResourcePolicies.attribute(r.consumer())));
        return null;
    }
}
