package dev.tributary.emulator.firehose.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/**
 * Enables server-side encryption (AWS_OWNED_CMK by default, or a customer key). Records are not
 * really encrypted at rest; PutRecord answers {@code Encrypted: true} from then on. Only for
 * DirectPut streams.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_StartDeliveryStreamEncryption.html">StartDeliveryStreamEncryption</a>
 */
public final class StartDeliveryStreamEncryption extends FirehoseOperation<StartDeliveryStreamEncryption.Request, Void> {

    public record KeyInput(String keyARN, String keyType) {
    }

    public record Request(String deliveryStreamName, KeyInput deliveryStreamEncryptionConfigurationInput) {
    }

    public StartDeliveryStreamEncryption(FirehoseBackend firehose) {
        super(firehose, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamInfo info = Encryption.directPut(firehose, ctx, in.deliveryStreamName());
        KeyInput key = in.deliveryStreamEncryptionConfigurationInput();
        firehose.update(info.name(), d -> {
            ObjectNode enc = d.putObject("DeliveryStreamEncryptionConfiguration");
            if (key != null && key.keyARN() != null) {
                enc.put("KeyARN", key.keyARN());
            }
            enc.put("KeyType", key == null || key.keyType() == null ? "AWS_OWNED_CMK" : key.keyType());
            enc.put("Status", "ENABLED");
            return d;
        }, attrs -> attrs);
        return null;
    }
}
