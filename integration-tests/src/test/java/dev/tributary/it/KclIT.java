package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.KinesisClientUtil;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * The Kinesis Client Library 3.x against Tributary alone: Kinesis, the DynamoDB lease,
 * coordinator-state and worker-metrics tables, and CloudWatch metrics all on the one port. Each
 * test runs a Scheduler over a two-shard stream, checks that every record put before and after a
 * SplitShard and a MergeShards reaches the record processor exactly once and in order per shard,
 * that every parent ends (and checkpoints SHARD_END) before its children's records are processed,
 * and that KCL's metrics reached CloudWatch.
 */
class KclIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    Tributary server;
    KinesisClient kinesis;
    KinesisAsyncClient kinesisAsync;
    DynamoDbAsyncClient dynamo;
    CloudWatchAsyncClient cloudWatch;

    @BeforeEach
    void start() {
        server = Tributary.start(EmulatorConfig.forTests());
        URI endpoint = server.endpoint();
        kinesis = Clients.apache(endpoint);
        kinesisAsync = KinesisClientUtil.createKinesisAsyncClient(KinesisAsyncClient.builder()
                .endpointOverride(endpoint).region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS));
        dynamo = DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                .credentialsProvider(Clients.CREDENTIALS).build();
        cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                .credentialsProvider(Clients.CREDENTIALS).build();
    }

    @AfterEach
    void stop() {
        kinesisAsync.close();
        dynamo.close();
        cloudWatch.close();
        kinesis.close();
        server.close();
    }

    @Test
    void pollingReadsEveryRecordThroughSplitAndMergeParentsFirst() throws Exception {
        runScenario("kcl-polling", true);
    }

    @Test
    void fanOutReadsEveryRecordThroughSplitAndMergeParentsFirst() throws Exception {
        runScenario("kcl-fanout", false);
    }

    private void runScenario(String stream, boolean polling) throws Exception {
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        awaitActive(stream);
        Set<String> expected = new LinkedHashSet<>();
        put(stream, "before", 60, expected);

        Collector collector = new Collector();
        String app = stream + "-app";
        Scheduler scheduler = scheduler(stream, app, "worker-1", polling, collector, kinesisAsync, dynamo, cloudWatch);
        Thread worker = start(scheduler);
        try {
            await(() -> collector.payloads().containsAll(expected), "the records put before the scheduler started");

            // Split the first shard mid-run; the parent must end before its children are read.
            String parent = Kit.shardId(0);
            BigInteger mid = Kit.KEY_SPACE.shiftRight(2);
            kinesis.splitShard(b -> b.streamName(stream).shardToSplit(parent).newStartingHashKey(mid.toString()));
            awaitActive(stream);
            put(stream, "after", 60, expected);
            await(() -> collector.payloads().containsAll(expected), "the records put after the split");
            await(() -> collector.ended().contains(parent), "the parent's ShardEnded");

            // Merge the split's upper child with its neighbour; both must end before the merged child is read.
            List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
            List<String> children = shards.stream().filter(s -> parent.equals(s.parentShardId()))
                    .map(Shard::shardId).toList();
            assertThat(children).containsExactly(Kit.shardId(2), Kit.shardId(3));
            kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(Kit.shardId(3)).adjacentShardToMerge(Kit.shardId(1)));
            awaitActive(stream);
            put(stream, "merged", 40, expected);
            await(() -> collector.payloads().containsAll(expected), "the records put after the merge");
            await(() -> collector.ended().containsAll(List.of(Kit.shardId(1), Kit.shardId(3))), "the merge parents' ShardEnded");

            List<String> received = collector.payloadList();
            assertThat(received).hasSize(expected.size());
            assertThat(new LinkedHashSet<>(received)).isEqualTo(expected);
            assertParentsEndFirst(collector, parent, children);
            assertParentsEndFirst(collector, Kit.shardId(1), List.of(Kit.shardId(4)));
            assertParentsEndFirst(collector, Kit.shardId(3), List.of(Kit.shardId(4)));
            collector.assertPerShardOrder();

            // The lease table (DynamoDB) holds SHARD_END for the parent's checkpoint.
            Map<String, AttributeValue> lease = dynamo.getItem(b -> b.tableName(app).consistentRead(true)
                    .key(Map.of("leaseKey", AttributeValue.fromS(parent)))).get(10, TimeUnit.SECONDS).item();
            assertThat(lease.get("checkpoint").s()).isEqualTo("SHARD_END");
            // KCL's metrics reached CloudWatch (namespace = application name) and can be listed back.
            await(() -> !cloudWatch.listMetrics(b -> b.namespace(app)).join().metrics().isEmpty(), "KCL metrics in CloudWatch");
        } finally {
            scheduler.startGracefulShutdown().get(30, TimeUnit.SECONDS);
            worker.join(10_000);
        }
    }

    private static void assertParentsEndFirst(Collector collector, String parent, List<String> children) {
        int endOfParent = collector.indexOf("END " + parent);
        assertThat(endOfParent).as("ShardEnded of %s", parent).isNotNegative();
        for (String child : children) {
            int firstOfChild = collector.firstRecordIndex(child);
            assertThat(firstOfChild).as("records read from %s", child).isNotNegative();
            assertThat(endOfParent).as("%s ends before %s is read", parent, child).isLessThan(firstOfChild);
        }
    }

    /** A Scheduler with the short intervals docs/kcl.md recommends for tests, polling or (by default) fan-out. */
    static Scheduler scheduler(String stream, String app, String workerId, boolean polling, Collector collector,
                               KinesisAsyncClient kinesisAsync, DynamoDbAsyncClient dynamo, CloudWatchAsyncClient cloudWatch) {
        ConfigsBuilder configs = new ConfigsBuilder(new SingleStreamTracker(stream,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                app, kinesisAsync, dynamo, cloudWatch, workerId, () -> new Processor(collector));
        var retrieval = configs.retrievalConfig();
        if (polling) {
            retrieval.retrievalSpecificConfig(new PollingConfig(stream, kinesisAsync).idleTimeBetweenReadsInMillis(200));
        }
        return new Scheduler(configs.checkpointConfig(),
                configs.coordinatorConfig().parentShardPollIntervalMillis(500).shardConsumerDispatchPollIntervalMillis(200)
                        .schedulerInitializationBackoffTimeMillis(500),
                configs.leaseManagementConfig().failoverTimeMillis(3000).shardSyncIntervalMillis(1000)
                        .listShardsBackoffTimeInMillis(200),
                configs.lifecycleConfig(), configs.metricsConfig().metricsBufferTimeMillis(1000), configs.processorConfig(),
                retrieval);
    }

    private static Thread start(Scheduler scheduler) {
        Thread worker = new Thread(scheduler, "kcl-scheduler");
        worker.setDaemon(true);
        worker.start();
        return worker;
    }

    private void put(String stream, String prefix, int n, Set<String> expected) {
        for (int i = 0; i < n; i++) {
            String payload = prefix + "-" + i;
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("pk-" + payload).data(SdkBytes.fromUtf8String(payload)));
            expected.add(payload);
        }
    }

    private void awaitActive(String stream) throws InterruptedException {
        await(() -> kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE, "stream " + stream + " ACTIVE");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** What the record processors saw, in order: "REC shard payload" and "END shard" events. */
    static final class Collector {
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());
        /** Payload to the partition key the record processor saw (user records' own keys after de-aggregation). */
        final java.util.Map<String, String> keys = new java.util.concurrent.ConcurrentHashMap<>();

        void record(String shard, String payload) {
            events.add("REC " + shard + " " + payload);
        }

        void end(String shard) {
            events.add("END " + shard);
        }

        List<String> payloadList() {
            List<String> out = new ArrayList<>();
            synchronized (events) {
                for (String e : events) {
                    if (e.startsWith("REC ")) {
                        out.add(e.substring(e.indexOf(' ', 4) + 1));
                    }
                }
            }
            return out;
        }

        Set<String> payloads() {
            return new LinkedHashSet<>(payloadList());
        }

        Set<String> ended() {
            Set<String> out = new LinkedHashSet<>();
            synchronized (events) {
                for (String e : events) {
                    if (e.startsWith("END ")) {
                        out.add(e.substring(4));
                    }
                }
            }
            return out;
        }

        /** Within each shard, the records of each batch ("before-3", "after-7") arrive in the order they were put. */
        void assertPerShardOrder() {
            Map<String, Integer> last = new HashMap<>();
            synchronized (events) {
                for (String e : events) {
                    if (!e.startsWith("REC ")) {
                        continue;
                    }
                    String[] parts = e.split(" ");
                    String prefix = parts[2].substring(0, parts[2].lastIndexOf('-'));
                    int n = Integer.parseInt(parts[2].substring(parts[2].lastIndexOf('-') + 1));
                    Integer previous = last.put(parts[1] + " " + prefix, n);
                    assertThat(previous == null || previous < n).as("order in %s at %s", parts[1], parts[2]).isTrue();
                }
            }
        }

        int indexOf(String event) {
            return events.indexOf(event);
        }

        int firstRecordIndex(String shard) {
            synchronized (events) {
                for (int i = 0; i < events.size(); i++) {
                    if (events.get(i).startsWith("REC " + shard + " ")) {
                        return i;
                    }
                }
            }
            return -1;
        }
    }

    /** Records every record, checkpoints after each batch and at the end of a shard. */
    static final class Processor implements ShardRecordProcessor {
        private final Collector collector;
        private String shardId;

        Processor(Collector collector) {
            this.collector = collector;
        }

        @Override
        public void initialize(InitializationInput in) {
            shardId = in.shardId();
        }

        @Override
        public void processRecords(ProcessRecordsInput in) {
            for (KinesisClientRecord r : in.records()) {
                String payload = StandardCharsets.UTF_8.decode(r.data()).toString();
                collector.record(shardId, payload);
                collector.keys.put(payload, r.partitionKey());
            }
            try {
                in.checkpointer().checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException("checkpoint failed on " + shardId, e);
            }
        }

        @Override
        public void leaseLost(LeaseLostInput in) {
        }

        @Override
        public void shardEnded(ShardEndedInput in) {
            collector.end(shardId);
            try {
                in.checkpointer().checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException("SHARD_END checkpoint failed on " + shardId, e);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput in) {
            try {
                in.checkpointer().checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException("shutdown checkpoint failed on " + shardId, e);
            }
        }
    }

}
