package dev.tributary.emulator.kinesis;

import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.kinesis.shapes.KinesisShapes;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.CommonError;
import dev.tributary.emulator.protocol.ModelValidator;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state and rules Kinesis operations share: resolving a stream from a name or ARN per account
 * and region, the stream status machine (CREATING, ACTIVE, UPDATING, DELETING, each transition
 * completing after its configured delay on the injected clock), routing partition keys to shards,
 * and AWS's error texts for missing streams and shards.
 *
 * <p>Kinesis settings live in the store's per-stream attributes under {@code kinesis.*}, so they
 * change atomically with the topology and survive restarts. Status transitions are evaluated
 * lazily against the clock whenever a stream is looked up, so a test that moves the clock sees
 * them complete without any background thread.
 *
 * <p>Thread-safe.
 */
public final class KinesisBackend implements AutoCloseable {
    public static final String STATUS = "kinesis.status";
    public static final String STATUS_UNTIL = "kinesis.statusUntil";
    public static final String MODE = "kinesis.streamMode";
    public static final String ENCRYPTION = "kinesis.encryptionType";
    public static final String KEY_ID = "kinesis.keyId";
    public static final String METRICS = "kinesis.shardLevelMetrics";
    public static final String TAG_PREFIX = "tag:";
    public static final String MAX_RECORD_KIB = "kinesis.maxRecordSizeInKiB";
    public static final String WARM_THROUGHPUT = "kinesis.warmThroughputMiBps";
    public static final String DISTRIBUTION = "kinesis.recordDistributionStrategy";
    /** AWS's default maximum record size, data plus partition key: 1 MiB. */
    public static final int DEFAULT_MAX_RECORD_KIB = 1024;

    public static final String CREATING = "CREATING";
    public static final String ACTIVE = "ACTIVE";
    public static final String UPDATING = "UPDATING";
    public static final String DELETING = "DELETING";

    /** Record flag: written while the stream was KMS-encrypted. */
    public static final int FLAG_KMS = 1;

    private final ShardStore store;
    private final EmulatorConfig config;
    private final Clock clock;
    private final Map<Long, Router> routers = new ConcurrentHashMap<>();
    private final Throttling throttling;
    private final ThreadLocal<MessageDigest> md5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public KinesisBackend(ShardStore store, EmulatorConfig config) {
        this(store, config, new dev.tributary.emulator.metrics.Metrics());
    }

    /** @param metrics where the data-plane operations count records in and out */
    public KinesisBackend(ShardStore store, EmulatorConfig config, dev.tributary.emulator.metrics.Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.config = config;
        this.clock = config.clock();
        this.throttling = new Throttling(config.throughputLimits(), clock);
        this.fanOut = new dev.tributary.emulator.kinesis.fanout.FanOut(clock);
        metrics.gauge("tributary_fanout_budget_waits", "Times an enhanced fan-out subscription waited for its"
                + " 2 MiB/s per-shard budget (--throughput-limits).", fanOut::budgetWaits);
    }

    private final dev.tributary.emulator.kinesis.fanout.FanOut fanOut;
    private final dev.tributary.emulator.metrics.Metrics metrics;

    private volatile dev.tributary.emulator.control.Faults faults;

    /** The fault registry whose shard-scoped rules data-plane operations check. */
    public void setFaults(dev.tributary.emulator.control.Faults registry) {
        this.faults = registry;
    }

    /**
     * Applies a shard-scoped injected fault (test-control API) to a call of {@code operation} that
     * reaches {@code shardIndex}: waits the rule's latency, and answers the rule's error, or null.
     */
    public dev.tributary.emulator.control.Faults.Hit shardFault(String operation, StreamRef ref, int shardIndex) {
        dev.tributary.emulator.control.Faults f = faults;
        if (f == null || f.isEmpty()) {
            return null;
        }
        dev.tributary.emulator.control.Faults.Hit hit = f.checkShard("kinesis", operation, ref.name(),
                ShardIds.format(shardIndex));
        if (hit != null && hit.latencyMillis() > 0) {
            try {
                Thread.sleep(hit.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return hit == null || hit.error() == null ? null : hit;
    }

    /** The registry served at {@code GET /_tributary/metrics}. */
    public dev.tributary.emulator.metrics.Metrics metrics() {
        return metrics;
    }
    private final dev.tributary.emulator.kinesis.channels.Channels channels =
            new dev.tributary.emulator.kinesis.channels.Channels(this);

    /** The account's channels (kept in memory). */
    public dev.tributary.emulator.kinesis.channels.Channels channels() {
        return channels;
    }

    /** The live enhanced fan-out subscriptions. */
    public dev.tributary.emulator.kinesis.fanout.FanOut fanOut() {
        return fanOut;
    }

    @Override
    public void close() {
        fanOut.close();
    }

    public Throttling throttling() {
        return throttling;
    }

    /** AWS's throttling error for a shard. */
    public static AwsException throttled(StreamRef ref, int shardIndex) {
        return new AwsException(KinesisError.PROVISIONED_THROUGHPUT_EXCEEDED, throttledMessage(ref, shardIndex));
    }

    public static String throttledMessage(StreamRef ref, int shardIndex) {
        return "Rate exceeded for shard " + ShardIds.format(shardIndex) + " in stream " + ref.name()
                + " under account " + ref.account() + ".";
    }

    public ShardStore store() {
        return store;
    }

    public EmulatorConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public long nowMillis() {
        return clock.millis();
    }

    // ---- resolving streams ------------------------------------------------------------------

    /**
     * The stream a request names, by {@code StreamName} or {@code StreamARN} (the ARN's account and
     * region win, as AWS addresses cross-account streams by ARN).
     */
    public StreamRef ref(RequestContext ctx, String streamName, String streamArn) {
        if (streamArn != null) {
            StreamRef byArn = StreamRef.ofArn(streamArn);
            if (byArn == null) {
                throw invalidArgument("StreamARN " + streamArn + " is invalid.");
            }
            if (streamName != null && !streamName.equals(byArn.name())) {
                throw invalidArgument("StreamARN " + streamArn + " and StreamName " + streamName
                        + " do not refer to the same stream.");
            }
            return byArn;
        }
        if (streamName == null) {
            // AWS's answer from before StreamARN existed, when StreamName was required.
            throw validation("null", "streamName", "Member must not be null");
        }
        return new StreamRef(ctx.account(), ctx.region(), streamName);
    }

    /** The stream, with its status transitions settled; empty when it does not exist (any more). */
    public Optional<StreamInfo> find(StreamRef ref) {
        Optional<StreamInfo> info = store.stream(ref.storeKey());
        if (info.isEmpty()) {
            return info;
        }
        return settle(info.get());
    }

    /** The stream, or {@code ResourceNotFoundException}. */
    public StreamInfo get(StreamRef ref) {
        return find(ref).orElseThrow(() -> streamNotFound(ref));
    }

    /** The stream when its status is ACTIVE (or UPDATING, when {@code updatingOk}); else ResourceInUse. */
    public StreamInfo getWritable(StreamRef ref, boolean updatingOk) {
        StreamInfo info = get(ref);
        String status = status(info);
        if (!status.equals(ACTIVE) && !(updatingOk && status.equals(UPDATING))) {
            throw new AwsException(KinesisError.RESOURCE_IN_USE, "Stream " + ref.name() + " under account "
                    + ref.account() + " not ACTIVE, instead in state " + status);
        }
        return info;
    }

    /**
     * The stream for a data-plane write: ACTIVE or UPDATING. AWS answers writes to a CREATING or
     * DELETING stream as if the stream did not exist.
     */
    public StreamInfo getForWrite(StreamRef ref) {
        StreamInfo info = get(ref);
        String status = status(info);
        if (!status.equals(ACTIVE) && !status.equals(UPDATING)) {
            throw streamNotFound(ref);
        }
        return info;
    }

    private Optional<StreamInfo> settle(StreamInfo info) {
        String status = status(info);
        String until = info.attributes().get(STATUS_UNTIL);
        if (until == null || status.equals(ACTIVE) || nowMillis() < Long.parseLong(until)) {
            return Optional.of(info);
        }
        try {
            if (status.equals(DELETING)) {
                deleteNow(info);
                return Optional.empty();
            }
            return Optional.of(store.updateStream(info.name(), attrs -> {
                Map<String, String> next = new HashMap<>(attrs);
                if (next.containsKey(STATUS_UNTIL) && nowMillis() >= Long.parseLong(next.get(STATUS_UNTIL))) {
                    next.put(STATUS, ACTIVE);
                    next.remove(STATUS_UNTIL);
                }
                return next;
            }, null));
        } catch (StreamNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Deletes a stream and forgets what was cached for it (its router, its throttling buckets). */
    public void deleteNow(StreamInfo info) {
        store.deleteStream(info.name());
        routers.remove(info.id());
        throttling.forget(info.name());
    }

    /** Moves a stream into a transitional status that ends after {@code delayMillis}. */
    public StreamInfo transition(StreamInfo info, String status, long delayMillis,
                                 java.util.function.UnaryOperator<Map<String, String>> alsoChange) {
        return store.updateStream(info.name(), attrs -> {
            Map<String, String> next = new HashMap<>(alsoChange.apply(attrs));
            if (delayMillis <= 0 && !status.equals(DELETING)) {
                next.put(STATUS, ACTIVE);
                next.remove(STATUS_UNTIL);
            } else {
                next.put(STATUS, status);
                next.put(STATUS_UNTIL, Long.toString(nowMillis() + delayMillis));
            }
            return next;
        }, null);
    }

    public static String status(StreamInfo info) {
        return info.attributes().getOrDefault(STATUS, ACTIVE);
    }

    public static String streamMode(StreamInfo info) {
        return info.attributes().getOrDefault(MODE, "PROVISIONED");
    }

    /** The largest record (data plus partition key) the stream accepts, in bytes. */
    public static int maxRecordBytes(StreamInfo info) {
        String kib = info.attributes().get(MAX_RECORD_KIB);
        return (kib == null ? DEFAULT_MAX_RECORD_KIB : Integer.parseInt(kib)) * 1024;
    }

    /** True when the stream spreads records evenly and ignores partition keys (AUTO). */
    public static boolean autoDistribution(StreamInfo info) {
        return "AUTO".equals(info.attributes().get(DISTRIBUTION));
    }

    public static String encryptionType(StreamInfo info) {
        return info.attributes().getOrDefault(ENCRYPTION, "NONE");
    }

    /** The streams of an account and region, ordered by name, settled. */
    public List<StreamInfo> streams(String account, String region) {
        String prefix = StreamRef.storeKeyPrefix(account, region);
        List<StreamInfo> out = new ArrayList<>();
        for (StreamInfo info : store.streams()) {
            if (info.name().startsWith(prefix)) {
                settle(info).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Open shards of every stream of the account and region: what the shard limit counts. */
    public int openShardCount(String account, String region) {
        int n = 0;
        for (StreamInfo info : streams(account, region)) {
            n += info.openShards().size();
        }
        return n;
    }

    // ---- shards -------------------------------------------------------------------------------

    /**
     * The shards a caller can see: every open shard, and closed shards until their records have
     * all expired (AWS drops a closed shard from listings once it is past the retention period).
     */
    public List<ShardInfo> visibleShards(StreamInfo info) {
        long horizon = nowMillis() - info.retention().toMillis();
        List<ShardInfo> out = new ArrayList<>(info.shards().size());
        for (ShardInfo s : info.shards()) {
            if (s.isOpen() || s.closedAt().toEpochMilli() >= horizon) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The shard GetShardIterator names: an id AWS cannot parse is "Could not find shard", a
     * well-formed id of no shard, or of a stream that does not exist (null {@code info}), "does not
     * exist" (in its normalized form, without a period).
     */
    public ShardInfo shardForRead(StreamRef ref, StreamInfo info, String shardId) {
        int index = ShardIds.parse(shardId);
        if (index < 0) {
            throw couldNotFindShard(ref, shardId);
        }
        Optional<ShardInfo> shard = info == null ? Optional.empty() : info.shard(index);
        return shard.orElseThrow(() -> new AwsException(KinesisError.RESOURCE_NOT_FOUND, "Shard "
                + ShardIds.format(index) + " in stream " + ref.name() + " under account " + ref.account()
                + " does not exist"));
    }

    /** The shard SplitShard and MergeShards name, or "Could not find shard" in AWS's words. */
    public ShardInfo shardForReshard(StreamRef ref, StreamInfo info, String shardId) {
        int index = ShardIds.parse(shardId);
        if (index < 0) {
            throw couldNotFindShard(ref, shardId);
        }
        return info.shard(index).orElseThrow(() -> couldNotFindShard(ref, ShardIds.format(index)));
    }

    private static AwsException couldNotFindShard(StreamRef ref, String shown) {
        return new AwsException(KinesisError.RESOURCE_NOT_FOUND, "Could not find shard " + shown + " in stream "
                + ref.name() + " under account " + ref.account() + ".");
    }

    public KinesisShapes.Shard toShape(ShardInfo s) {
        long created = s.createdAt().toEpochMilli();
        String end = null;
        if (!s.isOpen()) {
            end = s.endOffset() == 0 ? SequenceNumbers.start(created, s.index())
                    : SequenceNumbers.ofRecord(created, s.index(), s.endOffset() - 1);
        }
        return new KinesisShapes.Shard(ShardIds.format(s.index()),
                s.parent().isPresent() ? ShardIds.format(s.parent().getAsInt()) : null,
                s.adjacentParent().isPresent() ? ShardIds.format(s.adjacentParent().getAsInt()) : null,
                hashKeyRange(s.keyRange()),
                new KinesisShapes.SequenceNumberRange(SequenceNumbers.start(created, s.index()), end));
    }

    public static KinesisShapes.HashKeyRange hashKeyRange(KeyRange r) {
        return new KinesisShapes.HashKeyRange(r.start().toString(), r.end().toString());
    }

    /** The children of a shard, as GetRecords reports them at the end of a closed shard. */
    public List<KinesisShapes.ChildShard> children(StreamInfo info, int shardIndex) {
        List<KinesisShapes.ChildShard> out = new ArrayList<>();
        for (ShardInfo s : info.shards()) {
            boolean child = (s.parent().isPresent() && s.parent().getAsInt() == shardIndex)
                    || (s.adjacentParent().isPresent() && s.adjacentParent().getAsInt() == shardIndex);
            if (child) {
                List<String> parents = new ArrayList<>();
                s.parent().ifPresent(p -> parents.add(ShardIds.format(p)));
                s.adjacentParent().ifPresent(p -> parents.add(ShardIds.format(p)));
                out.add(new KinesisShapes.ChildShard(ShardIds.format(s.index()), parents, hashKeyRange(s.keyRange())));
            }
        }
        return out;
    }

    // ---- routing ------------------------------------------------------------------------------

    /** MD5 of the partition key's UTF-8 bytes as an unsigned 128-bit integer. */
    public BigInteger hashKey(String partitionKey) {
        MessageDigest digest = md5.get();
        byte[] hash = digest.digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        return new BigInteger(1, hash);
    }

    /** The open shard whose hash-key range contains {@code key}, bounds inclusive. */
    public ShardInfo route(StreamInfo info, BigInteger key) {
        Router router = routers.get(info.id());
        if (router == null || router.version != info.version()) {
            router = new Router(info);
            routers.put(info.id(), router);
        }
        return router.route(key);
    }

    /** Open shards sorted by starting hash key, for a binary search per record. */
    private static final class Router {
        final long version;
        final ShardInfo[] shards;
        final BigInteger[] starts;

        Router(StreamInfo info) {
            this.version = info.version();
            this.shards = info.openShards().stream()
                    .sorted((a, b) -> a.keyRange().start().compareTo(b.keyRange().start()))
                    .toArray(ShardInfo[]::new);
            this.starts = Arrays.stream(shards).map(s -> s.keyRange().start()).toArray(BigInteger[]::new);
        }

        ShardInfo route(BigInteger key) {
            int i = Arrays.binarySearch(starts, key);
            if (i < 0) {
                i = -i - 2;
            }
            if (i < 0 || !shards[i].keyRange().contains(key)) {
                throw new IllegalStateException("no open shard covers hash key " + key);
            }
            return shards[i];
        }
    }

    // ---- errors -------------------------------------------------------------------------------

    public static AwsException streamNotFound(StreamRef ref) {
        return new AwsException(KinesisError.RESOURCE_NOT_FOUND,
                "Stream " + ref.name() + " under account " + ref.account() + " not found.");
    }

    /**
     * What a request with {@code DryRun: true} gets once every check has passed, instead of its
     * effect. AWS names the error; its message text is not public, so this one is ours.
     */
    public static void checkDryRun(Boolean dryRun) {
        if (Boolean.TRUE.equals(dryRun)) {
            throw new AwsException(KinesisError.DRY_RUN,
                    "The request would have succeeded, but the DryRun parameter was set.");
        }
    }

    public static AwsException invalidArgument(String message) {
        return new AwsException(KinesisError.INVALID_ARGUMENT, message);
    }

    public static AwsException validation(String renderedValue, String path, String constraint) {
        return new AwsException(CommonError.VALIDATION,
                ModelValidator.message(List.of(ModelValidator.violation(renderedValue, path, constraint))));
    }

    public static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
