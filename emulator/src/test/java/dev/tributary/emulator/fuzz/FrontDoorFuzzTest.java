package dev.tributary.emulator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.KinesisService;
import dev.tributary.emulator.protocol.AwsJsonDispatcher;
import dev.tributary.emulator.protocol.AwsJsonService;
import dev.tributary.emulator.protocol.AwsMappers;
import dev.tributary.emulator.protocol.Authenticator;
import dev.tributary.emulator.protocol.RawRequest;
import dev.tributary.emulator.protocol.ServiceModel;
import dev.tributary.emulator.protocol.Shape;
import dev.tributary.emulator.time.ControlClock;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the front door: generated requests for every Kinesis operation go through the real
 * dispatcher (decoding, validation, operations, store) and no answer may be a 500 (our bug) or
 * hang. Inputs are model-guided values with mutations (wrong types, boundary and huge numbers,
 * long and odd strings, missing and extra members, nulls, deep nesting), raw garbage, truncated
 * bodies, and the same in CBOR, against a store seeded with real streams so operations go deep.
 *
 * <p>Seeded and reproducible: {@code -Dfuzz.seed=N}. The CI run is short
 * ({@code -Dfuzz.iterations}, default 60,000); the long run is documented in docs/fuzzing.md.
 */
class FrontDoorFuzzTest {
    static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 60_000);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20300101/us-east-1/kinesis/aws4_request, "
            + "SignedHeaders=host, Signature=00";
    static final String[] STREAMS = {"fuzz-a", "fuzz-b", "fuzz-od", "missing", ""};

    final Random random = new Random(SEED);
    final ObjectMapper json = new ObjectMapper();
    final ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    ServiceModel model;
    ServiceModel firehoseModel;
    AwsJsonDispatcher dispatcher;
    final List<String> iterators = new ArrayList<>();
    final List<String> sequenceNumbers = new ArrayList<>();
    final List<String> consumerArns = new ArrayList<>();

    @Test
    void noGeneratedRequestIsAnInternalFailureOrHangs() throws Exception {
        ControlClock clock = new ControlClock(Clock.systemUTC());
        EmulatorConfig config = EmulatorConfig.forTests().withClock(clock);
        try (ShardStore store = ShardStores.open(StoreConfig.defaults(null).withClock(clock)
                .withRetentionCheckInterval(Duration.ZERO));
             KinesisBackend kinesis = new KinesisBackend(store, config);
             dev.tributary.emulator.firehose.FirehoseBackend firehose =
                     new dev.tributary.emulator.firehose.FirehoseBackend(store, config)) {
            model = ServiceModel.load(KinesisService.MODEL);
            firehoseModel = ServiceModel.load(dev.tributary.emulator.firehose.FirehoseService.MODEL);
            AwsJsonService service = KinesisService.create(kinesis, model);
            dispatcher = new AwsJsonDispatcher(List.of(service,
                    dev.tributary.emulator.firehose.FirehoseService.create(firehose, firehoseModel)), new AwsMappers(),
                    new Authenticator("000000000000", "us-east-1", false));
            seed();
            List<String> ops = new ArrayList<>(model.operations().keySet());
            ops.sort(null);
            List<String> firehoseOps = new ArrayList<>(firehoseModel.operations().keySet());
            firehoseOps.sort(null);
            for (String f : firehoseOps) {
                ops.add("Firehose:" + f);
            }
            Map<Integer, Integer> statuses = new LinkedHashMap<>();
            Assertions.assertTimeoutPreemptively(Duration.ofMinutes(10), () -> {
                for (int i = 0; i < ITERATIONS; i++) {
                    String op = random.nextInt(50) == 0 ? "Bogus" + i : ops.get(random.nextInt(ops.size()));
                    boolean useCbor = random.nextBoolean();
                    byte[] body = body(op, useCbor);
                    AwsJsonDispatcher.Answer answer = dispatch(op, useCbor, body);
                    statuses.merge(answer.status(), 1, Integer::sum);
                    if (answer.status() >= 500) {
                        throw new AssertionError("iteration " + i + " (seed " + SEED + ") " + op + " "
                                + (useCbor ? "CBOR " + Base64.getEncoder().encodeToString(body)
                                : new String(body, StandardCharsets.UTF_8)) + " -> " + answer.status() + " "
                                + new String(answer.body(), StandardCharsets.UTF_8));
                    }
                    if (answer.streaming() != null) {
                        continue; // a SubscribeToShard that would stream: nothing to read here
                    }
                    harvest(op, useCbor, answer);
                    if (i % 5000 == 4999) {
                        clock.advance(Duration.ofMinutes(random.nextInt(10)));
                    }
                }
            });
            System.out.println("front-door fuzz: " + ITERATIONS + " requests, seed " + SEED + ", statuses " + statuses);
            assertThat(statuses.keySet()).allMatch(s -> s < 500);
            assertThat(statuses.getOrDefault(200, 0)).as("some requests must get deep enough to succeed")
                    .isGreaterThan(ITERATIONS / 50);
        }
    }

    private AwsJsonDispatcher.Answer dispatch(String op, boolean useCbor, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Target", List.of(op.startsWith("Firehose:") ? "Firehose_20150804." + op.substring(9)
                : "Kinesis_20131202." + op));
        headers.put("Content-Type", List.of(useCbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1"));
        headers.put("Authorization", List.of(AUTH));
        return dispatcher.dispatch(new RawRequest("POST", "/", null, headers, body));
    }

    private void seed() throws Exception {
        call("CreateStream", "{\"StreamName\":\"fuzz-a\",\"ShardCount\":2}");
        call("CreateStream", "{\"StreamName\":\"fuzz-b\",\"ShardCount\":1}");
        call("CreateStream", "{\"StreamName\":\"fuzz-od\",\"StreamModeDetails\":{\"StreamMode\":\"ON_DEMAND\"}}");
        for (int i = 0; i < 20; i++) {
            call("PutRecord", "{\"StreamName\":\"fuzz-a\",\"PartitionKey\":\"k" + i + "\",\"Data\":\"AAAA\"}");
        }
        call("Firehose:CreateDeliveryStream", "{\"DeliveryStreamName\":\"fuzz-a\",\"ExtendedS3DestinationConfiguration\":"
                + "{\"RoleARN\":\"arn:aws:iam::000000000000:role/f\",\"BucketARN\":\"arn:aws:s3:::fuzz-bucket\"}}");
        call("RegisterStreamConsumer", "{\"StreamARN\":\"arn:aws:kinesis:us-east-1:000000000000:stream/fuzz-a\","
                + "\"ConsumerName\":\"c1\"}");
    }

    private void call(String op, String body) throws Exception {
        AwsJsonDispatcher.Answer a = dispatch(op, false, body.getBytes(StandardCharsets.UTF_8));
        assertThat(a.status()).as(op + " " + new String(a.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        harvest(op, false, a);
    }

    /** Keeps iterators, sequence numbers and consumer ARNs from answers, to reuse in later inputs. */
    private void harvest(String op, boolean useCbor, AwsJsonDispatcher.Answer answer) {
        if (answer.status() != 200 || answer.body().length == 0) {
            return;
        }
        try {
            JsonNode n = (useCbor ? cbor : json).readTree(answer.body());
            collect(n);
        } catch (Exception e) {
            throw new AssertionError(op + " answered 200 with a body that does not parse", e);
        }
    }

    private void collect(JsonNode n) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                String k = e.getKey();
                JsonNode v = e.getValue();
                if (v.isTextual() && (k.equals("ShardIterator") || k.equals("NextShardIterator"))) {
                    remember(iterators, v.asText());
                } else if (v.isTextual() && k.endsWith("SequenceNumber")) {
                    remember(sequenceNumbers, v.asText());
                } else if (v.isTextual() && k.equals("ConsumerARN")) {
                    remember(consumerArns, v.asText());
                } else {
                    collect(v);
                }
            });
        } else if (n.isArray()) {
            n.forEach(this::collect);
        }
    }

    private static void remember(List<String> list, String v) {
        if (list.size() < 200) {
            list.add(v);
        } else {
            list.set(Math.abs(v.hashCode()) % 200, v);
        }
    }

    // ---- generation ---------------------------------------------------------------------------

    private byte[] body(String op, boolean useCbor) throws Exception {
        int kind = random.nextInt(100);
        if (kind < 4) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            return garbage;
        }
        ServiceModel.Operation operation = op.startsWith("Firehose:") ? firehoseModel.operation(op.substring(9))
                : model.operation(op);
        JsonNode value = operation == null || operation.input() == null ? randomJson(0)
                : kind < 10 ? randomJson(0) : value(operation.input(), 0, "");
        byte[] bytes = (useCbor ? cbor : json).writeValueAsBytes(value);
        if (kind >= 10 && kind < 14 && bytes.length > 1) {
            int cut = 1 + random.nextInt(bytes.length - 1);
            byte[] truncated = new byte[cut];
            System.arraycopy(bytes, 0, truncated, 0, cut);
            return truncated;
        }
        if (kind == 14) {
            return ("{\"a\":" + "[".repeat(2000 + random.nextInt(3000))).getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private JsonNode value(Shape shape, int depth, String memberName) {
        if (random.nextInt(40) == 0) {
            return randomJson(depth);
        }
        switch (shape.type()) {
            case STRUCTURE: {
                ObjectNode o = NODES.objectNode();
                for (Shape.Member m : shape.members().values()) {
                    int p = random.nextInt(10);
                    if (m.required() ? p < 9 : p < 6) {
                        o.set(m.name(), depth > 6 ? NODES.nullNode() : value(m.shape(), depth + 1, m.name()));
                    }
                }
                if (random.nextInt(20) == 0) {
                    o.set("Unknown" + random.nextInt(5), randomJson(depth + 1));
                }
                return o;
            }
            case LIST: {
                ArrayNode a = NODES.arrayNode();
                int n = random.nextInt(20) == 0 ? 501 + random.nextInt(10) : random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(depth > 6 ? NODES.nullNode() : value(shape.listMember(), depth + 1, memberName));
                }
                return a;
            }
            case MAP: {
                ObjectNode o = NODES.objectNode();
                int n = random.nextInt(20) == 0 ? 60 : random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(string(shape.mapKey(), "TagKey"), value(shape.mapValue(), depth + 1, "TagValue"));
                }
                return o;
            }
            case STRING:
                return NODES.textNode(string(shape, memberName));
            case INTEGER:
            case LONG: {
                long[] interesting = {0, 1, -1, 2, 3, 4, 24, 25, 48, 100, 500, 501, 1000, 1024, 10000, 10001, 8760,
                        8761, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE};
                return NODES.numberNode(random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                        : random.nextInt(100));
            }
            case DOUBLE:
            case FLOAT:
                return NODES.numberNode(random.nextDouble() * 1e6);
            case BOOLEAN:
                return NODES.booleanNode(random.nextBoolean());
            case TIMESTAMP: {
                double[] interesting = {0, -1, 1e12, 1.7e9, System.currentTimeMillis() / 1000.0,
                        System.currentTimeMillis() / 1000.0 + 86400, 9.9e15};
                return NODES.numberNode(interesting[random.nextInt(interesting.length)]);
            }
            case BLOB: {
                byte[] b = new byte[random.nextInt(30) == 0 ? 1024 * 1024 + 1 : random.nextInt(64)];
                random.nextBytes(b);
                return NODES.binaryNode(b);
            }
            default:
                return NODES.nullNode();
        }
    }

    private String string(Shape shape, String memberName) {
        if (!shape.enumValues().isEmpty() && random.nextInt(8) != 0) {
            return shape.enumValues().get(random.nextInt(shape.enumValues().size()));
        }
        String lower = memberName.toLowerCase(java.util.Locale.ROOT);
        int p = random.nextInt(10);
        if (p < 6) {
            if (lower.contains("iterator") && !iterators.isEmpty()) {
                return iterators.get(random.nextInt(iterators.size()));
            }
            if (lower.contains("sequencenumber") && !sequenceNumbers.isEmpty()) {
                return sequenceNumbers.get(random.nextInt(sequenceNumbers.size()));
            }
            if (lower.equals("consumerarn") && !consumerArns.isEmpty()) {
                return consumerArns.get(random.nextInt(consumerArns.size()));
            }
            if (lower.contains("streamname") || lower.equals("exclusivestartstreamname")) {
                return STREAMS[random.nextInt(STREAMS.length)];
            }
            if (lower.contains("arn")) {
                return "arn:aws:kinesis:us-east-1:000000000000:stream/" + STREAMS[random.nextInt(STREAMS.length)]
                        + (random.nextInt(4) == 0 ? "/consumer/c1:" + random.nextInt(3) : "");
            }
            if (lower.contains("shard")) {
                return "shardId-00000000000" + random.nextInt(6);
            }
            if (lower.contains("hashkey")) {
                String[] keys = {"0", "1", "2", "170141183460469231731687303715884105728",
                        "340282366920938463463374607431768211455", "340282366920938463463374607431768211456",
                        "99999999999999999999999999999999999999999"};
                return keys[random.nextInt(keys.length)];
            }
        }
        String[] odd = {"", " ", "a", "k", "x".repeat(129), "x".repeat(257), "\u0000", "\uD83D\uDE00", "%", "aws:x",
                "{}", "null", "-1", "49" + "9".repeat(54), "0".repeat(600), "ü;,\t\n"};
        return odd[random.nextInt(odd.length)];
    }

    private JsonNode randomJson(int depth) {
        int p = random.nextInt(depth > 4 ? 5 : 8);
        return switch (p) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.textNode(Integer.toString(random.nextInt()));
            case 4 -> NODES.numberNode(new java.math.BigDecimal("1e" + random.nextInt(400)));
            case 5 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomJson(depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    String[] names = {"StreamName", "ShardId", "Records", "Data", "Limit", "Tags", "X"};
                    o.set(names[random.nextInt(names.length)], randomJson(depth + 1));
                }
                yield o;
            }
        };
    }
}
