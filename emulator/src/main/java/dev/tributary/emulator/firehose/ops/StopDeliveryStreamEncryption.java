package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Disables server-side encryption.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_StopDeliveryStreamEncryption.html">StopDeliveryStreamEncryption</a>
 */
public final class StopDeliveryStreamEncryption extends FirehoseOperation<StopDeliveryStreamEncryption.Request, Void> {

    public record Request(String deliveryStreamName) {
    }

    public StopDeliveryStreamEncryption(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamInfo info = Encryption.directPut(firehose, ctx, in.deliveryStreamName());
        firehose.update(info.name(), d -> {
            d.putObject("DeliveryStreamEncryptionConfiguration").put("Status", "DISABLED");
            return d;
        }, attrs -> attrs);
        return null;
    }
}
