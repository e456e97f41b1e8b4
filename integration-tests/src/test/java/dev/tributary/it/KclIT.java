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
 * SplitShard reaches the record processor exactly once, and that the split parent ends (and
 * checkpoints SHARD_END) before its children's records are processed.
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
    void pollingReadsEveryRecordAndEndsParentsBeforeChildren() throws Exception {
        runScenario("kcl-polling", true);
    }

    @Test
    void fanOutReadsEveryRecordAndEndsParentsBeforeChildren() throws Exception {
        runScenario("kcl-fanout", false);
    }

    private void runScenario(String stream, boolean polling) throws Exception {
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        awaitActive(stream);
        Set<String> expected = new LinkedHashSet<>();
        put(stream, "before", 60, expected);

        Collector collector = new Collector();
        String app = stream + "-app";
        ConfigsBuilder configs = new ConfigsBuilder(new SingleStreamTracker(stream,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                app, kinesisAsync, dynamo, cloudWatch, "worker-1", () -> new Processor(collector));
        var retrieval = configs.retrievalConfig();
        if (polling) {
            retrieval.retrievalSpecificConfig(new PollingConfig(stream, kinesisAsync).idleTimeBetweenReadsInMillis(200));
        }
        Scheduler scheduler = new Scheduler(configs.checkpointConfig(),
                configs.coordinatorConfig().parentShardPollIntervalMillis(500).shardConsumerDispatchPollIntervalMillis(200)
                        .schedulerInitializationBackoffTimeMillis(500),
                configs.leaseManagementConfig().failoverTimeMillis(3000).shardSyncIntervalMillis(1000)
                        .listShardsBackoffTimeInMillis(200),
                configs.lifecycleConfig(), configs.metricsConfig().metricsBufferTimeMillis(1000), configs.processorConfig(),
                retrieval);
        Thread worker = new Thread(scheduler, "kcl-scheduler");
        worker.setDaemon(true);
        worker.start();
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

            List<String> received = collector.payloadList();
            assertThat(received).hasSize(expected.size());
            assertThat(new LinkedHashSet<>(received)).isEqualTo(expected);

            List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
            List<String> children = shards.stream().filter(s -> parent.equals(s.parentShardId()))
                    .map(Shard::shardId).toList();
            assertThat(children).hasSize(2);
            for (String child : children) {
                int endOfParent = collector.indexOf("END " + parent);
                int firstOfChild = collector.firstRecordIndex(child);
                if (firstOfChild >= 0) {
                    assertThat(endOfParent).as("parent ends before child %s", child).isLessThan(firstOfChild);
                }
            }
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
                collector.record(shardId, StandardCharsets.UTF_8.decode(r.data()).toString());
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
