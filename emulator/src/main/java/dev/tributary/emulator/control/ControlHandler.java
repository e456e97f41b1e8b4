package dev.tributary.emulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.ShardIds;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.time.ControlClock;
import dev.tributary.store.api.ShardStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The test-control API under {@code /_tributary/} (documented in docs/test-control.md): health,
 * and the virtual clock. JSON in, JSON out; bad input is a 400 with {@code {"message": ...}}.
 *
 * <p>Thread-safe.
 */
public final class ControlHandler {
    public static final String PREFIX = "/_tributary/";

    /** An answer: status, content type and body. */
    public record Reply(int status, String contentType, byte[] body) {
    }

    /** Created on first use: building an ObjectMapper at start-up would put Jackson on the critical path. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private final ControlClock clock;
    private final ShardStore store;
    private final java.util.function.BooleanSupplier ready;
    private final KinesisBackend kinesis;
    private Faults faults = new Faults();

    /** The injected faults, for the dispatcher to apply. */
    public Faults faults() {
        return faults;
    }

    private dev.tributary.emulator.firehose.FirehoseBackend firehose;

    private dev.tributary.emulator.analytics.AnalyticsBackend analytics;

    /** Runs due Kinesis Analytics work (windows closed by a clock advance) before answering an advance. */
    public ControlHandler withAnalytics(dev.tributary.emulator.analytics.AnalyticsBackend backend) {
        this.analytics = backend;
        return this;
    }

    /** Serves {@code POST /_tributary/firehose/flush} with this Firehose backend. */
    public ControlHandler withFirehose(dev.tributary.emulator.firehose.FirehoseBackend backend) {
        this.firehose = backend;
        return this;
    }

    private dev.tributary.emulator.kafka.KafkaFaults kafkaFaults;

    /** Serves {@code POST /_tributary/faults/kafka} with the Kafka listener's fault registry. */
    public ControlHandler withKafkaFaults(dev.tributary.emulator.kafka.KafkaFaults registry) {
        this.kafkaFaults = registry;
        return this;
    }

    private dev.tributary.emulator.console.ConsoleHandler console;

    /** Serves the web console under {@code /_tributary/ui/} with {@code handler}. */
    public ControlHandler withConsole(dev.tributary.emulator.console.ConsoleHandler handler) {
        this.console = handler;
        return this;
    }

    /** Uses {@code shared} as the fault registry (the one the dispatcher checks). */
    public ControlHandler withFaults(Faults shared) {
        this.faults = shared;
        return this;
    }

    /** @param ready true once every service has started; health answers 503 until then */
    public ControlHandler(ControlClock clock, ShardStore store, KinesisBackend kinesis,
                          java.util.function.BooleanSupplier ready) {
        this.clock = clock;
        this.store = store;
        this.kinesis = kinesis;
        this.ready = ready;
    }

    public Reply handle(String method, String path, String query, byte[] body) {
        if (console != null && (path.equals("/_tributary/ui") || path.startsWith(dev.tributary.emulator.console.ConsoleHandler.PREFIX))) {
            return console.handle(method, path, query);
        }
        try {
            String route = method + " " + path;
            if (path.startsWith(PREFIX + "nodes") || path.equals(PREFIX + "replicas")) {
                return nodes(method, path, query, body);
            }
            return switch (route) {
                case "GET /_tributary/metrics" -> new Reply(200, dev.tributary.emulator.metrics.Metrics.CONTENT_TYPE,
                        kinesis.metrics().scrape().getBytes(StandardCharsets.UTF_8));
                case "GET /_tributary/health" -> ready.getAsBoolean()
                        ? new Reply(200, "application/json", health())
                        : new Reply(503, "application/json",
                                "{\"status\":\"starting\"}".getBytes(StandardCharsets.UTF_8));
                case "GET /_tributary/clock" -> ok(clockState());
                case "POST /_tributary/clock/advance" -> {
                    clock.advance(duration(read(body)));
                    store.enforceRetention();
                    if (analytics != null) {
                        analytics.runDue();
                    }
                    if (firehose != null) {
                        firehose.deliverDue();
                    }
                    yield ok(clockState());
                }
                case "POST /_tributary/clock/pin" -> {
                    JsonNode in = read(body);
                    clock.pin(in.has("at") ? instant(in.get("at")) : clock.instant());
                    yield ok(clockState());
                }
                case "POST /_tributary/clock/unpin" -> {
                    clock.unpin();
                    yield ok(clockState());
                }
                case "POST /_tributary/faults/kinesis/throttle" -> {
                    JsonNode in = read(body);
                    if (!in.hasNonNull("streamName")) {
                        throw new IllegalArgumentException("streamName is required");
                    }
                    StreamRef ref = new StreamRef(in.path("account").asText(kinesis.config().account()),
                            in.path("region").asText(kinesis.config().region()), in.get("streamName").asText());
                    int shard = in.hasNonNull("shardId") ? ShardIds.parse(in.get("shardId").asText()) : -1;
                    if (in.hasNonNull("shardId") && shard < 0) {
                        throw new IllegalArgumentException("invalid shardId " + in.get("shardId").asText());
                    }
                    int calls = in.path("calls").asInt(1);
                    kinesis.throttling().force(ref.storeKey(), shard, calls);
                    yield ok(Json.MAPPER.createObjectNode().put("stream", ref.arn()).put("calls", calls));
                }
                case "POST /_tributary/faults/errors" -> {
                    JsonNode in = read(body);
                    String name = in.path("error").asText(null);
                    dev.tributary.emulator.protocol.AwsErrorCode code = name == null ? null : errorCode(name);
                    Faults.Rule rule = faults.add(in.path("service").asText(null), in.path("operation").asText(null),
                            in.path("streamName").asText(null), in.path("shardId").asText(null), code,
                            in.path("message").asText(code == null ? null : "Injected " + code.code()),
                            in.path("latencyMillis").asLong(0), in.path("calls").asInt(in.has("probability") ? -1 : 1),
                            in.path("probability").asDouble(1.0), in.path("seed").asLong(0));
                    yield ok(Json.MAPPER.valueToTree(rule.view()));
                }
                case "POST /_tributary/faults/kafka" -> {
                    if (kafkaFaults == null) {
                        throw new IllegalArgumentException("Kafka is not running");
                    }
                    JsonNode in = read(body);
                    yield ok(Json.MAPPER.valueToTree(kafkaFaults.add(in.path("topic").asText(null),
                            in.path("partition").asInt(-1), in.path("api").asText(null), in.path("error").asText(null),
                            in.path("calls").asInt(1))));
                }
                case "GET /_tributary/faults" -> {
                    com.fasterxml.jackson.databind.node.ArrayNode list = Json.MAPPER.createArrayNode();
                    faults.list().forEach(r -> list.add(Json.MAPPER.valueToTree(r.view())));
                    ObjectNode out = Json.MAPPER.createObjectNode();
                    out.set("faults", list);
                    if (kafkaFaults != null) {
                        out.set("kafka", Json.MAPPER.valueToTree(kafkaFaults.list()));
                    }
                    var nodes = out.putArray("nodes");
                    for (var n : store.nodes()) {
                        var nf = store.nodeFaults(n.id());
                        if (!nf.isNone()) {
                            nodes.add(nodeFaults(n.id(), nf));
                        }
                    }
                    yield ok(out);
                }
                case "POST /_tributary/faults/clear" -> {
                    faults.clear();
                    kinesis.throttling().clearForced();
                    for (var n : store.nodes()) {
                        if (!store.nodeFaults(n.id()).isNone()) {
                            store.setNodeFaults(n.id(), dev.tributary.store.api.NodeFaults.NONE);
                        }
                    }
                    if (kafkaFaults != null) {
                        kafkaFaults.clear();
                    }
                    yield ok(Json.MAPPER.createObjectNode().put("cleared", true));
                }
                case "POST /_tributary/firehose/flush" -> {
                    if (firehose == null) {
                        throw new IllegalArgumentException("Firehose is not running");
                    }
                    JsonNode in = read(body);
                    String name = in.hasNonNull("deliveryStreamName") ? in.get("deliveryStreamName").asText() : null;
                    yield ok(Json.MAPPER.createObjectNode().put("objectsWritten", firehose.flush(name)));
                }
                case "GET /_tributary/firehose/lambdas" -> {
                    if (firehose == null) {
                        throw new IllegalArgumentException("Firehose is not running");
                    }
                    ObjectNode out = Json.MAPPER.createObjectNode();
                    out.set("functions", Json.MAPPER.valueToTree(firehose.lambdas().all()));
                    yield ok(out);
                }
                case "POST /_tributary/firehose/lambdas" -> {
                    if (firehose == null) {
                        throw new IllegalArgumentException("Firehose is not running");
                    }
                    JsonNode in = read(body);
                    String arn = in.path("functionArn").asText(null);
                    String url = in.hasNonNull("url") ? in.get("url").asText() : null;
                    firehose.lambdas().put(arn, url);
                    ObjectNode out = Json.MAPPER.createObjectNode();
                    out.set("functions", Json.MAPPER.valueToTree(firehose.lambdas().all()));
                    yield ok(out);
                }
                case "POST /_tributary/retention/enforce" -> {
                    store.enforceRetention();
                    yield ok(Json.MAPPER.createObjectNode().put("enforced", true));
                }
                default -> reply(404, Json.MAPPER.createObjectNode().put("message", "No control endpoint " + route));
            };
        } catch (IllegalArgumentException | IllegalStateException | DateTimeParseException | IOException e) {
            return reply(400, Json.MAPPER.createObjectNode().put("message", String.valueOf(e.getMessage())));
        }
    }

    /**
     * The store's nodes and replicas: {@code GET nodes}, {@code POST nodes/{id}/stop|start|faults},
     * {@code GET replicas[?stream=name]}.
     */
    private Reply nodes(String method, String path, String query, byte[] body) throws IOException {
        String rest = path.substring(PREFIX.length());
        if (method.equals("GET") && rest.equals("nodes")) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            var arr = out.putArray("nodes");
            for (var n : store.nodes()) {
                ObjectNode node = arr.addObject().put("id", n.id()).put("running", n.running());
                node.set("faults", nodeFaults(n.id(), store.nodeFaults(n.id())));
            }
            return ok(out);
        }
        if (method.equals("GET") && rest.equals("replicas")) {
            String only = null;
            if (query != null) {
                for (String kv : query.split("&")) {
                    if (kv.startsWith("stream=")) {
                        only = java.net.URLDecoder.decode(kv.substring(7), StandardCharsets.UTF_8);
                    }
                }
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            var streams = out.putArray("streams");
            for (var info : store.streams()) {
                StreamRef ref = StreamRef.ofStoreKey(info.name());
                String shortName = ref == null ? info.name() : ref.name();
                if (only != null && !only.equals(info.name()) && !only.equals(shortName)) {
                    continue;
                }
                ObjectNode st = streams.addObject().put("storeKey", info.name()).put("name", shortName);
                var shards = st.putArray("shards");
                for (var shard : info.shards()) {
                    var rs = store.replicaState(info.name(), shard.index());
                    ObjectNode o = shards.addObject().put("index", shard.index())
                            .put("shardId", ShardIds.format(shard.index())).put("open", shard.isOpen())
                            .put("leader", rs.leader()).put("leaderEpoch", rs.leaderEpoch())
                            .put("highWatermark", rs.highWatermark());
                    rs.replicas().forEach(o.putArray("replicas")::add);
                    rs.isr().forEach(o.putArray("isr")::add);
                    ObjectNode lag = o.putObject("lag");
                    long leaderEnd = rs.leader() < 0 ? rs.highWatermark()
                            : rs.logEndOffsets().getOrDefault(rs.leader(), rs.highWatermark());
                    rs.logEndOffsets().forEach((node, end) -> lag.put(String.valueOf(node), leaderEnd - end));
                }
            }
            if (only != null && streams.isEmpty()) {
                return reply(404, Json.MAPPER.createObjectNode().put("message", "No stream " + only));
            }
            return ok(out);
        }
        String[] parts = rest.split("/");
        if (method.equals("POST") && parts.length == 3 && parts[0].equals("nodes")) {
            int id;
            try {
                id = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("node id must be a number: " + parts[1]);
            }
            switch (parts[2]) {
                case "stop" -> store.stopNode(id);
                case "start" -> store.startNode(id);
                case "faults" -> {
                    JsonNode in = read(body);
                    store.setNodeFaults(id, new dev.tributary.store.api.NodeFaults(
                            Duration.ofMillis(in.path("diskDelayMillis").asLong(0)),
                            in.path("diskFailing").asBoolean(false), in.path("replicationCut").asBoolean(false)));
                }
                default -> {
                    return reply(404, Json.MAPPER.createObjectNode().put("message", "No control endpoint " + method
                            + " " + path));
                }
            }
            return nodes("GET", PREFIX + "nodes", null, new byte[0]);
        }
        return reply(404, Json.MAPPER.createObjectNode().put("message", "No control endpoint " + method + " " + path));
    }

    private static ObjectNode nodeFaults(int id, dev.tributary.store.api.NodeFaults f) {
        return Json.MAPPER.createObjectNode().put("node", id).put("diskDelayMillis", f.diskDelay().toMillis())
                .put("diskFailing", f.diskFailing()).put("replicationCut", f.replicationCut());
    }

    /** An AWS error by its exact name, from every front end's error enum. */
    private static dev.tributary.emulator.protocol.AwsErrorCode errorCode(String name) {
        for (dev.tributary.emulator.protocol.AwsErrorCode c : dev.tributary.emulator.protocol.CommonError.values()) {
            if (c.code().equals(name)) {
                return c;
            }
        }
        for (dev.tributary.emulator.protocol.AwsErrorCode c : dev.tributary.emulator.kinesis.KinesisError.values()) {
            if (c.code().equals(name)) {
                return c;
            }
        }
        for (dev.tributary.emulator.protocol.AwsErrorCode c : dev.tributary.emulator.firehose.FirehoseError.values()) {
            if (c.code().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown error name " + name);
    }

    /** The health document, written by hand: the first health check must not wait for Jackson to load. */
    private byte[] health() {
        java.util.Map<String, String> services = new java.util.LinkedHashMap<>();
        services.put("kinesis", "running");
        services.put("firehose", "running");
        services.put("kinesisanalytics", analytics != null ? "running" : "not_implemented");
        services.put("kafka", "not_implemented");
        StringBuilder sb = new StringBuilder("{\"status\":\"ready\",\"services\":{");
        services.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",")
                .append('"').append(k).append("\":\"").append(v).append('"'));
        return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode clockState() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        Instant now = clock.instant();
        n.put("now", now.toString());
        n.put("epochMillis", now.toEpochMilli());
        n.put("pinned", clock.isPinned());
        n.put("offsetMillis", clock.offset().toMillis());
        return n;
    }

    private JsonNode read(byte[] body) throws IOException {
        if (body.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode n = Json.MAPPER.readTree(body);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        return n;
    }

    /** {@code {"millis": 5000}}, {@code {"seconds": 300}} or {@code {"duration": "PT5M"}}. */
    private static Duration duration(JsonNode in) {
        if (in.has("millis")) {
            return Duration.ofMillis(in.get("millis").asLong());
        }
        if (in.has("seconds")) {
            return Duration.ofMillis(Math.round(in.get("seconds").asDouble() * 1000));
        }
        if (in.has("duration")) {
            return Duration.parse(in.get("duration").asText());
        }
        throw new IllegalArgumentException("give millis, seconds or duration (ISO-8601, e.g. PT5M)");
    }

    private static Instant instant(JsonNode at) {
        return at.isNumber() ? Instant.ofEpochMilli(at.asLong()) : Instant.parse(at.asText());
    }

    private Reply ok(JsonNode body) throws IOException {
        return reply(200, body);
    }

    private Reply reply(int status, JsonNode body) {
        try {
            return new Reply(status, "application/json", Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            return new Reply(500, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        }
    }
}
