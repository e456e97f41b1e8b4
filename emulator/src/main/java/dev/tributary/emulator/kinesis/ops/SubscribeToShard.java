package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.fanout.FanOut;
import dev.tributary.emulator.kinesis.fanout.Subscription;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.AwsMappers;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.emulator.protocol.StreamingOutput;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardLog;
import java.time.Instant;

/**
 * Enhanced fan-out: streams a shard's records to an ACTIVE consumer as an event stream for up to 5
 * minutes (see {@link Subscription}). A second subscription of the same consumer and shard within
 * 5 s is refused with ResourceInUseException; after 5 s it takes over.
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html">SubscribeToShard</a>
 */
public final class SubscribeToShard extends KinesisOperation<SubscribeToShard.Request, StreamingOutput> {

    public record StartingPosition(String type, String sequenceNumber, Instant timestamp) {
    }

    public record Request(String consumerARN, String streamId, String shardId, StartingPosition startingPosition,
                          Boolean dryRun) {
    }

    private final FanOut fanOut;
    private final AwsMappers mappers;

    public SubscribeToShard(KinesisBackend kinesis, FanOut fanOut, AwsMappers mappers) {
        super(kinesis, Request.class);
        this.fanOut = fanOut;
        this.mappers = mappers;
    }

    @Override
    public StreamingOutput execute(RequestContext ctx, Request in) {
        Consumers.Located c = Consumers.locate(kinesis, ctx, null, null, in.consumerARN());
        long now = kinesis.nowMillis();
        if (!KinesisBackend.ACTIVE.equals(c.consumer().statusAt(now))) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE, "Consumer " + c.consumer().name()
                    + " with creation timestamp " + c.consumer().createdMillis() + " under stream "
                    + c.stream().name() + " and account " + c.stream().account() + " is not in ACTIVE status.");
        }
        ShardInfo shard = kinesis.shardForRead(c.stream(), c.info(), in.shardId());
        StartingPosition p = in.startingPosition();
        boolean bySequence = p.type().equals("AT_SEQUENCE_NUMBER") || p.type().equals("AFTER_SEQUENCE_NUMBER");
        if (bySequence && p.sequenceNumber() == null) {
            throw KinesisBackend.invalidArgument("StartingPosition.SequenceNumber is required for type " + p.type() + ".");
        }
        if (p.type().equals("AT_TIMESTAMP") && p.timestamp() == null) {
            throw KinesisBackend.invalidArgument("StartingPosition.Timestamp is required for type AT_TIMESTAMP.");
        }
        ShardLog log = kinesis.store().log(c.info().name(), shard.index());
        long offset = GetShardIterator.startOffset(c.stream(), shard, log, p.type(), p.sequenceNumber(), p.timestamp());
        KinesisBackend.checkDryRun(in.dryRun());
        Subscription subscription = new Subscription(fanOut, kinesis, mappers, ctx.format(), c.stream(),
                c.info().name(), c.consumer().arn(c.stream()), shard.index(), shard.createdAt().toEpochMilli(), offset);
        if (fanOut.register(subscription) != null) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE, "Another active subscription exists for this consumer: "
                    + in.consumerARN() + " and shard: " + in.shardId() + ".");
        }
        return subscription;
    }
}
