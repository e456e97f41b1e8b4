package dev.tributary.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.firehose.processing.Processing;
import dev.tributary.firehose.s3.Compression;
import dev.tributary.firehose.s3.FileSink;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP endpoint delivery (with a fake sender), its retries on the clock, and S3 backup modes. */
class DeliveryEngineHttpTest {
    private static final String BUF = "firehose/000000000000/us-east-1/orders";
    private static final String NAME = "orders-1-2026-03-04-05-06-07-[0-9a-f-]{36}";

    @TempDir
    Path dir;

    private final DeliveryEngineTest.MutableClock clock =
            new DeliveryEngineTest.MutableClock(Instant.parse("2026-03-04T05:06:07Z"));
    private final long t0 = clock.millis();
    private ShardStore store;
    private DeliveryEngine engine;
    /** Requests the fake endpoint got: request id, time, records. */
    private final List<String> requests = new ArrayList<>();

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
        engine.create(BUF, Map.of(), null);
    }

    private HttpTarget.Sender answering(HttpTarget.Result result) {
        return (id, ts, records) -> {
            requests.add(id + "@" + (ts - t0) + ":" + String.join(",",
                    records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList()));
            return result;
        };
    }

    private static DeliverySpec httpSpec(HttpTarget http) {
        return new DeliverySpec("orders", 1, "bucket", "backup/", null, 1024 * 1024, Duration.ofSeconds(60),
                Compression.UNCOMPRESSED, null, ZoneOffset.UTC, Processing.NONE, http, null);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> contentsByKey() throws IOException {
        Path root = dir.resolve("s3");
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }

    @Test
    void aBufferIsSentAsOneRequestAndNothingGoesToS3() throws IOException {
        open();
        engine.deliver(BUF, httpSpec(new HttpTarget("u", answering(HttpTarget.Result.OK), Duration.ofSeconds(300),
                false)), null);
        engine.put(BUF, List.of(b("a"), b("b")));
        assertThat(engine.tick()).isZero();
        clock.advance(Duration.ofSeconds(60));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(requests).hasSize(1).first().asString().matches("[0-9a-f-]{36}@60000:a,b");
        assertThat(contentsByKey()).isEmpty();
        assertThat(engine.buffered(BUF)).isZero();
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "2");
    }

    @Test
    void aFailingEndpointIsRetriedWithBackoffWithinTheRetryDurationThenRecordsGoToTheErrorPrefix()
            throws IOException {
        open();
        engine.deliver(BUF, httpSpec(new HttpTarget("u", answering(HttpTarget.Result.failed(true,
                "HttpEndpoint.DestinationException", "The following response was received from the endpoint"
                        + " destination. 503: down")), Duration.ofSeconds(10), false)), null);
        engine.put(BUF, List.of(b("a"), b("b")));
        assertThat(engine.flush(BUF)).isZero();
        // Attempts at 0 s, then after 1, 2 and 4 s; the next (8 s later, at 15 s) would pass the 10 s.
        for (long at : new long[] {999, 1000, 2999, 3000, 6999, 7000}) {
            clock.advance(Duration.ofMillis(at - (clock.millis() - t0)));
            engine.tick();
        }
        assertThat(requests).hasSize(4);
        String id = requests.get(0).substring(0, 36);
        assertThat(requests).containsExactly(id + "@0:a,b", id + "@1000:a,b", id + "@3000:a,b", id + "@7000:a,b");
        assertThat(engine.buffered(BUF)).isZero();
        Map<String, String> objects = contentsByKey();
        assertThat(objects).hasSize(1);
        String key = objects.keySet().iterator().next();
        assertThat(key).matches("bucket/backup/http-endpoint-failed/2026/03/04/05/" + NAME);
        assertThat(objects.get(key).lines()).containsExactly(
                "{\"attemptsMade\":4,\"arrivalTimestamp\":" + t0 + ",\"errorCode\":\"HttpEndpoint.DestinationException\","
                        + "\"errorMessage\":\"The following response was received from the endpoint destination. 503:"
                        + " down\",\"attemptEndingTimestamp\":" + (t0 + 7000) + ",\"rawData\":\"YQ==\","
                        + "\"subsequenceNumber\":0,\"dataId\":\"" + id + ".0\"}",
                "{\"attemptsMade\":4,\"arrivalTimestamp\":" + t0 + ",\"errorCode\":\"HttpEndpoint.DestinationException\","
                        + "\"errorMessage\":\"The following response was received from the endpoint destination. 503:"
                        + " down\",\"attemptEndingTimestamp\":" + (t0 + 7000) + ",\"rawData\":\"Yg==\","
                        + "\"subsequenceNumber\":0,\"dataId\":\"" + id + ".1\"}");
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "2");
    }

    @Test
    void aPermanentFailureIsNotRetriedAndNewRecordsWaitWhileARequestIsInFlight() throws IOException {
        open();
        List<HttpTarget.Result> answers = new ArrayList<>(List.of(
                HttpTarget.Result.failed(true, "HttpEndpoint.ConnectionFailed", "refused"),
                HttpTarget.Result.failed(false, "HttpEndpoint.DestinationException", "413")));
        HttpTarget.Sender sender = (id, ts, records) -> {
            requests.add(new String(records.get(0), StandardCharsets.UTF_8));
            return answers.isEmpty() ? HttpTarget.Result.OK : answers.remove(0);
        };
        engine.deliver(BUF, httpSpec(new HttpTarget("u", sender, Duration.ofSeconds(300), false)), null);
        engine.put(BUF, List.of(b("a")));
        engine.flush(BUF);
        engine.put(BUF, List.of(b("b")));
        engine.tick();
        assertThat(requests).containsExactly("a");
        assertThat(engine.buffered(BUF)).isEqualTo(2);
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "0");
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(contentsByKey().keySet()).singleElement().asString().contains("http-endpoint-failed/");
        assertThat(engine.flush(BUF)).isEqualTo(1);
        assertThat(requests).containsExactly("a", "a", "b");
    }

    @Test
    void allDataBacksUpEveryBatchToTheS3Prefix() throws IOException {
        open();
        engine.deliver(BUF, httpSpec(new HttpTarget("u", answering(HttpTarget.Result.OK), Duration.ofSeconds(300),
                true)), null);
        engine.put(BUF, List.of(b("a"), b("b")));
        assertThat(engine.flush(BUF)).isEqualTo(2);
        Map<String, String> objects = contentsByKey();
        assertThat(objects).hasSize(1);
        assertThat(objects.keySet().iterator().next()).matches("bucket/backup/2026/03/04/05/" + NAME);
        assertThat(objects.values()).containsExactly("ab");
    }

    @Test
    void sourceRecordBackupWritesRecordsAsTheyWerePutWithItsOwnHints() throws IOException {
        open();
        DeliverySpec backup = new DeliverySpec("orders", 1, "raw", "source/", null, 1024 * 1024,
                Duration.ofSeconds(300), Compression.UNCOMPRESSED, null, ZoneOffset.UTC);
        DeliverySpec spec = new DeliverySpec("orders", 1, "bucket", null, null, 1024 * 1024, Duration.ofSeconds(60),
                Compression.UNCOMPRESSED, null, ZoneOffset.UTC,
                new Processing(false, null, null, null, new byte[] {'\n'}), null, backup);
        engine.deliver(BUF, spec, null);
        engine.put(BUF, List.of(b("a"), b("b")));
        clock.advance(Duration.ofSeconds(60));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(contentsByKey().values()).containsExactly("a\nb\n");
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "0");
        clock.advance(Duration.ofSeconds(240));
        assertThat(engine.tick()).isEqualTo(1);
        Map<String, String> objects = contentsByKey();
        assertThat(objects).hasSize(2);
        assertThat(objects.entrySet()).anySatisfy(e -> {
            assertThat(e.getKey()).matches("raw/source/2026/03/04/05/" + NAME);
            assertThat(e.getValue()).isEqualTo("ab");
        });
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "2");
    }
}
