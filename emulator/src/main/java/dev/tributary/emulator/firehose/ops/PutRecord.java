package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.AppendResult;
import java.util.List;

/**
 * Accepts one record: once it is in the delivery stream's buffer log (and so survives a
 * restart), answers with its RecordId. Rejected on a stream with a Kinesis source.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecord.html">PutRecord</a>
 */
public final class PutRecord extends FirehoseOperation<PutRecord.Request, PutRecord.Response> {

    public record Record(byte[] data) {
    }

    public record Request(String deliveryStreamName, Record record) {
    }

    public record Response(String recordId, Boolean encrypted) {
    }

    private final Puts puts;

    public PutRecord(FirehoseBackend firehose) {
        super(firehose, Request.class);
        this.puts = new Puts(firehose);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        Puts.Target target = puts.target(ctx, in.deliveryStreamName());
        AppendResult r = firehose.engine().put(target.storeKey(), List.of(in.record().data()));
        return new Response(Puts.recordId(target.streamId(), r.firstOffset()), target.encrypted());
    }
}
