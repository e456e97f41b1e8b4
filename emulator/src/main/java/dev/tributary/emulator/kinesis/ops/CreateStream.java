package dev.tributary.emulator.kinesis.ops;

import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisError;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes.StreamModeDetails;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates a stream: CREATING, then ACTIVE after the configured delay. Without ShardCount, or in
 * ON_DEMAND mode, the stream gets 4 shards (AWS's on-demand starting capacity).
 *
 * @see <a href="https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html">CreateStream</a>
 */
public final class CreateStream extends KinesisOperation<CreateStream.Request, Void> {
    static final int DEFAULT_SHARDS = 4;
    static final int MAX_CREATING = 5;

    public record Request(String streamName, Integer shardCount, StreamModeDetails streamModeDetails,
                          Map<String, String> tags, Integer warmThroughputMiBps, Integer maxRecordSizeInKiB,
                          String recordDistributionStrategy) {
    }

    public CreateStream(KinesisBackend kinesis) {
        super(kinesis, Request.class);
    }

    /** AUTO distribution is for on-demand streams only (AWS's text is not public; this one is ours). */
    static void checkDistribution(String strategy, String mode) {
        if ("AUTO".equals(strategy) && !"ON_DEMAND".equals(mode)) {
            throw KinesisBackend.invalidArgument(
                    "RecordDistributionStrategy AUTO is only supported for streams in ON_DEMAND mode.");
        }
    }

    @Override
    public Void execute(RequestContext ctx, Request in) {
        StreamRef ref = new StreamRef(ctx.account(), ctx.region(), in.streamName());
        String mode = in.streamModeDetails() == null ? "PROVISIONED" : in.streamModeDetails().streamMode();
        int shards = in.shardCount() == null || mode.equals("ON_DEMAND") ? DEFAULT_SHARDS : in.shardCount();
        checkDistribution(in.recordDistributionStrategy(), mode);
        if (kinesis.find(ref).isPresent()) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE,
                    "Stream " + ref.name() + " under account " + ref.account() + " already exists.");
        }
        long creating = kinesis.streams(ref.account(), ref.region()).stream()
                .filter(s -> KinesisBackend.CREATING.equals(KinesisBackend.status(s))).count();
        if (creating >= MAX_CREATING) {
            // AWS documents the rule (at most 5 streams CREATING at once per account), not its text.
            throw new AwsException(KinesisError.LIMIT_EXCEEDED, "Only " + MAX_CREATING + " streams can be in "
                    + "CREATING state at the same time for account " + ref.account() + ". Try again once some are "
                    + "ACTIVE.");
        }
        int open = kinesis.openShardCount(ref.account(), ref.region());
        int limit = kinesis.config().shardLimit();
        if ((long) open + shards > limit) {
            throw new AwsException(KinesisError.LIMIT_EXCEEDED, "This request would exceed the shard limit for "
                    + "the account " + ref.account() + " in " + ref.region() + ". Current shard count for the "
                    + "account: " + open + ". Limit: " + limit + ". Number of additional shards that would have "
                    + "resulted from this request: " + shards + ". Refer to the AWS Service Limits page "
                    + "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits "
                    + "and how to request higher limits.");
        }
        Map<String, String> attrs = new HashMap<>();
        long delay = kinesis.config().createStreamDelay().toMillis();
        if (delay > 0) {
            attrs.put(KinesisBackend.STATUS, KinesisBackend.CREATING);
            attrs.put(KinesisBackend.STATUS_UNTIL, Long.toString(kinesis.nowMillis() + delay));
        } else {
            attrs.put(KinesisBackend.STATUS, KinesisBackend.ACTIVE);
        }
        attrs.put(KinesisBackend.MODE, mode);
        if (in.maxRecordSizeInKiB() != null) {
            attrs.put(KinesisBackend.MAX_RECORD_KIB, Integer.toString(in.maxRecordSizeInKiB()));
        }
        if (in.recordDistributionStrategy() != null) {
            attrs.put(KinesisBackend.DISTRIBUTION, in.recordDistributionStrategy());
        }
        if (in.warmThroughputMiBps() != null && mode.equals("ON_DEMAND")) {
            attrs.put(KinesisBackend.WARM_THROUGHPUT, Integer.toString(in.warmThroughputMiBps()));
        }
        if (in.tags() != null) {
            in.tags().forEach((k, v) -> attrs.put(KinesisBackend.TAG_PREFIX + k, v == null ? "" : v));
        }
        try {
            kinesis.store().createStream(new StreamSpec(ref.storeKey(), shards, Duration.ofHours(24), attrs));
        } catch (StreamExistsException e) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE,
                    "Stream " + ref.name() + " under account " + ref.account() + " already exists.");
        }
        return null;
    }
}
