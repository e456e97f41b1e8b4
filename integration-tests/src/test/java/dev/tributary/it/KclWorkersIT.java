package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.KinesisClientUtil;
import software.amazon.kinesis.coordinator.Scheduler;

/**
 * Two KCL 3.x workers of one application share a four-shard stream (polling, and enhanced fan-out,
 * KCL's default); when one stops, the
 * other takes over its leases and reads on from its checkpoints; after a Tributary restart on the
 * same data directory a new worker resumes from the checkpoints, reading only what was written
 * since.
 */
class KclWorkersIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String STREAM = "kcl-workers";
    private static final String APP = "kcl-workers-app";

    @TempDir
    Path dataDir;

    /** The three clients KCL needs, for one server. */
    private record Kcl(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo, CloudWatchAsyncClient cloudWatch)
            implements AutoCloseable {
        static Kcl of(URI endpoint) {
            return new Kcl(KinesisClientUtil.createKinesisAsyncClient(KinesisAsyncClient.builder()
                    .endpointOverride(endpoint).region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS)),
                    DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                            .credentialsProvider(Clients.CREDENTIALS).build(),
                    CloudWatchAsyncClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                            .credentialsProvider(Clients.CREDENTIALS).build());
        }

        Scheduler scheduler(String workerId, boolean polling, KclIT.Collector collector) {
            return KclIT.scheduler(STREAM, APP, workerId, polling, collector, kinesis, dynamo, cloudWatch);
        }

        Set<String> leaseOwners() {
            return dynamo.scan(b -> b.tableName(APP).consistentRead(true)).join().items().stream()
                    .map(i -> i.getOrDefault("leaseOwner", AttributeValue.fromS("")).s()).collect(Collectors.toSet());
        }

        @Override
        public void close() {
            kinesis.close();
            dynamo.close();
            cloudWatch.close();
        }
    }

    private Tributary start() {
        return Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--create-stream-delay", "0", "--delete-stream-delay", "0", "--update-stream-delay", "0"}, Map.of()));
    }

    @ParameterizedTest(name = "polling={0}")
    @ValueSource(booleans = {true, false})
    void leasesMoveToTheRemainingWorkerAndCheckpointsSurviveARestart(boolean polling) throws Exception {
        Set<String> firstRun = new LinkedHashSet<>();
        KclIT.Collector one = new KclIT.Collector();
        KclIT.Collector two = new KclIT.Collector();
        try (Tributary server = start(); KinesisClient kinesis = Clients.apache(server.endpoint());
             Kcl kcl = Kcl.of(server.endpoint())) {
            kinesis.createStream(b -> b.streamName(STREAM).shardCount(4));
            put(kinesis, "a", 40, firstRun);
            Scheduler w1 = kcl.scheduler("worker-1", polling, one);
            Scheduler w2 = kcl.scheduler("worker-2", polling, two);
            Thread t1 = start(w1);
            Thread t2 = start(w2);
            await(() -> union(one, two).containsAll(firstRun), "the first records by the two workers");
            await(() -> kcl.leaseOwners().equals(Set.of("worker-1", "worker-2")), "the leases split between the workers");

            w2.startGracefulShutdown().get(60, TimeUnit.SECONDS);
            t2.join(10_000);
            put(kinesis, "b", 40, firstRun);
            await(() -> union(one, two).containsAll(firstRun), "the records written after worker-2 stopped");
            await(() -> kcl.leaseOwners().equals(Set.of("worker-1")), "worker-1 owning every lease");
            assertThat(union(one, two)).isEqualTo(firstRun);

            w1.startGracefulShutdown().get(60, TimeUnit.SECONDS);
            t1.join(10_000);
        }

        // Same data directory, new server (and port): the checkpoints are where the workers left them.
        KclIT.Collector three = new KclIT.Collector();
        Set<String> secondRun = new LinkedHashSet<>();
        try (Tributary server = start(); KinesisClient kinesis = Clients.apache(server.endpoint());
             Kcl kcl = Kcl.of(server.endpoint())) {
            Scheduler w3 = kcl.scheduler("worker-3", polling, three);
            Thread t3 = start(w3);
            put(kinesis, "c", 20, secondRun);
            await(() -> three.payloads().containsAll(secondRun), "the records written after the restart");
            assertThat(three.payloadList()).as("nothing read before the restart is read again")
                    .containsExactlyInAnyOrderElementsOf(secondRun);
            w3.startGracefulShutdown().get(60, TimeUnit.SECONDS);
            t3.join(10_000);
        }
    }

    private static Set<String> union(KclIT.Collector a, KclIT.Collector b) {
        Set<String> out = new HashSet<>(a.payloads());
        out.addAll(b.payloads());
        return out;
    }

    private static void put(KinesisClient kinesis, String prefix, int n, Set<String> expected) {
        for (int i = 0; i < n; i++) {
            String payload = prefix + "-" + i;
            kinesis.putRecord(b -> b.streamName(STREAM).partitionKey("pk-" + payload).data(SdkBytes.fromUtf8String(payload)));
            expected.add(payload);
        }
    }

    private static Thread start(Scheduler scheduler) {
        Thread t = new Thread(scheduler, "kcl-scheduler");
        t.setDaemon(true);
        t.start();
        return t;
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

}
