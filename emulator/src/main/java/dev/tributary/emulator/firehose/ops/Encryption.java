package dev.tributary.emulator.firehose.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.firehose.FirehoseError;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/** What the encryption operations share. */
final class Encryption {
    private Encryption() {
    }

    /** The ACTIVE DirectPut stream whose encryption is to change. */
    static StreamInfo directPut(FirehoseBackend firehose, RequestContext ctx, String name) {
        StreamInfo info = firehose.get(ctx, name);
        ObjectNode d = firehose.description(info);
        if (!"DirectPut".equals(d.path("DeliveryStreamType").asText())) {
            throw FirehoseBackend.invalidArgument("Server-side encryption is supported only for delivery streams"
                    + " of type DirectPut.");
        }
        if (!FirehoseBackend.status(d).equals(FirehoseBackend.ACTIVE)) {
            throw new AwsException(FirehoseError.RESOURCE_IN_USE, "Firehose " + name + " under account "
                    + ctx.account() + " is not ACTIVE, instead in state " + FirehoseBackend.status(d) + ".");
        }
        return info;
    }
}
