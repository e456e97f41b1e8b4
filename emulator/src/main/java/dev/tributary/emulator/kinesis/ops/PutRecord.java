package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StreamInfo;
import java.math.BigInteger;
import java.util.List;

/**
 * Writes one record to the open shard whose hash-key range contains the MD5 of its partition key
 * (or its ExplicitHashKey), and answers with the record's shard and sequence number once the
 * record is in the shard's log.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html">PutRecord</a>
 */
public final class PutRecord extends KinesisOperation<PutRecord.Request, PutRecord.Response> {

    public record Request(String streamName, byte[] data, String partitionKey, String explicitHashKey,
                          String sequenceNumberForOrdering, String streamARN, String streamId, Boolean dryRun) {
    }

    public record Response(String shardId, String sequenceNumber, String encryptionType) {
    }

    private final RecordRouting routing;

    public PutRecord(KinesisBackend kinesis) {
        super(kinesis, Request.class);
        this.routing = new RecordRouting(kinesis);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        if (in.sequenceNumberForOrdering() != null && SequenceNumbers.decode(in.sequenceNumberForOrdering()) == null) {
            throw KinesisBackend.invalidArgument("ExclusiveMinimumSequenceNumber " + in.sequenceNumberForOrdering()
                    + " used in PutRecord on stream " + ref.name() + " under account " + ref.account()
                    + " is invalid.");
        }
        StreamInfo first = kinesis.getForWrite(ref);
        RecordRouting.checkRecord(first, in.data(), in.partitionKey(), "");
        BigInteger hashKey = routing.hashKey(first, in.partitionKey(), in.explicitHashKey());
        for (int attempt = 0; ; attempt++) {
            StreamInfo info = attempt == 0 ? first : kinesis.getForWrite(ref);
            ShardInfo shard = kinesis.route(info, hashKey);
            boolean kms = "KMS".equals(KinesisBackend.encryptionType(info));
            if (attempt == 0) {
                KinesisBackend.checkDryRun(in.dryRun());
            }
            if (attempt == 0 && !kinesis.throttling().tryWrite(info.name(), shard.index(),
                    in.data().length + RecordRouting.keyBytes(in.partitionKey()).length)) {
                throw KinesisBackend.throttled(ref, shard.index());
            }
            dev.tributary.emulator.control.Faults.Hit fault = attempt == 0
                    ? kinesis.shardFault("PutRecord", ref, shard.index()) : null;
            if (fault != null) {
                throw new dev.tributary.emulator.protocol.AwsException(fault.error(), fault.message());
            }
            try {
                AppendResult result = routing.append(ref, info, shard, List.of(new AppendRecord(kinesis.nowMillis(),
                        RecordRouting.keyBytes(in.partitionKey()), in.data(), kms ? KinesisBackend.FLAG_KMS : 0)));
                kinesis.metrics().recordsIn(ref.name(), 1, in.data().length);
                return new Response(ShardIds.format(shard.index()),
                        SequenceNumbers.ofRecord(shard.createdAt().toEpochMilli(), shard.index(), result.firstOffset()),
                        kms ? "KMS" : null);
            } catch (RecordRouting.ShardMoved e) {
                if (attempt >= RecordRouting.MAX_REROUTES) {
                    throw new IllegalStateException("shard kept closing under a write", e);
                }
            }
        }
    }
}
