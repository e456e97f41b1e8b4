package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.SequenceNumbers;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.ShardIterators;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.StreamInfo;
import java.time.Instant;

/**
 * Returns an iterator positioned in a shard: TRIM_HORIZON (oldest retained record), LATEST (just
 * after the newest), AT_SEQUENCE_NUMBER / AFTER_SEQUENCE_NUMBER (a shard's StartingSequenceNumber
 * included), or AT_TIMESTAMP (first record at or after the time). Iterators expire 300 s after
 * they are issued.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html">GetShardIterator</a>
 */
public final class GetShardIterator extends KinesisOperation<GetShardIterator.Request, GetShardIterator.Response> {

    public record Request(String streamName, String shardId, String shardIteratorType, String startingSequenceNumber,
                          Instant timestamp, String streamARN, String streamId, Boolean dryRun) {
    }

    public record Response(String shardIterator) {
    }

    public GetShardIterator(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    @Override
    public Response execute(RequestContext ctx, Request in) {
        StreamRef ref = kinesis.ref(ctx, in.streamName(), in.streamARN());
        String type = in.shardIteratorType();
        boolean bySequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
        if (bySequence && in.startingSequenceNumber() == null) {
            throw KinesisBackend.invalidArgument(sequenceRule(type) + " and no StartingSequenceNumber.");
        }
        if (!bySequence && in.startingSequenceNumber() != null) {
            throw KinesisBackend.invalidArgument(sequenceRule(type) + " and also a StartingSequenceNumber.");
        }
        if (!type.equals("AT_TIMESTAMP") && in.timestamp() != null) {
            // The rule is AWS's (Timestamp belongs to AT_TIMESTAMP only); its text is not public, so
            // this one mirrors AWS's message for the opposite case.
            throw KinesisBackend.invalidArgument("Must specify timestampInMillis parameter only for iterator of type "
                    + "AT_TIMESTAMP. Current request has a timestamp parameter and iterator type " + type + ".");
        }
        long now = kinesis.nowMillis();
        if (type.equals("AT_TIMESTAMP")) {
            if (in.timestamp() == null) {
                throw KinesisBackend.invalidArgument("Must specify timestampInMillis parameter for iterator of type "
                        + "AT_TIMESTAMP. Current request has no timestamp parameter.");
            }
            if (in.timestamp().toEpochMilli() > now) {
                throw KinesisBackend.invalidArgument("The timestampInMillis parameter cannot be greater than the "
                        + "currentTimestampInMillis. timestampInMillis: " + in.timestamp().toEpochMilli()
                        + ", currentTimestampInMillis: " + now);
            }
        }
        // AWS answers an unknown stream here as an unknown shard of it.
        StreamInfo info = kinesis.find(ref).orElse(null);
        ShardInfo shard = kinesis.shardForRead(ref, info, in.shardId());
        KinesisBackend.checkDryRun(in.dryRun());
        if (!kinesis.throttling().tryIterator(info.name(), shard.index())) {
            throw KinesisBackend.throttled(ref, shard.index());
        }
        ShardLog log = kinesis.store().log(info.name(), shard.index());
        long offset = startOffset(ref, shard, log, type, in.startingSequenceNumber(), in.timestamp());
        return new Response(ShardIterators.encode(now, info.id(), shard.index(), offset, info.name()));
    }

    /**
     * The offset a starting position names: TRIM_HORIZON, LATEST, AT_TIMESTAMP, or
     * AT/AFTER_SEQUENCE_NUMBER. Shared with SubscribeToShard's StartingPosition.
     */
    public static long startOffset(StreamRef ref, ShardInfo shard, ShardLog log, String type, String sequenceNumber,
                                   Instant timestamp) {
        return switch (type) {
            case "TRIM_HORIZON" -> log.startOffset();
            case "LATEST" -> log.endOffset();
            case "AT_TIMESTAMP" -> log.offsetForTimestamp(timestamp.toEpochMilli());
            default -> bySequence(ref, shard, log, sequenceNumber, type.equals("AT_SEQUENCE_NUMBER"));
        };
    }

    private static long bySequence(StreamRef ref, ShardInfo shard, ShardLog log, String seq, boolean at) {
        String shardId = ShardIds.format(shard.index());
        SequenceNumbers.Decoded d = SequenceNumbers.decode(seq);
        if (d == null) {
            throw KinesisBackend.invalidArgument("StartingSequenceNumber " + seq + " used in GetShardIterator on shard "
                    + shardId + " in stream " + ref.name() + " under account " + ref.account() + " is invalid.");
        }
        if (d.shardIndex() != shard.index()) {
            throw KinesisBackend.invalidArgument("Invalid StartingSequenceNumber. It encodes "
                    + ShardIds.format(d.shardIndex()) + ", while it was used in a call to a shard with " + shardId);
        }
        long offset = at ? d.atOffset() : d.afterOffset();
        if (d.shardCreatedMillis() != shard.createdAt().toEpochMilli() || offset > log.endOffset()) {
            throw KinesisBackend.invalidArgument("StartingSequenceNumber " + seq + " used in GetShardIterator on shard "
                    + shardId + " in stream " + ref.name() + " under account " + ref.account()
                    + " is invalid because it did not come from this stream.");
        }
        return offset;
    }

    private static String sequenceRule(String type) {
        return "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or "
                + "(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " + type;
    }
}
