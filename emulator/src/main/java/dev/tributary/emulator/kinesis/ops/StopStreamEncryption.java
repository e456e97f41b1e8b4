package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Turns KMS encryption off: records written from now on are unencrypted ({@code EncryptionType}
 * absent); records written before keep {@code KMS}.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StopStreamEncryption.html">StopStreamEncryption</a>
 */
public final class StopStreamEncryption extends KinesisOperation<StopStreamEncryption.Request, Void> {

    public record Request(String streamName, String encryptionType, String keyId, String streamARN, String streamId) {
    }

    public StopStreamEncryption(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        EncryptionOps.change(kinesis, ctx, in.streamName(), in.streamARN(), in.encryptionType(), in.keyId(), false);
        return null;
    }
}
