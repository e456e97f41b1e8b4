package dev.tributary.emulator.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.analytics.Application;
import dev.tributary.analytics.InputSchema;
import dev.tributary.analytics.ReferenceTable;
import dev.tributary.analytics.sql.SqlException;
import dev.tributary.emulator.config.EmulatorConfig;
import dev.tributary.emulator.firehose.FirehoseBackend;
import dev.tributary.emulator.kinesis.KinesisBackend;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.store.api.ShardStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinesis Data Analytics (SQL) applications: their configuration, lifecycle and, while RUNNING,
 * their engine. Applications live in memory (they do not survive a restart). Status transitions
 * follow the injected clock: StartApplication puts an application in STARTING for the configured
 * create-stream delay, then RUNNING; StopApplication in STOPPING for the delete-stream delay, then
 * READY. A daemon thread runs {@link #runDue()} every 100 ms of real time: it settles transitions,
 * feeds new source records to each running application, moves its time to the clock and writes
 * what its outputs produced. The control API's clock advance calls {@link #runDue()} too.
 *
 * <p>Thread-safe: every method synchronizes on the backend.
 */
public final class AnalyticsBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsBackend.class);

    public static final String READY = "READY";
    public static final String STARTING = "STARTING";
    public static final String RUNNING = "RUNNING";
    public static final String STOPPING = "STOPPING";
    /** AWS's limits for SQL applications. */
    public static final int MAX_INPUTS = 1;
    public static final int MAX_OUTPUTS = 3;
    public static final int MAX_REFERENCES = 1;
    public static final int MAX_TAGS = 50;

    private final ShardStore store;
    private final KinesisBackend kinesis;
    private final FirehoseBackend firehose;
    private final EmulatorConfig config;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, App> apps = new TreeMap<>();
    private final ScheduledExecutorService ticker;

    /** One application: its description (API shapes) and, when running, its runtime. */
    public static final class App {
        final String account;
        final String region;
        final String name;
        final long created;
        String description;
        String code;
        String status = READY;
        long statusUntil = -1;
        long updated;
        long version = 1;
        int nextId = 1;
        final List<ObjectNode> inputs = new ArrayList<>();
        final List<ObjectNode> outputs = new ArrayList<>();
        final List<ObjectNode> references = new ArrayList<>();
        final List<ObjectNode> logging = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        /** Source shard positions when it last stopped (LAST_STOPPED_POINT). */
        final Map<Integer, Long> stoppedAt = new HashMap<>();
        AppRuntime runtime;

        App(String account, String region, String name, long created) {
            this.account = account;
            this.region = region;
            this.name = name;
            this.created = created;
            this.updated = created;
        }

        String arn() {
            return arn(region, account, name);
        }

        static String arn(String region, String account, String name) {
            return "arn:aws:kinesisanalytics:" + region + ":" + account + ":application/" + name;
        }

        String nextId() {
            return (nextId++) + ".1";
        }
    }

    public AnalyticsBackend(ShardStore store, KinesisBackend kinesis, FirehoseBackend firehose, EmulatorConfig config) {
        this.store = store;
        this.kinesis = kinesis;
        this.firehose = firehose;
        this.config = config;
        this.clock = config.clock();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-analytics");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::runDueQuietly, 100, 100, TimeUnit.MILLISECONDS);
    }

    ShardStore store() {
        return store;
    }

    KinesisBackend kinesis() {
        return kinesis;
    }

    FirehoseBackend firehose() {
        return firehose;
    }

    ObjectMapper json() {
        return json;
    }

    long now() {
        return clock.millis();
    }

    private static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis).movePointLeft(3);
    }

    private static String key(String account, String region, String name) {
        return account + "/" + region + "/" + name;
    }

    // ---- lookups ------------------------------------------------------------------------------

    private App find(RequestContext ctx, String name) {
        App app = apps.get(key(ctx.account(), ctx.region(), name));
        if (app != null) {
            settle(app);
        }
        return app;
    }

    private App get(RequestContext ctx, String name) {
        App app = find(ctx, name);
        if (app == null) {
            throw new AwsException(AnalyticsError.RESOURCE_NOT_FOUND, "Application " + name + " not found");
        }
        return app;
    }

    private App byArn(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 6);
        if (parts.length != 6 || !parts[2].equals("kinesisanalytics") || !parts[5].startsWith("application/")) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "Invalid ARN " + arn);
        }
        App app = apps.get(key(parts[4], parts[3], parts[5].substring("application/".length())));
        if (app == null) {
            throw new AwsException(AnalyticsError.RESOURCE_NOT_FOUND, "Resource " + arn + " not found");
        }
        return app;
    }

    private void settle(App app) {
        if (app.statusUntil < 0 || now() < app.statusUntil) {
            return;
        }
        app.statusUntil = -1;
        if (app.status.equals(STARTING)) {
            app.status = RUNNING;
        } else if (app.status.equals(STOPPING)) {
            app.status = READY;
        }
    }

    private static void checkVersion(App app, long current) {
        if (current != app.version) {
            throw new AwsException(AnalyticsError.CONCURRENT_MODIFICATION, "Current application version " + current
                    + " does not match the application's version " + app.version + ". Describe the application to get the current version.");
        }
    }

    private void changed(App app) {
        app.version++;
        app.updated = now();
    }

    // ---- descriptions -------------------------------------------------------------------------

    synchronized ObjectNode summary(App app) {
        ObjectNode s = json.createObjectNode();
        s.put("ApplicationName", app.name);
        s.put("ApplicationARN", app.arn());
        s.put("ApplicationStatus", app.status);
        return s;
    }

    public synchronized ObjectNode describe(RequestContext ctx, String name) {
        App app = get(ctx, name);
        ObjectNode d = json.createObjectNode();
        d.put("ApplicationName", app.name);
        if (app.description != null) {
            d.put("ApplicationDescription", app.description);
        }
        d.put("ApplicationARN", app.arn());
        d.put("ApplicationStatus", app.status);
        d.put("CreateTimestamp", seconds(app.created));
        d.put("LastUpdateTimestamp", seconds(app.updated));
        d.set("InputDescriptions", json.valueToTree(app.inputs));
        d.set("OutputDescriptions", json.valueToTree(app.outputs));
        d.set("ReferenceDataSourceDescriptions", json.valueToTree(app.references));
        d.set("CloudWatchLoggingOptionDescriptions", json.valueToTree(app.logging));
        if (app.code != null) {
            d.put("ApplicationCode", app.code);
        }
        d.put("ApplicationVersionId", app.version);
        return d;
    }

    // ---- control plane ------------------------------------------------------------------------

    public synchronized ObjectNode create(RequestContext ctx, ObjectNode in) {
        String name = in.path("ApplicationName").asText();
        if (find(ctx, name) != null) {
            throw new AwsException(AnalyticsError.RESOURCE_IN_USE, "Application " + name + " already exists");
        }
        App app = new App(ctx.account(), ctx.region(), name, now());
        app.description = in.hasNonNull("ApplicationDescription") ? in.get("ApplicationDescription").asText() : null;
        app.code = in.hasNonNull("ApplicationCode") ? in.get("ApplicationCode").asText() : null;
        JsonNode inputs = in.path("Inputs");
        if (inputs.size() > MAX_INPUTS) {
            throw new AwsException(AnalyticsError.LIMIT_EXCEEDED, "An application can have at most " + MAX_INPUTS + " streaming source");
        }
        for (JsonNode i : inputs) {
            app.inputs.add(inputDescription(app, i));
        }
        if (in.path("Outputs").size() > MAX_OUTPUTS) {
            throw new AwsException(AnalyticsError.LIMIT_EXCEEDED, "An application can have at most " + MAX_OUTPUTS + " destinations");
        }
        for (JsonNode o : in.path("Outputs")) {
            app.outputs.add(outputDescription(app, o));
        }
        for (JsonNode l : in.path("CloudWatchLoggingOptions")) {
            app.logging.add(loggingDescription(app, l));
        }
        if (in.path("Tags").size() > MAX_TAGS) {
            throw new AwsException(AnalyticsError.TOO_MANY_TAGS, "An application cannot have more than " + MAX_TAGS + " tags");
        }
        for (JsonNode t : in.path("Tags")) {
            app.tags.put(t.path("Key").asText(), t.path("Value").asText(""));
        }
        validateCode(app, app.code);
        apps.put(key(ctx.account(), ctx.region(), name), app);
        return summary(app);
    }

    public synchronized List<ObjectNode> list(RequestContext ctx, Integer limit, String exclusiveStart, boolean[] more) {
        List<ObjectNode> out = new ArrayList<>();
        String prefix = key(ctx.account(), ctx.region(), "");
        int max = limit == null ? 50 : limit;
        for (App app : apps.values()) {
            if (!key(app.account, app.region, app.name).startsWith(prefix)
                    || (exclusiveStart != null && app.name.compareTo(exclusiveStart) <= 0)) {
                continue;
            }
            if (out.size() == max) {
                more[0] = true;
                break;
            }
            settle(app);
            out.add(summary(app));
        }
        return out;
    }

    public synchronized void delete(RequestContext ctx, String name, BigDecimal createTimestamp) {
        App app = get(ctx, name);
        if (createTimestamp == null || createTimestamp.movePointRight(3).longValue() != app.created) {
            throw new AwsException(AnalyticsError.CONCURRENT_MODIFICATION, "CreateTimestamp " + createTimestamp
                    + " does not match the application's creation time " + seconds(app.created));
        }
        stopRuntime(app);
        apps.remove(key(app.account, app.region, app.name));
    }

    public synchronized void update(RequestContext ctx, String name, long version, JsonNode update) {
        App app = get(ctx, name);
        checkVersion(app, version);
        requireNotTransitioning(app);
        String code = update.hasNonNull("ApplicationCodeUpdate") ? update.get("ApplicationCodeUpdate").asText() : app.code;
        List<ObjectNode> inputs = copy(app.inputs);
        for (JsonNode u : update.path("InputUpdates")) {
            ObjectNode d = byId(inputs, "InputId", u.path("InputId").asText(), "Input");
            if (u.hasNonNull("NamePrefixUpdate")) {
                d.put("NamePrefix", u.get("NamePrefixUpdate").asText());
            }
            if (u.has("InputSchemaUpdate")) {
                JsonNode s = u.get("InputSchemaUpdate");
                ObjectNode schema = (ObjectNode) d.get("InputSchema");
                if (s.has("RecordFormatUpdate")) {
                    schema.set("RecordFormat", s.get("RecordFormatUpdate"));
                }
                if (s.has("RecordEncodingUpdate")) {
                    schema.set("RecordEncoding", s.get("RecordEncodingUpdate"));
                }
                if (s.has("RecordColumnUpdates")) {
                    schema.set("RecordColumns", s.get("RecordColumnUpdates"));
                }
                Schemas.toEngine(schema);
            }
            if (u.has("KinesisStreamsInputUpdate")) {
                JsonNode k = u.get("KinesisStreamsInputUpdate");
                ObjectNode desc = d.with("KinesisStreamsInputDescription");
                if (k.has("ResourceARNUpdate")) {
                    requireKinesisStream(k.get("ResourceARNUpdate").asText());
                    desc.set("ResourceARN", k.get("ResourceARNUpdate"));
                }
                if (k.has("RoleARNUpdate")) {
                    desc.set("RoleARN", k.get("RoleARNUpdate"));
                }
            }
            if (u.has("InputParallelismUpdate")) {
                int count = u.get("InputParallelismUpdate").path("CountUpdate").asInt(1);
                d.with("InputParallelism").put("Count", count);
                d.set("InAppStreamNames", inAppNames(d.get("NamePrefix").asText(), count));
            }
            d.set("InAppStreamNames", inAppNames(d.get("NamePrefix").asText(), d.path("InputParallelism").path("Count").asInt(1)));
        }
        List<ObjectNode> outputs = copy(app.outputs);
        for (JsonNode u : update.path("OutputUpdates")) {
            ObjectNode d = byId(outputs, "OutputId", u.path("OutputId").asText(), "Output");
            if (u.hasNonNull("NameUpdate")) {
                d.put("Name", u.get("NameUpdate").asText());
            }
            for (String kind : List.of("KinesisStreams", "KinesisFirehose", "Lambda")) {
                JsonNode k = u.get(kind + "OutputUpdate");
                if (k != null) {
                    d.remove(List.of("KinesisStreamsOutputDescription", "KinesisFirehoseOutputDescription", "LambdaOutputDescription"));
                    ObjectNode desc = d.putObject(kind + "OutputDescription");
                    desc.set("ResourceARN", k.get("ResourceARNUpdate"));
                    if (k.has("RoleARNUpdate")) {
                        desc.set("RoleARN", k.get("RoleARNUpdate"));
                    }
                }
            }
            if (u.has("DestinationSchemaUpdate")) {
                d.set("DestinationSchema", u.get("DestinationSchemaUpdate"));
            }
        }
        List<ObjectNode> references = copy(app.references);
        for (JsonNode u : update.path("ReferenceDataSourceUpdates")) {
            ObjectNode d = byId(references, "ReferenceId", u.path("ReferenceId").asText(), "Reference data source");
            if (u.hasNonNull("TableNameUpdate")) {
                d.put("TableName", u.get("TableNameUpdate").asText());
            }
            JsonNode s3 = u.get("S3ReferenceDataSourceUpdate");
            if (s3 != null) {
                ObjectNode desc = d.with("S3ReferenceDataSourceDescription");
                if (s3.has("BucketARNUpdate")) {
                    desc.set("BucketARN", s3.get("BucketARNUpdate"));
                }
                if (s3.has("FileKeyUpdate")) {
                    desc.set("FileKey", s3.get("FileKeyUpdate"));
                }
                if (s3.has("ReferenceRoleARNUpdate")) {
                    desc.set("ReferenceRoleARN", s3.get("ReferenceRoleARNUpdate"));
                }
            }
            if (u.has("ReferenceSchemaUpdate")) {
                Schemas.toEngine(u.get("ReferenceSchemaUpdate"));
                d.set("ReferenceSchema", u.get("ReferenceSchemaUpdate"));
            }
        }
        List<ObjectNode> logging = copy(app.logging);
        for (JsonNode u : update.path("CloudWatchLoggingOptionUpdates")) {
            ObjectNode d = byId(logging, "CloudWatchLoggingOptionId", u.path("CloudWatchLoggingOptionId").asText(), "CloudWatch logging option");
            if (u.has("LogStreamARNUpdate")) {
                d.set("LogStreamARN", u.get("LogStreamARNUpdate"));
            }
            if (u.has("RoleARNUpdate")) {
                d.set("RoleARN", u.get("RoleARNUpdate"));
            }
        }
        validateCode(app, code, inputs, references);
        app.code = code;
        replace(app.inputs, inputs);
        replace(app.outputs, outputs);
        replace(app.references, references);
        replace(app.logging, logging);
        changed(app);
        restartIfRunning(app);
    }

    private List<ObjectNode> copy(List<ObjectNode> list) {
        return new ArrayList<>(list.stream().map(ObjectNode::deepCopy).toList());
    }

    private static void replace(List<ObjectNode> target, List<ObjectNode> with) {
        target.clear();
        target.addAll(with);
    }

    private static ObjectNode byId(List<ObjectNode> list, String field, String id, String what) {
        for (ObjectNode d : list) {
            if (d.path(field).asText().equals(id)) {
                return d;
            }
        }
        throw new AwsException(AnalyticsError.RESOURCE_NOT_FOUND, what + " with id " + id + " not found");
    }

    private static void requireNotTransitioning(App app) {
        if (app.status.equals(STARTING) || app.status.equals(STOPPING)) {
            throw new AwsException(AnalyticsError.RESOURCE_IN_USE, "Application " + app.name + " is in " + app.status
                    + " state; try again when it is READY or RUNNING");
        }
    }

    /** Runs {@code change} as a versioned configuration change of the application. */
    public synchronized void modify(RequestContext ctx, String name, long version, java.util.function.Consumer<App> change) {
        App app = get(ctx, name);
        checkVersion(app, version);
        requireNotTransitioning(app);
        change.accept(app);
        changed(app);
        restartIfRunning(app);
    }

    public void addInput(App app, JsonNode input) {
        if (app.inputs.size() >= MAX_INPUTS) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "Application " + app.name
                    + " already has an input; a SQL application can have only one streaming source");
        }
        ObjectNode d = inputDescription(app, input);
        List<ObjectNode> inputs = new ArrayList<>(app.inputs);
        inputs.add(d);
        validateCode(app, app.code, inputs, app.references);
        app.inputs.add(d);
    }

    public void addOutput(App app, JsonNode output) {
        if (app.outputs.size() >= MAX_OUTPUTS) {
            throw new AwsException(AnalyticsError.LIMIT_EXCEEDED, "Application " + app.name + " already has "
                    + MAX_OUTPUTS + " destinations");
        }
        app.outputs.add(outputDescription(app, output));
    }

    public void addReference(App app, JsonNode ref) {
        if (app.references.size() >= MAX_REFERENCES) {
            throw new AwsException(AnalyticsError.LIMIT_EXCEEDED, "Application " + app.name
                    + " already has a reference data source");
        }
        Schemas.toEngine(ref.path("ReferenceSchema"));
        ObjectNode d = json.createObjectNode();
        d.put("ReferenceId", app.nextId());
        d.set("TableName", ref.get("TableName"));
        JsonNode s3 = ref.path("S3ReferenceDataSource");
        ObjectNode desc = d.putObject("S3ReferenceDataSourceDescription");
        desc.set("BucketARN", s3.get("BucketARN"));
        desc.set("FileKey", s3.get("FileKey"));
        desc.set("ReferenceRoleARN", s3.get("ReferenceRoleARN"));
        d.set("ReferenceSchema", ref.get("ReferenceSchema"));
        app.references.add(d);
    }

    public void addLogging(App app, JsonNode option) {
        app.logging.add(loggingDescription(app, option));
    }

    public void setProcessing(App app, String inputId, JsonNode config) {
        ObjectNode d = byId(app.inputs, "InputId", inputId, "Input");
        if (config == null) {
            d.remove("InputProcessingConfigurationDescription");
            return;
        }
        ObjectNode desc = json.createObjectNode();
        ObjectNode lambda = desc.putObject("InputLambdaProcessorDescription");
        lambda.setAll((ObjectNode) config.path("InputLambdaProcessor"));
        d.set("InputProcessingConfigurationDescription", desc);
    }

    /** Removes an output, reference data source or logging option by its id field. */
    public void remove(App app, String field, String id) {
        switch (field) {
            case "OutputId" -> app.outputs.remove(byId(app.outputs, field, id, "Output"));
            case "ReferenceId" -> app.references.remove(byId(app.references, field, id, "Reference data source"));
            default -> app.logging.remove(byId(app.logging, field, id, "CloudWatch logging option"));
        }
    }

    /** DiscoverInputSchema: samples a Kinesis stream (from its oldest record) or an S3 object. */
    public synchronized ObjectNode discover(JsonNode in) {
        List<byte[]> samples = new ArrayList<>();
        if (in.hasNonNull("ResourceARN")) {
            StreamRef ref = StreamRef.ofArn(in.get("ResourceARN").asText());
            if (ref == null || store.stream(ref.storeKey()).isEmpty()) {
                throw new AwsException(AnalyticsError.RESOURCE_NOT_FOUND, "Stream " + in.get("ResourceARN").asText() + " not found");
            }
            for (dev.tributary.store.api.ShardInfo shard : store.stream(ref.storeKey()).get().shards()) {
                try (dev.tributary.store.api.ShardCursor c = store.log(ref.storeKey(), shard.index()).cursor(0)) {
                    for (dev.tributary.store.api.StoredRecord r : c.poll(SchemaDiscovery.MAX_SAMPLES - samples.size(), 4L << 20)) {
                        samples.add(r.value());
                    }
                }
            }
        } else if (in.has("S3Configuration")) {
            JsonNode s3 = in.get("S3Configuration");
            Path file = s3File(s3.path("BucketARN").asText(null), s3.path("FileKey").asText(null));
            if (file == null) {
                throw new AwsException(AnalyticsError.RESOURCE_NOT_FOUND, "Object " + s3.path("FileKey").asText() + " not found");
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank() && samples.size() < SchemaDiscovery.MAX_SAMPLES) {
                        samples.add(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            } catch (java.io.IOException e) {
                throw new AwsException(AnalyticsError.UNABLE_TO_DETECT_SCHEMA, "Unable to read " + file.getFileName());
            }
        } else {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "Either ResourceARN or S3Configuration is required");
        }
        return SchemaDiscovery.discover(json, samples);
    }

    private ObjectNode inputDescription(App app, JsonNode input) {
        InputSchema schema = Schemas.toEngine(input.path("InputSchema"));
        if (schema == null) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "InputSchema is required");
        }
        ObjectNode d = json.createObjectNode();
        d.put("InputId", app.nextId());
        String prefix = input.path("NamePrefix").asText();
        d.put("NamePrefix", prefix);
        int count = input.path("InputParallelism").path("Count").asInt(1);
        d.set("InAppStreamNames", inAppNames(prefix, count));
        if (input.has("InputProcessingConfiguration")) {
            ObjectNode desc = d.putObject("InputProcessingConfigurationDescription");
            desc.putObject("InputLambdaProcessorDescription").setAll((ObjectNode) input.get("InputProcessingConfiguration").path("InputLambdaProcessor"));
        }
        if (input.has("KinesisStreamsInput")) {
            String arn = input.get("KinesisStreamsInput").path("ResourceARN").asText();
            requireKinesisStream(arn);
            d.putObject("KinesisStreamsInputDescription").setAll((ObjectNode) input.get("KinesisStreamsInput"));
        } else if (input.has("KinesisFirehoseInput")) {
            // What AWS answers since it stopped new SQL applications reading Firehose (terraform-provider-aws #38447).
            throw new AwsException(AnalyticsError.UNSUPPORTED_OPERATION, "KinesisFirehoseInput is not allowed for SQL applications under account " + app.account + ".");
        } else {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "Input needs a KinesisStreamsInput");
        }
        d.set("InputSchema", input.get("InputSchema"));
        d.putObject("InputParallelism").put("Count", count);
        d.putObject("InputStartingPositionConfiguration");
        return d;
    }

    private ArrayNode inAppNames(String prefix, int count) {
        ArrayNode names = json.createArrayNode();
        for (int i = 1; i <= count; i++) {
            names.add(String.format("%s_%03d", prefix, i));
        }
        return names;
    }

    private void requireKinesisStream(String arn) {
        StreamRef ref = StreamRef.ofArn(arn);
        if (ref == null || store.stream(ref.storeKey()).isEmpty()) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "Kinesis stream " + arn + " does not exist");
        }
    }

    private ObjectNode outputDescription(App app, JsonNode output) {
        ObjectNode d = json.createObjectNode();
        d.put("OutputId", app.nextId());
        d.set("Name", output.get("Name"));
        int kinds = 0;
        for (String kind : List.of("KinesisStreams", "KinesisFirehose", "Lambda")) {
            if (output.has(kind + "Output")) {
                kinds++;
                d.putObject(kind + "OutputDescription").setAll((ObjectNode) output.get(kind + "Output"));
            }
        }
        if (kinds != 1) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "An output needs exactly one of KinesisStreamsOutput, KinesisFirehoseOutput or LambdaOutput");
        }
        d.set("DestinationSchema", output.get("DestinationSchema"));
        return d;
    }

    private ObjectNode loggingDescription(App app, JsonNode option) {
        ObjectNode d = json.createObjectNode();
        d.put("CloudWatchLoggingOptionId", app.nextId());
        d.set("LogStreamARN", option.get("LogStreamARN"));
        d.set("RoleARN", option.get("RoleARN"));
        return d;
    }

    // ---- code validation ---------------------------------------------------------------------

    private void validateCode(App app, String code) {
        validateCode(app, code, app.inputs, app.references);
    }

    /**
     * Compiles the code against the configured in-application streams and tables; an application
     * without an input yet gets only a syntax check (its source stream does not exist yet).
     */
    private void validateCode(App app, String code, List<ObjectNode> inputs, List<ObjectNode> references) {
        if (code == null || code.isBlank()) {
            return;
        }
        try {
            if (inputs.isEmpty()) {
                dev.tributary.analytics.sql.Parser.parseProgram(code);
                return;
            }
            Map<String, ReferenceTable> refs = new LinkedHashMap<>();
            for (ObjectNode r : references) {
                refs.put(r.path("TableName").asText(), new ReferenceTable(Schemas.toEngine(r.path("ReferenceSchema")), new byte[0]));
            }
            Application.compile(code, sources(inputs), refs);
        } catch (SqlException e) {
            throw new AwsException(AnalyticsError.CODE_VALIDATION, e.getMessage());
        }
    }

    private static Map<String, InputSchema> sources(List<ObjectNode> inputs) {
        Map<String, InputSchema> out = new LinkedHashMap<>();
        for (ObjectNode i : inputs) {
            InputSchema schema = Schemas.toEngine(i.path("InputSchema"));
            for (JsonNode n : i.path("InAppStreamNames")) {
                out.put(n.asText(), schema);
            }
        }
        return out;
    }

    // ---- start / stop -------------------------------------------------------------------------

    public synchronized void start(RequestContext ctx, String name, JsonNode inputConfigurations) {
        App app = get(ctx, name);
        if (!app.status.equals(READY)) {
            throw new AwsException(AnalyticsError.RESOURCE_IN_USE, "Application " + name + " is in " + app.status
                    + " state; it can be started only when READY");
        }
        if (app.inputs.isEmpty()) {
            throw new AwsException(AnalyticsError.INVALID_APPLICATION_CONFIGURATION, "Application " + name + " has no input");
        }
        ObjectNode input = app.inputs.get(0);
        String position = null;
        for (JsonNode c : inputConfigurations) {
            if (!c.path("Id").asText().equals(input.path("InputId").asText())) {
                throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "Input with id " + c.path("Id").asText() + " not found");
            }
            position = c.path("InputStartingPositionConfiguration").path("InputStartingPosition").asText(null);
        }
        if (position == null) {
            throw new AwsException(AnalyticsError.INVALID_ARGUMENT, "InputStartingPosition of input " + input.path("InputId").asText() + " is required");
        }
        input.with("InputStartingPositionConfiguration").put("InputStartingPosition", position);
        app.runtime = AppRuntime.start(this, app, position);
        app.status = STARTING;
        app.statusUntil = now() + config.createStreamDelay().toMillis();
        settle(app);
    }

    public synchronized void stop(RequestContext ctx, String name) {
        App app = get(ctx, name);
        if (!app.status.equals(RUNNING) && !app.status.equals(STARTING)) {
            throw new AwsException(AnalyticsError.RESOURCE_IN_USE, "Application " + name + " is in " + app.status
                    + " state; it can be stopped only when RUNNING");
        }
        stopRuntime(app);
        app.status = STOPPING;
        app.statusUntil = now() + config.deleteStreamDelay().toMillis();
        settle(app);
    }

    private void stopRuntime(App app) {
        if (app.runtime != null) {
            try {
                app.runtime.run(now());
            } catch (RuntimeException e) {
                LOG.warn("analytics application={} final run failed error={}", app.name, e.toString());
            }
            app.stoppedAt.putAll(app.runtime.positions());
            app.runtime.close();
            app.runtime = null;
        }
    }

    private void restartIfRunning(App app) {
        if (app.runtime != null) {
            stopRuntime(app);
            app.runtime = AppRuntime.start(this, app, "LAST_STOPPED_POINT");
        }
    }

    // ---- tags ---------------------------------------------------------------------------------

    public synchronized void tag(String arn, JsonNode tags) {
        App app = byArn(arn);
        Map<String, String> next = new LinkedHashMap<>(app.tags);
        for (JsonNode t : tags) {
            next.put(t.path("Key").asText(), t.path("Value").asText(""));
        }
        if (next.size() > MAX_TAGS) {
            throw new AwsException(AnalyticsError.TOO_MANY_TAGS, "An application cannot have more than " + MAX_TAGS + " tags");
        }
        app.tags.clear();
        app.tags.putAll(next);
    }

    public synchronized void untag(String arn, JsonNode keys) {
        App app = byArn(arn);
        for (JsonNode k : keys) {
            app.tags.remove(k.asText());
        }
    }

    public synchronized ArrayNode tags(String arn) {
        App app = byArn(arn);
        ArrayNode out = json.createArrayNode();
        app.tags.forEach((k, v) -> out.addObject().put("Key", k).put("Value", v));
        return out;
    }

    // ---- running ------------------------------------------------------------------------------

    private void runDueQuietly() {
        try {
            runDue();
        } catch (RuntimeException e) {
            LOG.warn("analytics tick failed error={}", e.toString());
        }
    }

    /**
     * Settles transitions and, for each running application, reads new source records, moves its
     * time to the clock (closing windows that ended) and writes its outputs, before returning.
     */
    public synchronized void runDue() {
        long now = now();
        for (Iterator<App> it = apps.values().iterator(); it.hasNext(); ) {
            App app = it.next();
            settle(app);
            if (app.runtime != null && app.status.equals(RUNNING)) {
                try {
                    app.runtime.run(now);
                } catch (RuntimeException e) {
                    LOG.warn("analytics application={} run failed error={}", app.name, e.toString(), e);
                }
            }
        }
    }

    /** The file of an S3 object in the emulator's file sink; null when there is none. */
    Path s3File(String bucketArn, String key) {
        if (bucketArn == null || !bucketArn.startsWith("arn:aws:s3:::") || key == null) {
            return null;
        }
        Path p = firehose.sink().file(bucketArn.substring("arn:aws:s3:::".length()), key);
        return p != null && Files.isRegularFile(p) ? p : null;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (App app : apps.values()) {
                if (app.runtime != null) {
                    app.runtime.close();
                }
            }
        }
    }
}
