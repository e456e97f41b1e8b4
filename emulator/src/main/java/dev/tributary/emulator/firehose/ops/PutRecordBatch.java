package dev.tributary.emulator.firehose.ops;

import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.AppendResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts up to 500 records (4 MiB in all) in one append to the buffer log. Partial failures are
 * data (FailedPutCount and a per-record ErrorCode); with no throttling there are none.
 *
 * @see <a href="https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html">PutRecordBatch</a>
 */
public final class PutRecordBatch extends FirehoseOperation<PutRecordBatch.Request, PutRecordBatch.Response> {
    /** The most a batch may carry, all records' data together: 4 MiB. */
    public static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    public record Request(String deliveryStreamName, List<PutRecord.Record> records) {
    }

    public record Entry(String recordId, String errorCode, String errorMessage) {
    }

    public record Response(Integer failedPutCount, Boolean encrypted, List<Entry> requestResponses) {
    }

    private final Puts puts;

    public PutRecordBatch(FirehoseBackend firehose) {
        super(firehose, Request.class);
        this.puts = new Puts(firehose);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        Puts.Target target = puts.target(ctx, in.deliveryStreamName());
        long total = 0;
        List<byte[]> data = new ArrayList<>(in.records().size());
        for (PutRecord.Record r : in.records()) {
            total += r.data().length;
            data.add(r.data());
        }
        if (total > MAX_BATCH_BYTES) {
            throw FirehoseBackend.invalidArgument("Records size exceeds 4 MB limit");
        }
        AppendResult result = firehose.engine().put(target.storeKey(), data);
        List<Entry> entries = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            entries.add(new Entry(Puts.recordId(target.streamId(), result.firstOffset() + i), null, null));
        }
        return new Response(0, target.encrypted(), entries);
    }
}
