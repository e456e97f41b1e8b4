package dev.tributary.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.firehose.processing.Processing;
import dev.tributary.firehose.s3.Compression;
import dev.tributary.firehose.s3.FileSink;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.StreamSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryEngineTest {
    private static final String BUF = "firehose/000000000000/us-east-1/orders";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T05:06:07Z"));
    private ShardStore store;
    private DeliveryEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void open() {
        store = ShardStores.open(StoreConfig.defaults(dir.resolve("store")).withClock(clock));
        engine = new DeliveryEngine(store, clock, new FileSink(dir.resolve("s3")));
    }

    private static DeliverySpec spec(long bytes, Duration interval, Compression c) {
        return new DeliverySpec("orders", 1, "bucket", null, null, bytes, interval, c, null, ZoneOffset.UTC);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> objects() throws IOException {
        Path root = dir.resolve("s3/bucket");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void intervalFlushWritesOneObjectWithConcatenatedRecordsUnderTheHourPrefix() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, spec(1024 * 1024, Duration.ofSeconds(60), Compression.UNCOMPRESSED), null);
        engine.put(BUF, List.of(b("a\n"), b("b\n")));
        clock.advance(Duration.ofSeconds(10));
        engine.put(BUF, List.of(b("c")));
        assertThat(engine.tick()).isZero();
        clock.advance(Duration.ofSeconds(50));
        assertThat(engine.tick()).isEqualTo(1);
        List<Path> files = objects();
        assertThat(files).hasSize(1);
        String rel = dir.resolve("s3/bucket").relativize(files.get(0)).toString();
        assertThat(rel).matches("2026/03/04/05/orders-1-2026-03-04-05-06-07-[0-9a-f-]{36}");
        assertThat(Files.readString(files.get(0))).isEqualTo("a\nb\nc");
        assertThat(engine.tick()).isZero();
    }

    @Test
    void sizeFlushWritesWhenTheBufferFills() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, spec(10, Duration.ofSeconds(900), Compression.UNCOMPRESSED), null);
        engine.put(BUF, List.of(b("12345"), b("67890"), b("abc")));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(Files.readString(objects().get(0))).isEqualTo("1234567890");
        assertThat(engine.buffered(BUF)).isEqualTo(1);
    }

    @Test
    void zeroIntervalDeliversOnEveryTick() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, spec(5 * 1024 * 1024, Duration.ZERO, Compression.GZIP), null);
        engine.put(BUF, List.of(b("x")));
        assertThat(engine.tick()).isEqualTo(1);
        Path f = objects().get(0);
        assertThat(f.getFileName().toString()).endsWith(".gz");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(f))).readAllBytes())
                .isEqualTo(b("x"));
    }

    @Test
    void explicitFlushIgnoresTheHints() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, spec(1024 * 1024, Duration.ofSeconds(300), Compression.UNCOMPRESSED), null);
        engine.put(BUF, List.of(b("x")));
        assertThat(engine.flush(null)).isEqualTo(1);
        assertThat(objects()).hasSize(1);
    }

    @Test
    void customPrefixZoneAndExtensionShapeTheKey() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, new DeliverySpec("orders", 2, "bucket", "p/!{timestamp:yyyy-MM-dd}/", "e/", 100,
                Duration.ZERO, Compression.UNCOMPRESSED, ".json", ZoneId.of("Asia/Tokyo")), null);
        engine.put(BUF, List.of(b("{}")));
        engine.tick();
        String rel = dir.resolve("s3/bucket").relativize(objects().get(0)).toString();
        assertThat(rel).matches("p/2026-03-04/orders-2-2026-03-04-14-06-07-[0-9a-f-]{36}\\.json");
    }

    @Test
    void restartDeliversWhatWasBufferedAndNothingTwice() throws IOException {
        open();
        engine.create(BUF, Map.of("mine", "kept"), null);
        DeliverySpec spec = spec(1024 * 1024, Duration.ofSeconds(60), Compression.UNCOMPRESSED);
        engine.deliver(BUF, spec, null);
        engine.put(BUF, List.of(b("first")));
        clock.advance(Duration.ofSeconds(60));
        assertThat(engine.tick()).isEqualTo(1);
        engine.put(BUF, List.of(b("second"), b("third")));
        engine.tick();
        engine.close();
        store.close();

        open();
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry("mine", "kept");
        engine.deliver(BUF, spec, null);
        clock.advance(Duration.ofSeconds(60));
        assertThat(engine.tick()).isEqualTo(1);
        List<String> bodies = new ArrayList<>();
        for (Path p : objects()) {
            bodies.add(Files.readString(p));
        }
        assertThat(bodies).containsExactlyInAnyOrder("first", "secondthird");
    }

    @Test
    void kinesisSourceStartsAtLatestAndFollowsResharding() throws IOException {
        open();
        String src = "000000000000/us-east-1/source";
        store.createStream(new StreamSpec(src, 1, Duration.ofHours(24), Map.of()));
        store.log(src, 0).append(List.of(new AppendRecord(clock.millis(), b("k"), b("before"), 0)));
        engine.create(BUF, Map.of(), src);
        engine.deliver(BUF, spec(1024 * 1024, Duration.ofSeconds(60), Compression.UNCOMPRESSED), src);
        store.log(src, 0).append(List.of(new AppendRecord(clock.millis(), b("k"), b("A"), 0)));
        engine.tick();
        store.splitShard(src, 0, BigInteger.ONE.shiftLeft(127));
        store.log(src, 2).append(List.of(new AppendRecord(clock.millis(), b("k"), b("C"), 0)));
        store.log(src, 1).append(List.of(new AppendRecord(clock.millis(), b("k"), b("B"), 0)));
        engine.tick();
        clock.advance(Duration.ofSeconds(60));
        assertThat(engine.tick()).isEqualTo(1);
        String body = Files.readString(objects().get(0));
        assertThat(body).startsWith("A").doesNotContain("before").hasSize(3).contains("B").contains("C");
    }

    @Test
    void newSpecDeliversWhatWasBufferedUnderTheOldVersionFirst() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, spec(1024 * 1024, Duration.ofSeconds(300), Compression.UNCOMPRESSED), null);
        engine.put(BUF, List.of(b("old")));
        engine.deliver(BUF, new DeliverySpec("orders", 2, "bucket", null, null, 1024 * 1024, Duration.ZERO,
                Compression.UNCOMPRESSED, null, ZoneOffset.UTC), null);
        assertThat(objects()).hasSize(1);
        assertThat(objects().get(0).getFileName().toString()).startsWith("orders-1-");
        engine.put(BUF, List.of(b("new")));
        engine.tick();
        assertThat(objects()).hasSize(2);
    }

    private static Processing partitionByCustomer(byte[] appendDelimiter) {
        // Stands in for the emulator's JQ query {customer_id:.customer_id}: "c=<id>;..." records.
        return new Processing(false, null, null, record -> {
            String s = new String(record, StandardCharsets.UTF_8);
            if (!s.startsWith("c=")) {
                throw new IllegalArgumentException("not a customer record: " + s);
            }
            return Map.of("customer_id", s.substring(2, s.indexOf(';')), "unused", s);
        }, appendDelimiter);
    }

    private DeliverySpec partitionedSpec(long bytes, Duration interval) {
        return new DeliverySpec("orders", 1, "bucket", "customer_id=!{partitionKeyFromQuery:customer_id}/",
                "errors/!{firehose:error-output-type}/", bytes, interval, Compression.UNCOMPRESSED, null,
                ZoneOffset.UTC, partitionByCustomer(b("\n")));
    }

    private Map<String, String> contentsByKey() throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Path f : objects()) {
            out.put(dir.resolve("s3/bucket").relativize(f).toString(), Files.readString(f));
        }
        return out;
    }

    @Test
    void appendDelimiterWritesANewlineAfterEachRecordAndCountsItInTheSize() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, new DeliverySpec("orders", 1, "bucket", null, null, 4, Duration.ofSeconds(60),
                Compression.UNCOMPRESSED, null, ZoneOffset.UTC, new Processing(false, null, null, null, b("\n"))),
                null);
        engine.put(BUF, List.of(b("a"), b("b"), b("c")));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(Files.readString(objects().get(0))).isEqualTo("a\nb\n");
        assertThat(engine.buffered(BUF)).isEqualTo(1);
    }

    @Test
    void deAggregationSplitsRecordsBeforeTheyAreBuffered() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, new DeliverySpec("orders", 1, "bucket", null, null, 1024, Duration.ofSeconds(60),
                Compression.UNCOMPRESSED, null, ZoneOffset.UTC,
                new Processing(true, Processing.SubRecordType.JSON, null, null, b("\n"))), null);
        engine.put(BUF, List.of(b("{\"a\":1}{\"a\":2}")));
        engine.tick();
        assertThat(engine.buffered(BUF)).isEqualTo(2);
        engine.flush(null);
        assertThat(Files.readString(objects().get(0))).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
    }

    @Test
    void dynamicPartitioningWritesOneObjectPerKeyUnderItsPrefix() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, partitionedSpec(1024 * 1024, Duration.ofSeconds(60)), null);
        engine.put(BUF, List.of(b("c=1;a"), b("c=2;b"), b("c=1;c")));
        assertThat(engine.tick()).isZero();
        assertThat(engine.buffered(BUF)).isEqualTo(3);
        clock.advance(Duration.ofSeconds(60));
        assertThat(engine.tick()).isEqualTo(2);
        Map<String, String> objects = contentsByKey();
        assertThat(objects).hasSize(2);
        String name = "orders-1-2026-03-04-05-06-07-[0-9a-f-]{36}";
        assertThat(objects.keySet()).anySatisfy(k -> assertThat(k).matches("customer_id=1/" + name))
                .anySatisfy(k -> assertThat(k).matches("customer_id=2/" + name));
        assertThat(objects.entrySet()).allSatisfy(e -> assertThat(e.getValue())
                .isEqualTo(e.getKey().startsWith("customer_id=1/") ? "c=1;a\nc=1;c\n" : "c=2;b\n"));
    }

    @Test
    void eachPartitionFlushesOnItsOwnSize() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, partitionedSpec(12, Duration.ofSeconds(900)), null);
        engine.put(BUF, List.of(b("c=1;aaaa"), b("c=2;b"), b("c=1;cccc")));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(contentsByKey().values()).containsExactly("c=1;aaaa\nc=1;cccc\n");
        assertThat(engine.buffered(BUF)).isEqualTo(1);
        // c=2 is still buffered: the delivered offset stays at its record, so a restart re-reads it.
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "1");
    }

    @Test
    void recordsWhoseKeysCannotBeExtractedGoToTheErrorPrefix() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, partitionedSpec(1024 * 1024, Duration.ZERO), null);
        engine.put(BUF, List.of(b("c=1;ok"), b("garbage")));
        assertThat(engine.tick()).isEqualTo(2);
        Map<String, String> objects = contentsByKey();
        String error = objects.entrySet().stream().filter(e -> e.getKey().startsWith("errors/")).findFirst()
                .orElseThrow().getKey();
        assertThat(error).matches("errors/processing-failed/2026/03/04/05/orders-1-2026-03-04-05-06-07-[0-9a-f-]{36}");
        assertThat(objects.get(error)).isEqualTo("{\"attemptsMade\":1,\"arrivalTimestamp\":"
                + clock.millis() + ",\"errorCode\":\"DynamicPartitioning.MetadataExtractionFailed\","
                + "\"errorMessage\":\"not a customer record: garbage\",\"attemptEndingTimestamp\":" + clock.millis()
                + ",\"rawData\":\"Z2FyYmFnZQ==\"}\n");
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "2");
    }

    @Test
    void beyondFiveHundredActivePartitionsRecordsGoToTheActivePartitionExceededPrefix() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, partitionedSpec(1024 * 1024, Duration.ofSeconds(60)), null);
        List<byte[]> records = new java.util.ArrayList<>();
        for (int i = 0; i < DeliveryEngine.MAX_ACTIVE_PARTITIONS + 2; i++) {
            records.add(b("c=" + i + ";x"));
        }
        records.add(b("c=7;again")); // an active partition still takes records
        engine.put(BUF, records);
        engine.tick();
        engine.flush(null);
        Map<String, String> objects = contentsByKey();
        assertThat(objects.keySet().stream().filter(k -> k.startsWith("customer_id="))).hasSize(500);
        assertThat(objects.entrySet().stream().filter(e -> e.getKey().startsWith("customer_id=7/")).findFirst()
                .orElseThrow().getValue()).isEqualTo("c=7;x\nc=7;again\n");
        Map.Entry<String, String> exceeded = objects.entrySet().stream()
                .filter(e -> e.getKey().startsWith("errors/")).findFirst().orElseThrow();
        assertThat(exceeded.getKey()).startsWith("errors/activePartitionExceeded/");
        assertThat(exceeded.getValue().lines()).hasSize(2).allSatisfy(l -> assertThat(l)
                .contains("\"errorCode\":\"DynamicPartitioning.ActivePartitionsLimitExceeded\"")
                .contains("\"errorMessage\":\"The number of active partitions reached the limit of 500.\""));
        assertThat(exceeded.getValue()).contains("\"rawData\":\"Yz01MDA7eA==\"").contains("\"rawData\":\"Yz01MDE7eA==\"");
    }

    @Test
    void restartRedeliversPartitionsThatWereStillBuffered() throws IOException {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, partitionedSpec(12, Duration.ofSeconds(900)), null);
        engine.put(BUF, List.of(b("c=2;b"), b("c=1;aaaa"), b("c=1;cccc")));
        assertThat(engine.tick()).isEqualTo(1);
        engine.close();
        engine = new DeliveryEngine(store, clock, new FileSink(dir.resolve("s3")));
        engine.deliver(BUF, partitionedSpec(12, Duration.ofSeconds(900)), null);
        assertThat(engine.flush(null)).isEqualTo(2);
        // At-least-once: customer 1's records come again, customer 2's are not lost.
        assertThat(contentsByKey().values()).containsExactlyInAnyOrder("c=1;aaaa\nc=1;cccc\n",
                "c=1;aaaa\nc=1;cccc\n", "c=2;b\n");
    }

    @Test
    void deleteDropsTheBufferLog() {
        open();
        engine.create(BUF, Map.of(), null);
        engine.deliver(BUF, spec(100, Duration.ZERO, Compression.UNCOMPRESSED), null);
        engine.delete(BUF);
        assertThat(store.stream(BUF)).isEmpty();
        assertThat(engine.tick()).isZero();
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
