package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;
import java.util.function.UnaryOperator;

/**
 * Deletes a stream: DELETING for the configured delay, then gone, its records with it. A stream
 * that is CREATING or already DELETING is not found by AWS's rules only once deleted; deleting a
 * DELETING stream is accepted again.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DeleteStream.html">DeleteStream</a>
 */
public final class DeleteStream extends KinesisOperation<DeleteStream.Request, Void> {

    public record Request(String streamName, String streamARN, Boolean enforceConsumerDeletion, String streamId) {
    }

    public DeleteStream(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        StreamInfo info = kinesis.get(ref);
        if (!Boolean.TRUE.equals(in.enforceConsumerDeletion())
                && !Consumers.of(info, kinesis.nowMillis()).isEmpty()) {
            throw new dev.tributary.emulator.protocol.AwsException(dev.tributary.emulator.kinesis.KinesisError.RESOURCE_IN_USE,
                    "DeleteStream can\u2019t delete " + ref.account() + ":" + ref.name() + " because there are "
                    + "consumers associated with this data stream. To delete " + ref.name() + " anyway, set the "
                    + "EnforceConsumerDeletion parameter to true to force the deletion of all the consumers that "
                    + "are associated with it.");
        }
        long delay = kinesis.config().deleteStreamDelay().toMillis();
        if (delay <= 0) {
            kinesis.deleteNow(info);
            return null;
        }
        if (!KinesisBackend.status(info).equals(KinesisBackend.DELETING)) {
            kinesis.transition(info, KinesisBackend.DELETING, delay, UnaryOperator.identity());
        }
        return null;
    }
}
