package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Attaches a resource policy (a JSON document) to a stream or consumer. It is stored and returned,
 * not enforced.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutResourcePolicy.html">PutResourcePolicy</a>
 */
public final class PutResourcePolicy extends KinesisOperation<PutResourcePolicy.Request, Void> {

    public record Request(String resourceARN, String streamId, String policy) {
    }

    public PutResourcePolicy(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        ResourcePolicies.check(in.policy());
        Resources.Resource r = Resources.resolve(kinesis, ctx, in.resourceARN());
        StreamSettings.update(kinesis, r.info(), attrs -> attrs.put(ResourcePolicies.attribute(r.consumer()),
                in.policy()));
        return null;
    }
}
