package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.firehose.FirehoseError;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Deletes a delivery stream: DELETING for the configured delete delay, then gone with its buffer
 * log (records not yet delivered are dropped). Not allowed while CREATING.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeleteDeliveryStream.html">DeleteDeliveryStream</a>
 */
public final class DeleteDeliveryStream extends FirehoseOperation<DeleteDeliveryStream.Request, Void> {

    public record Request(String deliveryStreamName, Boolean allowForceDelete) {
    }

    public DeleteDeliveryStream(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamInfo info = firehose.get(ctx, in.deliveryStreamName());
        String status = FirehoseBackend.status(firehose.description(info));
        if (status.equals(FirehoseBackend.CREATING)) {
            throw new AwsException(FirehoseError.RESOURCE_IN_USE, "Firehose " + in.deliveryStreamName()
                    + " under account " + ctx.account() + " is in CREATING state and cannot be deleted.");
        }
        long delay = firehose.config().deleteStreamDelay().toMillis();
        if (delay <= 0) {
            firehose.engine().delete(info.name());
            return null;
        }
        firehose.update(info.name(), d -> {
            d.put("DeliveryStreamStatus", FirehoseBackend.DELETING);
            return d;
        }, attrs -> {
            attrs.put(FirehoseBackend.STATUS_UNTIL, Long.toString(firehose.nowMillis() + delay));
            return attrs;
        });
        return null;
    }
}
