package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/** StartStreamEncryption and StopStreamEncryption: server-side encryption with a KMS key id. */
final class EncryptionOps {
    private EncryptionOps() {
    }

    static void change(KinesisBackend kinesis, RequestContext ctx, String streamName, String streamArn,
                       String encryptionType, String keyId, boolean start) {
        StreamRef ref = kinesis.ref(ctx, streamName, streamArn);
        if (!"KMS".equals(encryptionType)) {
            throw KinesisBackend.invalidArgument("Encryption type " + encryptionType + " is not valid. "
                    + "The only supported encryption type is KMS.");
        }
        StreamInfo info = kinesis.getWritable(ref, false);
        kinesis.transition(info, KinesisBackend.UPDATING, kinesis.config().updateStreamDelay().toMillis(), attrs -> {
            java.util.Map<String, String> next = new java.util.HashMap<>(attrs);
            if (start) {
                next.put(KinesisBackend.ENCRYPTION, "KMS");
                next.put(KinesisBackend.KEY_ID, keyId);
            } else {
                next.put(KinesisBackend.ENCRYPTION, "NONE");
                next.remove(KinesisBackend.KEY_ID);
            }
            return next;
        });
    }
}
