package dev.tributary.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.firehose.processing.LambdaProcessor;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lambda processor inside the engine: batching by its hints, Ok / Dropped / ProcessingFailed, retries. */
class DeliveryEngineLambdaTest {
    private static final String BUF = "firehose/000000000000/us-east-1/orders";
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:upper";

    @TempDir
    Path dir;

    private final DeliveryEngineTest.MutableClock clock =
            new DeliveryEngineTest.MutableClock(Instant.parse("2026-03-04T05:06:07Z"));
    private ShardStore store;
    private DeliveryEngine engine;
    /** Every batch the function was called with: the record ids and data. */
    private final List<List<String>> calls = new ArrayList<>();

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

    /** Upper-cases records, drops "drop", fails "fail"; the partition key is the first letter. */
    private List<LambdaProcessor.Output> upper(List<LambdaProcessor.Input> in) {
        calls.add(in.stream().map(r -> r.recordId() + "=" + new String(r.data(), StandardCharsets.UTF_8)).toList());
        List<LambdaProcessor.Output> out = new ArrayList<>();
        for (LambdaProcessor.Input r : in) {
            String s = new String(r.data(), StandardCharsets.UTF_8);
            String result = s.equals("drop") ? "Dropped" : s.equals("fail") ? "ProcessingFailed" : "Ok";
            out.add(new LambdaProcessor.Output(r.recordId(), result,
                    s.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8), Map.of("k", s.substring(0, 1))));
        }
        return out;
    }

    private DeliverySpec spec(LambdaProcessor lambda, String prefix, boolean partitioned) {
        Processing p = new Processing(false, null, null, partitioned ? r -> Map.of() : null, new byte[] {'\n'}, lambda);
        return new DeliverySpec("orders", 1, "bucket", prefix, "errors/!{firehose:error-output-type}/", 1024 * 1024,
                Duration.ZERO, Compression.UNCOMPRESSED, null, ZoneOffset.UTC, p);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> contentsByKey() throws IOException {
        Path root = dir.resolve("s3/bucket");
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
    void okRecordsAreDeliveredTransformedDroppedVanishAndFailedGoToTheErrorPrefixWithTheArn() throws IOException {
        open();
        engine.deliver(BUF, spec(new LambdaProcessor(ARN, 3, 1024 * 1024, Duration.ZERO, this::upper), null, false),
                null);
        engine.put(BUF, List.of(b("a"), b("drop"), b("fail"), b("b")));
        assertThat(engine.tick()).isEqualTo(2);
        assertThat(calls).containsExactly(List.of("0.0=a", "1.0=drop", "2.0=fail", "3.0=b"));
        Map<String, String> objects = contentsByKey();
        assertThat(objects).hasSize(2);
        String name = "orders-1-2026-03-04-05-06-07-[0-9a-f-]{36}";
        assertThat(objects.keySet()).anySatisfy(k -> assertThat(k).matches("2026/03/04/05/" + name))
                .anySatisfy(k -> assertThat(k).matches("errors/processing-failed/2026/03/04/05/" + name));
        objects.forEach((k, v) -> {
            if (k.startsWith("errors/")) {
                assertThat(v).isEqualTo("{\"attemptsMade\":1,\"arrivalTimestamp\":" + clock.millis()
                        + ",\"errorCode\":\"Lambda.ProcessingFailedStatus\",\"errorMessage\":\"ProcessingFailed status"
                        + " set for record\",\"attemptEndingTimestamp\":" + clock.millis()
                        + ",\"rawData\":\"ZmFpbA==\",\"lambdaArn\":\"" + ARN + "\"}\n");
            } else {
                assertThat(v).isEqualTo("A\nB\n");
            }
        });
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "4");
    }

    @Test
    void recordsWaitForTheProcessorsOwnBufferSizeOrInterval() throws IOException {
        open();
        engine.deliver(BUF, spec(new LambdaProcessor(ARN, 3, 10, Duration.ofSeconds(60), this::upper), null, false),
                null);
        engine.put(BUF, List.of(b("aaaa"), b("bbbb")));
        assertThat(engine.tick()).isZero();
        assertThat(calls).isEmpty();
        assertThat(engine.buffered(BUF)).isEqualTo(2);
        engine.put(BUF, List.of(b("cccc"), b("dddd")));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(calls).containsExactly(List.of("0.0=aaaa", "1.0=bbbb", "2.0=cccc"));
        // dddd waits for the interval; the delivered offset stays at it.
        assertThat(store.stream(BUF).orElseThrow().attributes()).containsEntry(DeliveryEngine.DELIVERED, "3");
        clock.advance(Duration.ofSeconds(59));
        assertThat(engine.tick()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(calls).hasSize(2).last().isEqualTo(List.of("3.0=dddd"));
        assertThat(contentsByKey().values()).containsExactlyInAnyOrder("AAAA\nBBBB\nCCCC\n", "DDDD\n");
    }

    @Test
    void aFailingInvocationIsRetriedThenEveryRecordOfTheBatchFails() throws IOException {
        open();
        int[] attempts = {0};
        LambdaProcessor.Transformer down = in -> {
            attempts[0]++;
            throw new LambdaProcessor.InvocationException("Lambda.FunctionError", "HTTP 500 from the function");
        };
        engine.deliver(BUF, spec(new LambdaProcessor(ARN, 2, 1024 * 1024, Duration.ZERO, down), null, false), null);
        engine.put(BUF, List.of(b("x"), b("y")));
        assertThat(engine.tick()).isEqualTo(1);
        assertThat(attempts[0]).isEqualTo(3);
        String errors = contentsByKey().values().iterator().next();
        assertThat(errors.lines()).containsExactly(
                "{\"attemptsMade\":3,\"arrivalTimestamp\":" + clock.millis() + ",\"errorCode\":\"Lambda.FunctionError\""
                        + ",\"errorMessage\":\"HTTP 500 from the function\",\"attemptEndingTimestamp\":" + clock.millis()
                        + ",\"rawData\":\"eA==\",\"lambdaArn\":\"" + ARN + "\"}",
                "{\"attemptsMade\":3,\"arrivalTimestamp\":" + clock.millis() + ",\"errorCode\":\"Lambda.FunctionError\""
                        + ",\"errorMessage\":\"HTTP 500 from the function\",\"attemptEndingTimestamp\":" + clock.millis()
                        + ",\"rawData\":\"eQ==\",\"lambdaArn\":\"" + ARN + "\"}");
    }

    @Test
    void partitionKeysFromTheFunctionShapeThePrefix() throws IOException {
        open();
        engine.deliver(BUF, spec(new LambdaProcessor(ARN, 0, 1024 * 1024, Duration.ZERO, this::upper),
                "k=!{partitionKeyFromLambda:k}/", true), null);
        engine.put(BUF, List.of(b("a1"), b("b1"), b("a2")));
        assertThat(engine.tick()).isEqualTo(2);
        Map<String, String> objects = contentsByKey();
        assertThat(objects.entrySet()).hasSize(2).allSatisfy(e -> assertThat(e.getValue())
                .isEqualTo(e.getKey().startsWith("k=a/") ? "A1\nA2\n" : "B1\n"));
        assertThat(objects.keySet()).anySatisfy(k -> assertThat(k).startsWith("k=b/orders-1-"));
    }

    @Test
    void processRetriesUntilAnAnswerAndChecksTheRecordIds() {
        int[] attempts = {0};
        LambdaProcessor flaky = new LambdaProcessor(ARN, 3, 1, Duration.ZERO, in -> {
            if (++attempts[0] < 3) {
                throw new LambdaProcessor.InvocationException("Lambda.FunctionError", "busy");
            }
            return List.of(new LambdaProcessor.Output("1", "Ok", b("x"), null));
        });
        List<LambdaProcessor.Outcome> out = flaky.process(List.of(new LambdaProcessor.Input("1", 0, b("a"))));
        assertThat(attempts[0]).isEqualTo(3);
        assertThat(out).hasSize(1).first().isInstanceOf(LambdaProcessor.Ok.class);

        LambdaProcessor missing = new LambdaProcessor(ARN, 0, 1, Duration.ZERO,
                in -> List.of(new LambdaProcessor.Output("1", "Ok", b("x"), null)));
        assertThat(missing.process(List.of(new LambdaProcessor.Input("1", 0, b("a")),
                new LambdaProcessor.Input("2", 0, b("b"))))).containsExactly(
                new LambdaProcessor.Failed("Lambda.MissingRecordId", "The function did not return record id 2.", 1),
                new LambdaProcessor.Failed("Lambda.MissingRecordId", "The function did not return record id 2.", 1));

        LambdaProcessor twice = new LambdaProcessor(ARN, 0, 1, Duration.ZERO,
                in -> List.of(new LambdaProcessor.Output("1", "Ok", b("x"), null),
                        new LambdaProcessor.Output("1", "Dropped", null, null)));
        assertThat(twice.process(List.of(new LambdaProcessor.Input("1", 0, b("a"))))).containsExactly(
                new LambdaProcessor.Failed("Lambda.DuplicatedRecordId",
                        "The function returned record id 1 more than once.", 1));

        LambdaProcessor odd = new LambdaProcessor(ARN, 0, 1, Duration.ZERO,
                in -> List.of(new LambdaProcessor.Output("1", "Maybe", b("x"), null)));
        assertThat(odd.process(List.of(new LambdaProcessor.Input("1", 0, b("a"))))).containsExactly(
                new LambdaProcessor.Failed("Lambda.JsonProcessingException",
                        "The record 1 has result 'Maybe', not Ok, Dropped or ProcessingFailed.", 1));
    }
}
