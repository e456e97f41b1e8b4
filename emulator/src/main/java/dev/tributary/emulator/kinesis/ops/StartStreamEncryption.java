package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.protocol.RequestContext;

/**
 * Turns on KMS encryption: the stream is UPDATING for the configured delay, DescribeStream reports
 * {@code EncryptionType: KMS} and the key id, and records written from now on carry
 * {@code EncryptionType: KMS}. No key is ever called: the data is stored as given.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html">StartStreamEncryption</a>
 */
public final class StartStreamEncryption extends KinesisOperation<StartStreamEncryption.Request, Void> {

    public record Request(String streamName, String encryptionType, String keyId, String streamARN, String streamId) {
    }

    public StartStreamEncryption(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        EncryptionOps.change(kinesis, ctx, in.streamName(), in.streamARN(), in.encryptionType(), in.keyId(), true);
        return null;
    }
}
