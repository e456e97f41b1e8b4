package dev.tributary.it;

import static dev.tributary.it.Kit.shardId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.math.BigInteger;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.StreamSummary;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/**
 * The Kinesis operations of the foundation issue, end to end through every client of the matrix
 * ({@link Clients#kinds()}): Apache, URLConnection and Netty (h2c), each with CBOR and with JSON.
 * Each test gets a fresh in-memory server, and moves its clock instead of sleeping.
 */
class KinesisOperationsIT {
    private static final String KINDS = "dev.tributary.it.Clients#kinds";
    private static final String ARN_PREFIX = "arn:aws:kinesis:us-east-1:000000000000:stream/";

    private static final List<CompletableFuture<Void>> STOPPING = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Tributary server;

    @BeforeEach
    void startServer() {
        server = Tributary.start(EmulatorConfig.forTests());
    }

    /**
     * Stops the server in the background: a stop takes 2 s while a client (URLConnection's JDK
     * cache, Netty's lingering event loop) still holds a connection, see {@link Kit#stop}.
     */
    @AfterEach
    void stopServer() {
        Tributary stopping = server;
        STOPPING.add(CompletableFuture.runAsync(() -> Kit.stop(stopping)));
    }

    @AfterAll
    static void awaitStops() {
        CompletableFuture.allOf(STOPPING.toArray(CompletableFuture[]::new)).join();
    }

    private KinesisClient client(Clients.Kind kind) {
        return Clients.open(kind, server.endpoint());
    }

    /** Stops the server's clock on a whole millisecond a little ahead of now, and returns it. */
    private Instant pinClock() {
        Instant at = Instant.ofEpochMilli(server.clock().millis() + 1_000);
        server.clock().pin(at);
        return at;
    }

    // ---- create, describe, list ----------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void createWithShardCountDescribesEvenHashRanges(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            Instant created = pinClock();
            kinesis.createStream(b -> b.streamName("three").shardCount(3));

            DescribeStreamResponse d = kinesis.describeStream(b -> b.streamName("three"));
            var desc = d.streamDescription();
            assertThat(desc.streamName()).isEqualTo("three");
            assertThat(desc.streamARN()).isEqualTo(ARN_PREFIX + "three");
            assertThat(desc.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(desc.retentionPeriodHours()).isEqualTo(24);
            assertThat(desc.encryptionType()).isEqualTo(EncryptionType.NONE);
            assertThat(desc.keyId()).isNull();
            assertThat(desc.streamModeDetails().streamMode()).isEqualTo(StreamMode.PROVISIONED);
            assertThat(desc.streamCreationTimestamp()).isEqualTo(created);
            assertThat(desc.hasMoreShards()).isFalse();
            assertThat(desc.shards()).extracting(Shard::shardId)
                    .containsExactly(shardId(0), shardId(1), shardId(2));
            assertThat(desc.shards()).extracting(Shard::hashKeyRange).containsExactly(
                    range("0", "113427455640312821154458202477256070484"),
                    range("113427455640312821154458202477256070485", "226854911280625642308916404954512140969"),
                    range("226854911280625642308916404954512140970", "340282366920938463463374607431768211455"));
            assertThat(desc.shards()).extracting(Shard::hashKeyRange).containsExactlyElementsOf(Kit.evenRanges(3));
            for (Shard s : desc.shards()) {
                assertThat(s.parentShardId()).isNull();
                assertThat(s.adjacentParentShardId()).isNull();
                assertThat(s.sequenceNumberRange().startingSequenceNumber()).matches("\\d{56}");
                assertThat(s.sequenceNumberRange().endingSequenceNumber()).isNull();
            }

            StreamDescriptionSummary summary = kinesis.describeStreamSummary(b -> b.streamName("three"))
                    .streamDescriptionSummary();
            assertThat(summary.streamName()).isEqualTo("three");
            assertThat(summary.streamARN()).isEqualTo(ARN_PREFIX + "three");
            assertThat(summary.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(summary.openShardCount()).isEqualTo(3);
            assertThat(summary.consumerCount()).isZero();
            assertThat(summary.retentionPeriodHours()).isEqualTo(24);
            assertThat(summary.encryptionType()).isEqualTo(EncryptionType.NONE);
            assertThat(summary.streamCreationTimestamp()).isEqualTo(created);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void createWithoutShardCountOrOnDemandOpensFourShards(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("plain"));
            kinesis.createStream(b -> b.streamName("ondemand").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));

            for (String name : List.of("plain", "ondemand")) {
                var desc = kinesis.describeStream(b -> b.streamName(name)).streamDescription();
                assertThat(desc.shards()).extracting(Shard::shardId)
                        .containsExactly(shardId(0), shardId(1), shardId(2), shardId(3));
                assertThat(desc.shards()).extracting(Shard::hashKeyRange).containsExactlyElementsOf(Kit.evenRanges(4));
                assertThat(kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary()
                        .openShardCount()).isEqualTo(4);
            }
            assertThat(kinesis.describeStream(b -> b.streamName("plain")).streamDescription().streamModeDetails()
                    .streamMode()).isEqualTo(StreamMode.PROVISIONED);
            assertThat(kinesis.describeStream(b -> b.streamName("ondemand")).streamDescription().streamModeDetails()
                    .streamMode()).isEqualTo(StreamMode.ON_DEMAND);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void describeStreamPagesShardsByLimitAndExclusiveStartShardId(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("five").shardCount(5));

            var first = kinesis.describeStream(b -> b.streamName("five").limit(2)).streamDescription();
            assertThat(first.shards()).extracting(Shard::shardId).containsExactly(shardId(0), shardId(1));
            assertThat(first.hasMoreShards()).isTrue();
            var second = kinesis.describeStream(b -> b.streamName("five").limit(2)
                    .exclusiveStartShardId(shardId(1))).streamDescription();
            assertThat(second.shards()).extracting(Shard::shardId).containsExactly(shardId(2), shardId(3));
            assertThat(second.hasMoreShards()).isTrue();
            var last = kinesis.describeStream(b -> b.streamName("five").limit(2)
                    .exclusiveStartShardId(shardId(3))).streamDescription();
            assertThat(last.shards()).extracting(Shard::shardId).containsExactly(shardId(4));
            assertThat(last.hasMoreShards()).isFalse();
            assertThat(last.shards().get(0).hashKeyRange()).isEqualTo(Kit.evenRanges(5).get(4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void listStreamsPagesByLimitNextTokenAndExclusiveStartStreamName(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            for (String name : List.of("delta", "alpha", "echo", "charlie", "bravo")) {
                kinesis.createStream(b -> b.streamName(name).shardCount(1));
            }

            ListStreamsResponse p1 = kinesis.listStreams(b -> b.limit(2));
            assertThat(p1.streamNames()).containsExactly("alpha", "bravo");
            assertThat(p1.hasMoreStreams()).isTrue();
            assertThat(p1.nextToken()).isNotNull();
            assertThat(p1.streamSummaries()).extracting(StreamSummary::streamName).containsExactly("alpha", "bravo");
            assertThat(p1.streamSummaries()).extracting(StreamSummary::streamARN)
                    .containsExactly(ARN_PREFIX + "alpha", ARN_PREFIX + "bravo");
            assertThat(p1.streamSummaries()).extracting(StreamSummary::streamStatus)
                    .containsOnly(StreamStatus.ACTIVE);
            assertThat(p1.streamSummaries()).extracting(s -> s.streamModeDetails().streamMode())
                    .containsOnly(StreamMode.PROVISIONED);

            ListStreamsResponse p2 = kinesis.listStreams(b -> b.limit(2).nextToken(p1.nextToken()));
            assertThat(p2.streamNames()).containsExactly("charlie", "delta");
            assertThat(p2.hasMoreStreams()).isTrue();
            ListStreamsResponse p3 = kinesis.listStreams(b -> b.limit(2).nextToken(p2.nextToken()));
            assertThat(p3.streamNames()).containsExactly("echo");
            assertThat(p3.hasMoreStreams()).isFalse();
            assertThat(p3.nextToken()).isNull();

            ListStreamsResponse after = kinesis.listStreams(b -> b.exclusiveStartStreamName("bravo"));
            assertThat(after.streamNames()).containsExactly("charlie", "delta", "echo");
            assertThat(after.hasMoreStreams()).isFalse();
            // A name that is not a stream still positions the listing, as AWS does.
            assertThat(kinesis.listStreams(b -> b.exclusiveStartStreamName("c").limit(1)).streamNames())
                    .containsExactly("charlie");
            assertThat(kinesis.listStreams(b -> { }).streamNames())
                    .containsExactly("alpha", "bravo", "charlie", "delta", "echo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void listShardsPagesByMaxResultsNextTokenAndExclusiveStartShardId(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("five").shardCount(5));

            ListShardsResponse p1 = kinesis.listShards(b -> b.streamName("five").maxResults(2));
            assertThat(p1.shards()).extracting(Shard::shardId).containsExactly(shardId(0), shardId(1));
            assertThat(p1.nextToken()).isNotNull();
            ListShardsResponse p2 = kinesis.listShards(b -> b.nextToken(p1.nextToken()).maxResults(2));
            assertThat(p2.shards()).extracting(Shard::shardId).containsExactly(shardId(2), shardId(3));
            ListShardsResponse p3 = kinesis.listShards(b -> b.nextToken(p2.nextToken()).maxResults(2));
            assertThat(p3.shards()).extracting(Shard::shardId).containsExactly(shardId(4));
            assertThat(p3.nextToken()).isNull();

            ListShardsResponse all = kinesis.listShards(b -> b.streamName("five"));
            assertThat(all.shards()).extracting(Shard::hashKeyRange).containsExactlyElementsOf(Kit.evenRanges(5));
            assertThat(all.nextToken()).isNull();
            assertThat(kinesis.listShards(b -> b.streamName("five").exclusiveStartShardId(shardId(2))).shards())
                    .extracting(Shard::shardId).containsExactly(shardId(3), shardId(4));
        }
    }

    /**
     * Lineage used below: shards 0 and 1 open at T0; at T1 shard 0 splits into 2 and 3; at T2
     * shards 3 and 1 merge into 4. Open at the end: 2 and 4.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void listShardsAppliesEveryShardFilterType(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            Instant t0 = pinClock();
            kinesis.createStream(b -> b.streamName("lineage").shardCount(2));
            server.clock().advance(Duration.ofSeconds(10));
            Instant t1 = t0.plusSeconds(10);
            String mid = BigInteger.ONE.shiftLeft(126).toString();
            kinesis.splitShard(b -> b.streamName("lineage").shardToSplit(shardId(0)).newStartingHashKey(mid));
            server.clock().advance(Duration.ofSeconds(10));
            kinesis.mergeShards(b -> b.streamName("lineage").shardToMerge(shardId(3)).adjacentShardToMerge(shardId(1)));

            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.AFTER_SHARD_ID).shardId(shardId(1))))
                    .containsExactly(shardId(2), shardId(3), shardId(4));
            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.AT_TRIM_HORIZON)))
                    .containsExactly(shardId(0), shardId(1));
            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.FROM_TRIM_HORIZON)))
                    .containsExactly(shardId(0), shardId(1), shardId(2), shardId(3), shardId(4));
            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.AT_LATEST)))
                    .containsExactly(shardId(2), shardId(4));
            Instant between = t1.plusSeconds(5);
            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(between)))
                    .containsExactly(shardId(1), shardId(2), shardId(3));
            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.FROM_TIMESTAMP).timestamp(between)))
                    .containsExactly(shardId(1), shardId(2), shardId(3), shardId(4));
            // Sub-second precision of the filter timestamp must survive the wire format (CBOR or JSON).
            assertThat(filtered(kinesis, f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(t1.minusMillis(1))))
                    .containsExactly(shardId(0), shardId(1));

            List<Shard> shards = kinesis.listShards(b -> b.streamName("lineage")).shards();
            assertThat(shards).extracting(Shard::parentShardId).containsExactly(null, null, shardId(0), shardId(0), shardId(3));
            assertThat(shards).extracting(Shard::adjacentParentShardId).containsExactly(null, null, null, null, shardId(1));
            assertThat(shards.get(4).hashKeyRange()).isEqualTo(range(mid, Kit.KEY_SPACE.subtract(BigInteger.ONE).toString()));
            assertThat(shards.get(2).hashKeyRange()).isEqualTo(range("0", BigInteger.ONE.shiftLeft(126).subtract(BigInteger.ONE).toString()));
        }
    }

    private static List<String> filtered(KinesisClient kinesis,
                                         Consumer<software.amazon.awssdk.services.kinesis.model.ShardFilter.Builder> f) {
        return kinesis.listShards(b -> b.streamName("lineage").shardFilter(f)).shards().stream()
                .map(Shard::shardId).toList();
    }

    // ---- put and get ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void putRecordRoutesByMd5AndGetRecordsReturnsItExactly(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("rt").shardCount(3));
            Instant now = pinClock();
            List<Shard> shards = kinesis.listShards(b -> b.streamName("rt")).shards();

            Map<String, List<PutRecordResponse>> acks = new HashMap<>();
            Map<String, List<Integer>> written = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                String key = "key-" + i;
                byte[] data = payload(i, 16 + i);
                PutRecordResponse ack = kinesis.putRecord(b -> b.streamName("rt").partitionKey(key)
                        .data(SdkBytes.fromByteArray(data)));
                assertThat(ack.shardId()).as("route of %s", key).isEqualTo(Kit.routeOf(shards, key));
                assertThat(ack.sequenceNumber()).matches("\\d{56}");
                assertThat(ack.encryptionType()).isNull();
                acks.computeIfAbsent(ack.shardId(), k -> new ArrayList<>()).add(ack);
                written.computeIfAbsent(ack.shardId(), k -> new ArrayList<>()).add(i);
            }
            assertThat(acks).hasSize(3);

            for (Shard shard : shards) {
                List<Record> records = Kit.readAll(kinesis, "rt", shard.shardId());
                List<Integer> expected = written.get(shard.shardId());
                assertThat(records).hasSize(expected.size());
                for (int j = 0; j < records.size(); j++) {
                    Record r = records.get(j);
                    int i = expected.get(j);
                    assertThat(r.partitionKey()).isEqualTo("key-" + i);
                    assertThat(r.data().asByteArray()).isEqualTo(payload(i, 16 + i));
                    assertThat(r.sequenceNumber()).isEqualTo(acks.get(shard.shardId()).get(j).sequenceNumber());
                    assertThat(r.approximateArrivalTimestamp()).isEqualTo(now);
                    assertThat(r.encryptionType()).isNull();
                    if (j > 0) {
                        assertThat(new BigInteger(r.sequenceNumber()))
                                .isGreaterThan(new BigInteger(records.get(j - 1).sequenceNumber()));
                    }
                    assertThat(new BigInteger(r.sequenceNumber()))
                            .isGreaterThan(new BigInteger(shard.sequenceNumberRange().startingSequenceNumber()));
                }
            }

            // ExplicitHashKey overrides the partition key's hash.
            PutRecordResponse explicit = kinesis.putRecord(b -> b.streamName("rt").partitionKey("key-0")
                    .explicitHashKey("340282366920938463463374607431768211455").data(SdkBytes.fromUtf8String("x")));
            assertThat(explicit.shardId()).isEqualTo(shardId(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void putRecordsOf500OneKibRecordsKeepsRequestOrder(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("batch").shardCount(2));
            List<Shard> shards = kinesis.listShards(b -> b.streamName("batch")).shards();
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                // Half the records share one key, so one shard gets a long run in request order.
                String key = i % 2 == 0 ? "same" : "k" + i;
                entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                        .data(SdkBytes.fromByteArray(payload(i, 1024))).build());
            }

            PutRecordsResponse put = kinesis.putRecords(b -> b.streamName("batch").records(entries));
            assertThat(put.failedRecordCount()).isZero();
            assertThat(put.encryptionType()).isNull();
            List<PutRecordsResultEntry> results = put.records();
            assertThat(results).hasSize(500);
            Map<String, List<Integer>> byShard = new HashMap<>();
            for (int i = 0; i < 500; i++) {
                PutRecordsResultEntry r = results.get(i);
                assertThat(r.errorCode()).isNull();
                assertThat(r.shardId()).isEqualTo(Kit.routeOf(shards, entries.get(i).partitionKey()));
                byShard.computeIfAbsent(r.shardId(), k -> new ArrayList<>()).add(i);
            }
            assertThat(byShard).hasSize(2);

            for (Map.Entry<String, List<Integer>> e : byShard.entrySet()) {
                List<Record> read = Kit.readAll(kinesis, "batch", e.getKey());
                List<Integer> order = e.getValue();
                assertThat(read).hasSize(order.size());
                for (int j = 0; j < read.size(); j++) {
                    int i = order.get(j);
                    assertThat(read.get(j).sequenceNumber()).isEqualTo(results.get(i).sequenceNumber());
                    assertThat(read.get(j).partitionKey()).isEqualTo(entries.get(i).partitionKey());
                    assertThat(read.get(j).data().asByteArray()).isEqualTo(payload(i, 1024));
                    if (j > 0) {
                        assertThat(new BigInteger(read.get(j).sequenceNumber()))
                                .isGreaterThan(new BigInteger(read.get(j - 1).sequenceNumber()));
                    }
                }
            }
        }
    }

    /**
     * r0, r1 arrive at T0 = X.200 s; r2, r3 at T1 = X.700 s, so an AT_TIMESTAMP of X.500 s only
     * lands on r2 when the timestamp keeps its milliseconds on the wire.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void everyIteratorTypeStartsAtItsRecord(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("it").shardCount(1));
            long base = (server.clock().millis() / 1000 + 2) * 1000;
            Instant t0 = Instant.ofEpochMilli(base + 200);
            server.clock().pin(t0);
            String shard = shardId(0);
            String startingSeq = kinesis.listShards(b -> b.streamName("it")).shards().get(0)
                    .sequenceNumberRange().startingSequenceNumber();
            String latest = iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.LATEST));
            List<String> seq = new ArrayList<>();
            seq.add(put(kinesis, "r0"));
            seq.add(put(kinesis, "r1"));
            server.clock().advance(Duration.ofMillis(500));
            seq.add(put(kinesis, "r2"));
            seq.add(put(kinesis, "r3"));
            server.clock().advance(Duration.ofMillis(500));

            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON))))
                    .containsExactly("r0", "r1", "r2", "r3");
            assertThat(read(kinesis, latest)).containsExactly("r0", "r1", "r2", "r3");
            String latestNow = iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.LATEST));
            assertThat(read(kinesis, latestNow)).isEmpty();
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(seq.get(1))))).containsExactly("r1", "r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(seq.get(1))))).containsExactly("r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(seq.get(3))))).isEmpty();
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(startingSeq)))).containsExactly("r0", "r1", "r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(startingSeq)))).containsExactly("r0", "r1", "r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(t0)))).containsExactly("r0", "r1", "r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(Instant.ofEpochMilli(base + 500))))).containsExactly("r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(Instant.ofEpochMilli(base + 700))))).containsExactly("r2", "r3");
            assertThat(read(kinesis, iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                    .timestamp(Instant.ofEpochMilli(base + 701))))).isEmpty();

            // The arrival timestamps keep their milliseconds too.
            List<Record> all = Kit.readAll(kinesis, "it", shard);
            assertThat(all).extracting(Record::approximateArrivalTimestamp).containsExactly(
                    t0, t0, Instant.ofEpochMilli(base + 700), Instant.ofEpochMilli(base + 700));
            assertThat(all).extracting(Record::sequenceNumber).containsExactlyElementsOf(seq);

            // LATEST positions after the newest record: a later record is the first one it reads.
            String tail = iterator(kinesis, b -> b.shardIteratorType(ShardIteratorType.LATEST));
            put(kinesis, "r4");
            assertThat(read(kinesis, tail)).containsExactly("r4");
        }
    }

    private static String iterator(KinesisClient kinesis, Consumer<GetShardIteratorRequest.Builder> type) {
        return kinesis.getShardIterator(b -> {
            b.streamName("it").shardId(shardId(0));
            type.accept(b);
        }).shardIterator();
    }

    private static String put(KinesisClient kinesis, String text) {
        return kinesis.putRecord(b -> b.streamName("it").partitionKey("p").data(SdkBytes.fromUtf8String(text)))
                .sequenceNumber();
    }

    /** The records from {@code iterator} until caught up, as text. */
    private static List<String> read(KinesisClient kinesis, String iterator) {
        List<String> out = new ArrayList<>();
        String it = iterator;
        while (it != null) {
            String current = it;
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(current));
            r.records().forEach(rec -> out.add(rec.data().asUtf8String()));
            if (r.records().isEmpty()) {
                assertThat(r.millisBehindLatest()).isZero();
                break;
            }
            it = r.nextShardIterator();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void streamArnWorksWhereverStreamNameDoes(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("byarn").shardCount(2));
            String arn = ARN_PREFIX + "byarn";

            assertThat(kinesis.describeStream(b -> b.streamARN(arn)).streamDescription().streamName()).isEqualTo("byarn");
            assertThat(kinesis.describeStreamSummary(b -> b.streamARN(arn)).streamDescriptionSummary().openShardCount())
                    .isEqualTo(2);
            assertThat(kinesis.listShards(b -> b.streamARN(arn)).shards()).hasSize(2);
            PutRecordResponse ack = kinesis.putRecord(b -> b.streamARN(arn).partitionKey("a")
                    .data(SdkBytes.fromUtf8String("one")));
            PutRecordsResponse acks = kinesis.putRecords(b -> b.streamARN(arn).records(PutRecordsRequestEntry.builder()
                    .partitionKey("a").data(SdkBytes.fromUtf8String("two")).build()));
            assertThat(acks.records().get(0).shardId()).isEqualTo(ack.shardId());
            String it = kinesis.getShardIterator(b -> b.streamARN(arn).shardId(ack.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse got = kinesis.getRecords(b -> b.streamARN(arn).shardIterator(it));
            assertThat(got.records()).extracting(r -> r.data().asUtf8String()).containsExactly("one", "two");

            String mid = new BigInteger(Kit.evenRanges(2).get(0).endingHashKey()).shiftRight(1).toString();
            kinesis.splitShard(b -> b.streamARN(arn).shardToSplit(shardId(0)).newStartingHashKey(mid));
            kinesis.mergeShards(b -> b.streamARN(arn).shardToMerge(shardId(3)).adjacentShardToMerge(shardId(1)));
            var update = kinesis.updateShardCount(b -> b.streamARN(arn).targetShardCount(4)
                    .scalingType(software.amazon.awssdk.services.kinesis.model.ScalingType.UNIFORM_SCALING));
            assertThat(update.currentShardCount()).isEqualTo(2);
            assertThat(update.targetShardCount()).isEqualTo(4);
            assertThat(update.streamName()).isEqualTo("byarn");
            assertThat(kinesis.describeStreamSummary(b -> b.streamARN(arn)).streamDescriptionSummary().openShardCount())
                    .isEqualTo(4);

            kinesis.deleteStream(b -> b.streamARN(arn));
            ResourceNotFoundException e = thrown(ResourceNotFoundException.class,
                    () -> kinesis.describeStream(b -> b.streamARN(arn)));
            assertThat(Kit.error(e)).isEqualTo("ResourceNotFoundException: Stream byarn under account 000000000000 not found.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void updateShardCountReplacesOpenShardsWithEvenOnes(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("grow").shardCount(2));
            kinesis.putRecord(b -> b.streamName("grow").partitionKey("a").data(SdkBytes.fromUtf8String("x")));

            var update = kinesis.updateShardCount(b -> b.streamName("grow").targetShardCount(4)
                    .scalingType(software.amazon.awssdk.services.kinesis.model.ScalingType.UNIFORM_SCALING));
            assertThat(update.currentShardCount()).isEqualTo(2);
            assertThat(update.targetShardCount()).isEqualTo(4);
            assertThat(update.streamARN()).isEqualTo(ARN_PREFIX + "grow");

            var desc = kinesis.describeStream(b -> b.streamName("grow")).streamDescription();
            assertThat(desc.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(desc.shards()).extracting(Shard::shardId)
                    .containsExactly(shardId(0), shardId(1), shardId(2), shardId(3), shardId(4), shardId(5));
            assertThat(desc.shards().subList(0, 2)).allSatisfy(s ->
                    assertThat(s.sequenceNumberRange().endingSequenceNumber()).matches("\\d{56}"));
            assertThat(desc.shards().subList(2, 6)).allSatisfy(s ->
                    assertThat(s.sequenceNumberRange().endingSequenceNumber()).isNull());
            assertThat(desc.shards().subList(2, 6)).extracting(Shard::hashKeyRange)
                    .containsExactlyElementsOf(Kit.evenRanges(4));
            assertThat(desc.shards().subList(2, 6)).extracting(Shard::parentShardId)
                    .containsExactly(shardId(0), shardId(0), shardId(1), shardId(1));
        }
    }

    // ---- errors -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void unknownStreamIsResourceNotFoundForEveryOperation(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            String expected = "ResourceNotFoundException: Stream x under account 000000000000 not found.";
            List<ThrowingCallable> calls = List.of(
                    () -> kinesis.describeStream(b -> b.streamName("x")),
                    () -> kinesis.describeStreamSummary(b -> b.streamName("x")),
                    () -> kinesis.deleteStream(b -> b.streamName("x")),
                    () -> kinesis.listShards(b -> b.streamName("x")),
                    () -> kinesis.putRecord(b -> b.streamName("x").partitionKey("k").data(SdkBytes.fromUtf8String("d"))),
                    () -> kinesis.putRecords(b -> b.streamName("x").records(PutRecordsRequestEntry.builder()
                            .partitionKey("k").data(SdkBytes.fromUtf8String("d")).build())),
                    () -> kinesis.splitShard(b -> b.streamName("x").shardToSplit(shardId(0)).newStartingHashKey("5")),
                    () -> kinesis.mergeShards(b -> b.streamName("x").shardToMerge(shardId(0))
                            .adjacentShardToMerge(shardId(1))),
                    () -> kinesis.updateShardCount(b -> b.streamName("x").targetShardCount(2)
                            .scalingType(software.amazon.awssdk.services.kinesis.model.ScalingType.UNIFORM_SCALING)));
            for (int i = 0; i < calls.size(); i++) {
                ResourceNotFoundException e = thrown(ResourceNotFoundException.class, calls.get(i));
                assertThat(Kit.error(e)).as("call %d", i).isEqualTo(expected);
            }
        }
    }

    /** AWS answers GetShardIterator on a missing stream with the shard's text, not the stream's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void getShardIteratorOnUnknownStreamSaysTheShardDoesNotExist(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            ResourceNotFoundException e = thrown(ResourceNotFoundException.class,
                    () -> kinesis.getShardIterator(b -> b.streamName("x").shardId(shardId(0))
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
            assertThat(Kit.error(e)).isEqualTo("ResourceNotFoundException: Shard shardId-000000000000 in "
                    + "stream x under account 000000000000 does not exist");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void createExistingStreamIsResourceInUse(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("dup").shardCount(1));
            ResourceInUseException e = thrown(ResourceInUseException.class,
                    () -> kinesis.createStream(b -> b.streamName("dup").shardCount(2)));
            assertThat(Kit.error(e)).isEqualTo("ResourceInUseException: Stream dup under account 000000000000 already exists.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void invalidStreamNameIsValidationException(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            ValidationException e = thrown(ValidationException.class,
                    () -> kinesis.createStream(b -> b.streamName("bad name!").shardCount(1)));
            assertThat(Kit.error(e)).isEqualTo("ValidationException: 1 validation error detected: Value 'bad name!' at "
                    + "'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "[a-zA-Z0-9_.-]+");
            String tooLong = "s".repeat(129);
            ValidationException e2 = thrown(ValidationException.class,
                    () -> kinesis.describeStream(b -> b.streamName(tooLong)));
            assertThat(Kit.error(e2)).isEqualTo("ValidationException: 1 validation error detected: Value '" + tooLong
                    + "' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128");
            ValidationException e3 = thrown(ValidationException.class,
                    () -> kinesis.createStream(b -> b.streamName("").shardCount(0)));
            // AWS reports shardCount before streamName (its own model order, captured in full by kinesalite's tests).
            assertThat(Kit.error(e3)).isEqualTo("ValidationException: 3 validation errors detected: "
                    + "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1; "
                    + "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: [a-zA-Z0-9_.-]+; "
                    + "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void tooManyRecordsAndTooLargeLimitAreValidationErrors(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("limits").shardCount(1));
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 501; i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("d")).build());
            }
            ValidationException many = thrown(ValidationException.class,
                    () -> kinesis.putRecords(b -> b.streamName("limits").records(entries)));
            String rendered = String.join(", ", java.util.Collections.nCopies(501,
                    "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@2"));
            assertThat(Kit.error(many)).isEqualTo("ValidationException: 1 validation error detected: Value '[" + rendered
                    + "]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");

            String it = kinesis.getShardIterator(b -> b.streamName("limits").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            ValidationException limit = thrown(ValidationException.class,
                    () -> kinesis.getRecords(b -> b.shardIterator(it).limit(10_001)));
            assertThat(Kit.error(limit)).isEqualTo("ValidationException: 1 validation error detected: Value '10001' at "
                    + "'limit' failed to satisfy constraint: Member must have value less than or equal to 10000");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void iteratorExpiresThreeHundredSecondsAfterItWasIssued(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("exp").shardCount(1));
            Instant issued = Instant.ofEpochSecond(server.clock().instant().getEpochSecond() + 2);
            server.clock().pin(issued);
            String it = kinesis.getShardIterator(b -> b.streamName("exp").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            server.clock().advance(Duration.ofSeconds(300));
            assertThat(kinesis.getRecords(b -> b.shardIterator(it)).records()).isEmpty();
            server.clock().advance(Duration.ofSeconds(1));

            ExpiredIteratorException e = thrown(ExpiredIteratorException.class,
                    () -> kinesis.getRecords(b -> b.shardIterator(it)));
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("Iterator expired. The iterator was created at time");
            assertThat(Kit.error(e)).isEqualTo("ExpiredIteratorException: Iterator expired. The iterator was created at time "
                    + javaDate(issued) + " while right now it is " + javaDate(issued.plusSeconds(301))
                    + " which is further in the future than the tolerated delay of 300000 milliseconds.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void malformedOrMisusedIteratorsAreRejected(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("bad").shardCount(2));
            String seqOfShard1 = kinesis.putRecord(b -> b.streamName("bad").partitionKey("k")
                    .explicitHashKey(Kit.evenRanges(2).get(1).startingHashKey()).data(SdkBytes.fromUtf8String("d")))
                    .sequenceNumber();

            InvalidArgumentException invalid = thrown(InvalidArgumentException.class,
                    () -> kinesis.getRecords(b -> b.shardIterator("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
            assertThat(Kit.error(invalid)).isEqualTo("InvalidArgumentException: Invalid ShardIterator.");

            InvalidArgumentException otherShard = thrown(InvalidArgumentException.class,
                    () -> kinesis.getShardIterator(b -> b.streamName("bad").shardId(shardId(0))
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(seqOfShard1)));
            assertThat(Kit.error(otherShard)).isEqualTo("InvalidArgumentException: Invalid StartingSequenceNumber. "
                    + "It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000");

            InvalidArgumentException noSeq = thrown(InvalidArgumentException.class,
                    () -> kinesis.getShardIterator(b -> b.streamName("bad").shardId(shardId(0))
                            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)));
            assertThat(Kit.error(noSeq)).isEqualTo("InvalidArgumentException: Must either specify (1) AT_SEQUENCE_NUMBER "
                    + "or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no "
                    + "StartingSequenceNumber. Request specified AFTER_SEQUENCE_NUMBER and no StartingSequenceNumber.");

            InvalidArgumentException noTimestamp = thrown(InvalidArgumentException.class,
                    () -> kinesis.getShardIterator(b -> b.streamName("bad").shardId(shardId(0))
                            .shardIteratorType(ShardIteratorType.AT_TIMESTAMP)));
            assertThat(Kit.error(noTimestamp)).isEqualTo("InvalidArgumentException: Must specify timestampInMillis "
                    + "parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.");

            ResourceNotFoundException noShard = thrown(ResourceNotFoundException.class,
                    () -> kinesis.getShardIterator(b -> b.streamName("bad").shardId("shardId-9")
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
            assertThat(Kit.error(noShard)).isEqualTo("ResourceNotFoundException: Shard shardId-000000000009 in stream "
                    + "bad under account 000000000000 does not exist");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void reshardingRejectsOutOfRangeSplitNonAdjacentMergeAndOverDoubleUpdate(Clients.Kind kind) {
        try (KinesisClient kinesis = client(kind)) {
            kinesis.createStream(b -> b.streamName("rs").shardCount(3));

            for (String key : List.of("1", "113427455640312821154458202477256070484")) {
                InvalidArgumentException e = thrown(InvalidArgumentException.class,
                        () -> kinesis.splitShard(b -> b.streamName("rs").shardToSplit(shardId(0)).newStartingHashKey(key)));
                assertThat(Kit.error(e)).isEqualTo("InvalidArgumentException: NewStartingHashKey " + key + " used in "
                        + "SplitShard() on shard shardId-000000000000 in stream rs under account 000000000000 is not "
                        + "both greater than one plus the shard's StartingHashKey 0 and less than the shard's "
                        + "EndingHashKey 113427455640312821154458202477256070484.");
            }

            InvalidArgumentException gap = thrown(InvalidArgumentException.class,
                    () -> kinesis.mergeShards(b -> b.streamName("rs").shardToMerge(shardId(0)).adjacentShardToMerge(shardId(2))));
            assertThat(Kit.error(gap)).isEqualTo("InvalidArgumentException: Shards shardId-000000000000 and "
                    + "shardId-000000000002 in stream rs under account 000000000000 are not an adjacent pair of shards "
                    + "eligible for merging");
            InvalidArgumentException inverted = thrown(InvalidArgumentException.class,
                    () -> kinesis.mergeShards(b -> b.streamName("rs").shardToMerge(shardId(1)).adjacentShardToMerge(shardId(0))));
            assertThat(Kit.error(inverted)).isEqualTo("InvalidArgumentException: Shards shardId-000000000001 and "
                    + "shardId-000000000000 in stream rs under account 000000000000 are not an adjacent pair of shards "
                    + "eligible for merging");

            LimitExceededException up = thrown(LimitExceededException.class,
                    () -> kinesis.updateShardCount(b -> b.streamName("rs").targetShardCount(7)
                            .scalingType(software.amazon.awssdk.services.kinesis.model.ScalingType.UNIFORM_SCALING)));
            assertThat(Kit.error(up)).isEqualTo("LimitExceededException: UpdateShardCount cannot scale up over double "
                    + "your current open shard count. Current open shard count: 3, Target shard count: 7");
            LimitExceededException down = thrown(LimitExceededException.class,
                    () -> kinesis.updateShardCount(b -> b.streamName("rs").targetShardCount(1)
                            .scalingType(software.amazon.awssdk.services.kinesis.model.ScalingType.UNIFORM_SCALING)));
            assertThat(Kit.error(down)).isEqualTo("LimitExceededException: UpdateShardCount cannot scale down below half "
                    + "your current open shard count. Current open shard count: 3, Target shard count: 1");

            // After a split, the parent is closed and cannot be split again.
            kinesis.splitShard(b -> b.streamName("rs").shardToSplit(shardId(0)).newStartingHashKey("1000"));
            InvalidArgumentException closed = thrown(InvalidArgumentException.class,
                    () -> kinesis.splitShard(b -> b.streamName("rs").shardToSplit(shardId(0)).newStartingHashKey("2000")));
            assertThat(Kit.error(closed)).isEqualTo("InvalidArgumentException: Shard shardId-000000000000 in stream rs "
                    + "under account 000000000000 has already been merged or split, and thus is not eligible for "
                    + "merging or splitting.");
            ResourceNotFoundException noShard = thrown(ResourceNotFoundException.class,
                    () -> kinesis.splitShard(b -> b.streamName("rs").shardToSplit(shardId(42)).newStartingHashKey("2000")));
            assertThat(Kit.error(noShard)).isEqualTo("ResourceNotFoundException: Could not find shard "
                    + "shardId-000000000042 in stream rs under account 000000000000.");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static HashKeyRange range(String start, String end) {
        return HashKeyRange.builder().startingHashKey(start).endingHashKey(end).build();
    }

    /** {@code length} bytes, different for each {@code i}, covering every byte value (not UTF-8). */
    private static byte[] payload(int i, int length) {
        byte[] b = new byte[length];
        for (int j = 0; j < length; j++) {
            b[j] = (byte) (i * 31 + j);
        }
        return b;
    }

    private static <T extends AwsServiceException> T thrown(Class<T> type, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(type);
        T e = type.cast(t);
        assertThat(e.statusCode()).isEqualTo(400);
        return e;
    }

    static String javaDate(Instant at) {
        SimpleDateFormat f = new SimpleDateFormat("EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.US);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(Date.from(at));
    }
}
