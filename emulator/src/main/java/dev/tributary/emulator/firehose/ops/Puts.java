package dev.tributary.emulator.firehose.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamInfo;

/** What PutRecord and PutRecordBatch share: finding a writable stream, record ids. */
final class Puts {
    /** Where records go, and whether they are stored encrypted. */
    record Target(String storeKey, long streamId, boolean encrypted) {
    }

    private final FirehoseBackend firehose;

    Puts(FirehoseBackend firehose) {
        this.firehose = firehose;
    }

    /**
     * The ACTIVE DirectPut stream of that name. A stream still CREATING or already DELETING is
     * not found, as for Kinesis writes; a Kinesis-sourced stream refuses direct puts.
     */
    Target target(RequestContext ctx, String name) {
        StreamInfo info = firehose.get(ctx, name);
        ObjectNode d = firehose.description(info);
        if (!FirehoseBackend.status(d).equals(FirehoseBackend.ACTIVE)) {
            throw FirehoseBackend.notFound(ctx, name);
        }
        String type = d.path("DeliveryStreamType").asText();
        if ("KinesisStreamAsSource".equals(type) || "MSKAsSource".equals(type)) {
            throw FirehoseBackend.invalidArgument("This operation is not permitted on " + type + " type.");
        }
        boolean encrypted = "ENABLED".equals(d.path("DeliveryStreamEncryptionConfiguration").path("Status").asText());
        return new Target(info.name(), info.id(), encrypted);
    }

    /**
     * An opaque record id, unique per delivery stream incarnation and record: the store's stream
     * id and the record's offset in the buffer log, as 32 hex digits. (AWS's ids are longer and
     * opaque; clients only echo them.)
     */
    static String recordId(long streamId, long offset) {
        return String.format("%016x%016x", streamId, offset);
    }
}
