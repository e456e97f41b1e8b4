package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * Enhanced fan-out through the SDK v2 async client's {@code subscribeToShard} (Netty, HTTP/2 with
 * prior knowledge): the initial response, records pushed as they are written, heartbeats, the
 * 5-second takeover rule, the 5-minute lifetime and ChildShards at the end of a closed shard. Time
 * moves on the server's clock; waits are bounded waits for events, never sleeps for timing.
 */
class FanOutIT {
    static final Duration WAIT = Duration.ofSeconds(20);

    Tributary server;
    KinesisClient kinesis;
    KinesisAsyncClient async;
    String consumerArn;

    @BeforeEach
    void start() {
        server = Tributary.start(EmulatorConfig.forTests());
        server.clock().pin(Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        kinesis = Clients.apache(server.endpoint());
    }

    @AfterEach
    void stop() {
        if (async != null) {
            async.close();
        }
        kinesis.close();
        Kit.stop(server);
    }

    private KinesisAsyncClient asyncClient(boolean cbor) {
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", Boolean.toString(cbor));
        try {
            return KinesisAsyncClient.builder().endpointOverride(server.endpoint()).region(Clients.REGION)
                    .credentialsProvider(Clients.CREDENTIALS)
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    private void streamWithConsumer(String name, int shards) {
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
        consumerArn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("efo")).consumer()
                .consumerARN();
    }

    /** Events one subscription received, and how it ended. */
    static final class Recorder {
        final CompletableFuture<Void> initialResponse = new CompletableFuture<>();
        final List<SubscribeToShardEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done;

        SubscribeToShardResponseHandler handler() {
            return SubscribeToShardResponseHandler.builder()
                    .onResponse(r -> initialResponse.complete(null))
                    .subscriber(SubscribeToShardResponseHandler.Visitor.builder()
                            .onSubscribeToShardEvent(events::add).build())
                    .build();
        }

        int records() {
            return events.stream().mapToInt(e -> e.records().size()).sum();
        }
    }

    private Recorder subscribe(String shardId, String type) {
        Recorder r = new Recorder();
        r.done = async.subscribeToShard(b -> b.consumerARN(consumerArn).shardId(shardId)
                .startingPosition(p -> p.type(type)), r.handler());
        return r;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @ParameterizedTest(name = "cbor={0}")
    @ValueSource(booleans = {true, false})
    void initialResponseThenRecordsArePushedAsTheyAreWritten(boolean cbor) throws Exception {
        async = asyncClient(cbor);
        streamWithConsumer("efo-push", 1);
        Recorder r = subscribe("shardId-000000000000", "LATEST");
        r.initialResponse.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < 25; i++) {
            int n = i;
            kinesis.putRecord(b -> b.streamName("efo-push").partitionKey("k" + n).data(SdkBytes.fromUtf8String("v" + n)));
        }
        await(() -> r.records() == 25, "25 records");
        List<String> data = r.events.stream().flatMap(e -> e.records().stream())
                .map(rec -> rec.data().asUtf8String()).toList();
        assertThat(data).containsExactly(java.util.stream.IntStream.range(0, 25).mapToObj(i -> "v" + i)
                .toArray(String[]::new));
        SubscribeToShardEvent last = r.events.get(r.events.size() - 1);
        assertThat(last.continuationSequenceNumber())
                .isEqualTo(last.records().get(last.records().size() - 1).sequenceNumber());
        assertThat(r.events.get(0).records().get(0).approximateArrivalTimestamp()).isEqualTo(server.clock().instant());
        assertThat(r.done).isNotDone();
    }

    /**
     * With --throughput-limits a subscription gets 2 MiB/s per shard (AWS's enhanced fan-out limit):
     * with the clock pinned it stops after about 2 MiB and resumes as the clock moves.
     */
    @Test
    void withThroughputLimitsASubscriptionGetsTwoMebibytesPerSecond() throws Exception {
        Kit.stop(server);
        kinesis.close();
        server = Tributary.start(dev.tributary.emulator.config.ConfigLoader.load(new String[] {"--in-memory",
                "--port", "0", "--kafka-port", "-1", "--create-stream-delay", "0", "--update-stream-delay", "0",
                "--throughput-limits", "true"}, java.util.Map.of()));
        server.clock().pin(Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        kinesis = Clients.apache(server.endpoint());
        async = asyncClient(true);
        streamWithConsumer("efo-limited", 1);
        byte[] half = new byte[512 * 1024];
        for (int i = 0; i < 8; i++) {
            kinesis.putRecord(b -> b.streamName("efo-limited").partitionKey("k").data(SdkBytes.fromByteArray(half)));
            server.clock().advance(Duration.ofSeconds(1)); // writes are limited to 1 MiB/s per shard too
        }
        Recorder r = subscribe("shardId-000000000000", "TRIM_HORIZON");
        r.initialResponse.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(() -> metric("tributary_fanout_budget_waits") >= 1 && r.records() >= 4,
                "the subscription to wait for its budget");
        // 2 MiB of budget: three 512 KiB records (plus a 1-byte key each) fit in the first read; the
        // fourth comes alone in the next (a read returns at least one record), leaving the budget at -4.
        assertThat(r.records()).isEqualTo(4);
        server.clock().advance(Duration.ofSeconds(1));
        await(() -> r.records() == 8, "every record");
    }

    private long metric(String name) {
        try {
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    server.endpoint().resolve("/_tributary/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith(name + " ")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                }
            }
            return -1;
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void quietSubscriptionsGetAnEventEveryFiveSecondsAndEndAfterFiveMinutes() throws Exception {
        async = asyncClient(true);
        streamWithConsumer("efo-quiet", 1);
        Recorder r = subscribe("shardId-000000000000", "TRIM_HORIZON");
        r.initialResponse.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.events).isEmpty();
        server.clock().advance(Duration.ofSeconds(5));
        await(() -> r.events.size() == 1, "a heartbeat event");
        assertThat(r.events.get(0).records()).isEmpty();
        assertThat(r.events.get(0).continuationSequenceNumber()).isEqualTo(kinesis.listShards(b -> b.streamName("efo-quiet"))
                .shards().get(0).sequenceNumberRange().startingSequenceNumber());
        server.clock().advance(Duration.ofMinutes(5));
        r.done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aSecondSubscriptionWithinFiveSecondsIsRefusedAndLaterTakesOver() throws Exception {
        async = asyncClient(true);
        streamWithConsumer("efo-takeover", 1);
        Recorder first = subscribe("shardId-000000000000", "LATEST");
        first.initialResponse.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Recorder refused = subscribe("shardId-000000000000", "LATEST");
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> refused.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(ResourceInUseException.class);
        assertThat(e.getCause().getMessage()).startsWith("Another active subscription exists for this consumer");

        server.clock().advance(Duration.ofSeconds(5));
        Recorder second = subscribe("shardId-000000000000", "LATEST");
        second.initialResponse.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ExecutionException old = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> first.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(old.getCause()).isInstanceOf(ResourceInUseException.class);
        kinesis.putRecord(b -> b.streamName("efo-takeover").partitionKey("k").data(SdkBytes.fromUtf8String("x")));
        await(() -> second.records() == 1, "the record on the new subscription");
    }

    @Test
    void theEndOfAClosedShardCarriesChildShardsAndEndsTheSubscription() throws Exception {
        async = asyncClient(true);
        streamWithConsumer("efo-split", 1);
        for (int i = 0; i < 3; i++) {
            kinesis.putRecord(b -> b.streamName("efo-split").partitionKey("k").data(SdkBytes.fromUtf8String("p")));
        }
        kinesis.splitShard(b -> b.streamName("efo-split").shardToSplit("shardId-000000000000")
                .newStartingHashKey(Kit.KEY_SPACE.shiftRight(1).toString()));
        Recorder r = subscribe("shardId-000000000000", ShardIteratorType.TRIM_HORIZON.toString());
        r.done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.records()).isEqualTo(3);
        SubscribeToShardEvent last = r.events.get(r.events.size() - 1);
        assertThat(last.continuationSequenceNumber()).isNull();
        assertThat(last.childShards()).extracting(c -> c.shardId())
                .containsExactly("shardId-000000000001", "shardId-000000000002");
        assertThat(last.childShards().get(0).parentShards()).containsExactly("shardId-000000000000");
    }

}
