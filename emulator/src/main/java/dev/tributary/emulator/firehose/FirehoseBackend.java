package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.firehose.DeliveryEngine;
import dev.tributary.firehose.s3.FileSink;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state and rules Firehose operations share. Each delivery stream is a store stream named
 * {@code firehose/<account>/<region>/<name>} (the {@link DeliveryEngine}'s buffer log), whose
 * attributes hold its description as JSON ({@value #DESCRIPTION}), the end of a status transition
 * ({@value #STATUS_UNTIL}), its Kinesis source's store key ({@value #SOURCE}) and its tags
 * ({@value #TAG_PREFIX}{@code <key>}). So a delivery stream, its records and its delivery progress
 * change atomically and survive restarts. Status transitions (CREATING, DELETING) take the
 * configured create/delete stream delays on the injected clock, settled lazily on lookup and by
 * the delivery ticker.
 *
 * <p>A daemon thread ticks the engine every 100 ms; the engine compares buffers against the
 * (virtual) clock, so a test that moves the clock sees objects appear on the next tick.
 *
 * <p>Thread-safe.
 */
public final class FirehoseBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FirehoseBackend.class);

    public static final String STORE_PREFIX = "firehose/";
    public static final String DESCRIPTION = "firehose.description";
    public static final String STATUS_UNTIL = "firehose.statusUntil";
    public static final String SOURCE = "firehose.sourceStream";
    public static final String TAG_PREFIX = "tag:";
    public static final String DESTINATION_ID = "destinationId-000000000001";
    /** AWS's default quota of delivery streams per account and region. */
    public static final int MAX_STREAMS = 50;

    public static final String CREATING = "CREATING";
    public static final String ACTIVE = "ACTIVE";
    public static final String DELETING = "DELETING";

    private final ShardStore store;
    private final EmulatorConfig config;
    private final Clock clock;
    private final DeliveryEngine engine;
    private final Path tempRoot;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService ticker;
    private final LambdaFunctions lambdas;

    public FirehoseBackend(ShardStore store, EmulatorConfig config) {
        this.store = store;
        this.config = config;
        this.clock = config.clock();
        Path root;
        try {
            if (config.inMemory()) {
                tempRoot = Files.createTempDirectory("tributary-s3-");
                root = tempRoot;
            } else {
                tempRoot = null;
                root = config.dataDir().resolve("s3");
                Files.createDirectories(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 directory", e);
        }
        this.engine = new DeliveryEngine(store, clock, new FileSink(root));
        this.lambdas = new LambdaFunctions(config.firehoseLambdas());
        resume();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-firehose-delivery");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Restarts delivery of every delivery stream found in the store (after a restart). */
    private void resume() {
        for (StreamInfo info : store.streams()) {
            if (info.name().startsWith(STORE_PREFIX) && info.attributes().containsKey(DESCRIPTION)) {
                try {
                    deliver(info, description(info));
                } catch (RuntimeException e) {
                    LOG.warn("cannot resume delivery stream={} error={}", info.name(), e.toString());
                }
            }
        }
    }

    /**
     * Settles status transitions and writes every buffer that is due on the clock now, before
     * returning (the control API's clock advance calls it, so objects are there when it answers).
     */
    public void deliverDue() {
        tick();
    }

    private void tick() {
        try {
            for (StreamInfo info : store.streams()) {
                if (info.name().startsWith(STORE_PREFIX) && info.attributes().containsKey(STATUS_UNTIL)) {
                    settle(info);
                }
            }
            engine.tick();
        } catch (RuntimeException e) {
            LOG.warn("delivery tick failed error={}", e.toString());
        }
    }

    public DeliveryEngine engine() {
        return engine;
    }

    /** The directory S3 buckets live in. */
    public FileSink sink() {
        return engine.sink();
    }

    /** The Lambda functions (ARN to local URL) the Lambda processor calls. */
    public LambdaFunctions lambdas() {
        return lambdas;
    }

    public EmulatorConfig config() {
        return config;
    }

    public ShardStore store() {
        return store;
    }

    public long nowMillis() {
        return clock.millis();
    }

    /** AWS's timestamps: epoch seconds with milliseconds. */
    public BigDecimal nowSeconds() {
        return BigDecimal.valueOf(clock.millis()).movePointLeft(3);
    }

    public static String storeKey(String account, String region, String name) {
        return STORE_PREFIX + account + "/" + region + "/" + name;
    }

    public static String storeKey(RequestContext ctx, String name) {
        return storeKey(ctx.account(), ctx.region(), name);
    }

    public static String arn(RequestContext ctx, String name) {
        return "arn:aws:firehose:" + ctx.region() + ":" + ctx.account() + ":deliverystream/" + name;
    }

    /** Writes the engine's spec for the stream's destination (creating or switching delivery). */
    public void deliver(StreamInfo info, ObjectNode description) {
        JsonNode entry = description.get("Destinations").get(0);
        String type = Destinations.typeOf(entry);
        String streamArn = description.path("DeliveryStreamARN").asText();
        String region = streamArn.split(":").length > 3 ? streamArn.split(":")[3] : config.region();
        engine.deliver(info.name(), Destinations.spec(description.get("DeliveryStreamName").asText(),
                Long.parseLong(description.get("VersionId").asText()), type,
                entry.get(type + "DestinationDescription"), info.attributes().get(SOURCE) != null,
                new Destinations.Wiring() {
                    @Override
                    public dev.tributary.firehose.processing.LambdaProcessor.Transformer lambda(String functionArn) {
                        return lambdas.transformer(functionArn, streamArn, region);
                    }

                    @Override
                    public dev.tributary.firehose.HttpTarget.Sender http(JsonNode d) {
                        Map<String, String> attributes = new java.util.LinkedHashMap<>();
                        for (JsonNode a : d.path("RequestConfiguration").path("CommonAttributes")) {
                            attributes.put(a.path("AttributeName").asText(), a.path("AttributeValue").asText());
                        }
                        return new HttpEndpointSender(d.path("EndpointConfiguration").path("Url").asText(),
                                d.path("EndpointConfiguration").path("AccessKey").asText(null), attributes,
                                "GZIP".equals(d.path("RequestConfiguration").path("ContentEncoding").asText()),
                                streamArn);
                    }
                }),
                info.attributes().get(SOURCE), sourceValue(info.attributes().get(SOURCE)));
    }

    /**
     * For an MSK-sourced stream (a Kafka topic of the store): the Kafka record's value without the
     * header framing; tombstones (null values) are not delivered. Null for a Kinesis source.
     */
    private static java.util.function.Function<dev.tributary.store.api.StoredRecord, byte[]> sourceValue(
            String source) {
        if (source == null || !source.startsWith(dev.tributary.emulator.kafka.KafkaTopics.STORE_PREFIX)) {
            return null;
        }
        return r -> dev.tributary.emulator.kafka.RecordFraming.decode(r).value();
    }

    // ---- lookups ----------------------------------------------------------------------------

    /** The delivery stream, status settled; empty when there is none (any more). */
    public Optional<StreamInfo> find(RequestContext ctx, String name) {
        return store.stream(storeKey(ctx, name)).flatMap(this::settle);
    }

    /** The delivery stream, or ResourceNotFoundException. */
    public StreamInfo get(RequestContext ctx, String name) {
        return find(ctx, name).orElseThrow(() -> notFound(ctx, name));
    }

    /** The delivery streams of an account and region, ordered by name. */
    public List<StreamInfo> list(String account, String region) {
        String prefix = storeKey(account, region, "");
        List<StreamInfo> out = new ArrayList<>();
        for (StreamInfo info : store.streams()) {
            if (info.name().startsWith(prefix) && info.attributes().containsKey(DESCRIPTION)) {
                settle(info).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(StreamInfo::name));
        return out;
    }

    private Optional<StreamInfo> settle(StreamInfo info) {
        String until = info.attributes().get(STATUS_UNTIL);
        if (until == null || nowMillis() < Long.parseLong(until)) {
            return Optional.of(info);
        }
        ObjectNode d = description(info);
        try {
            if (DELETING.equals(d.path("DeliveryStreamStatus").asText())) {
                engine.delete(info.name());
                return Optional.empty();
            }
            return Optional.of(update(info.name(), desc -> {
                desc.put("DeliveryStreamStatus", ACTIVE);
                return desc;
            }, attrs -> {
                attrs.remove(STATUS_UNTIL);
                return attrs;
            }));
        } catch (StreamNotFoundException e) {
            return Optional.empty();
        }
    }

    public ObjectNode description(StreamInfo info) {
        try {
            return (ObjectNode) json.readTree(info.attributes().get(DESCRIPTION));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String encode(ObjectNode description) {
        try {
            return json.writeValueAsString(description);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Atomically changes a stream's description and other attributes. */
    public StreamInfo update(String storeKey, UnaryOperator<ObjectNode> description,
                             UnaryOperator<Map<String, String>> attributes) {
        return store.updateStream(storeKey, attrs -> {
            Map<String, String> next = attributes.apply(new HashMap<>(attrs));
            try {
                ObjectNode d = (ObjectNode) json.readTree(attrs.get(DESCRIPTION));
                next.put(DESCRIPTION, encode(description.apply(d)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return next;
        }, null);
    }

    public static String status(ObjectNode description) {
        return description.path("DeliveryStreamStatus").asText(ACTIVE);
    }

    /** Flushes buffers now: one delivery stream's (by name, in the default account) or all. */
    public int flush(String name) {
        return engine.flush(name == null ? null : storeKey(config.account(), config.region(), name));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        if (tempRoot != null) {
            try (Stream<Path> files = Files.walk(tempRoot)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.warn("cannot delete the temporary S3 directory path={}", tempRoot);
            }
        }
    }

    // ---- errors -------------------------------------------------------------------------------

    public static AwsException notFound(RequestContext ctx, String name) {
        return new AwsException(FirehoseError.RESOURCE_NOT_FOUND,
                "Firehose " + name + " under account " + ctx.account() + " not found.");
    }

    public static AwsException invalidArgument(String message) {
        return new AwsException(FirehoseError.INVALID_ARGUMENT, message);
    }
}
