package dev.tributary.emulator.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.analytics.AnalyticsException;
import dev.tributary.analytics.Application;
import dev.tributary.analytics.Column;
import dev.tributary.analytics.InputSchema;
import dev.tributary.analytics.ReferenceTable;
import dev.tributary.analytics.Row;
import dev.tributary.analytics.SqlTimestamp;
import dev.tributary.analytics.sql.SqlException;
import dev.tributary.emulator.kinesis.StreamRef;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.emulator.protocol.RequestContext;
import dev.tributary.emulator.protocol.WireFormat;
import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.ShardInfo;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running application: the compiled engine, a cursor per source shard, and the outputs. Each
 * source record becomes rows of the in-application stream its shard maps to, with ROWTIME = the
 * record's arrival time on the emulator's clock (raised to stay monotonic), so runs are
 * reproducible under the virtual clock. Outputs are written after each run, at least once.
 *
 * <p>Not thread-safe: the backend calls it under its lock.
 */
final class AppRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppRuntime.class);
    private static final int POLL_RECORDS = 1000;
    private static final long POLL_BYTES = 4L << 20;

    private final AnalyticsBackend backend;
    private final AnalyticsBackend.App app;
    private final Application engine;
    private final String sourceKey;
    private final List<String> inAppNames;
    private final Map<Integer, ShardCursor> cursors = new HashMap<>();
    private final Map<Integer, Long> startAt = new HashMap<>();
    private final List<Output> outputs = new ArrayList<>();
    private final ObjectMapper json;
    private long partitionKey;

    /** One destination and the records waiting for it. */
    private record Output(String streamName, String kind, String arn, boolean csv, List<Column> columns, List<byte[]> pending) {
    }

    private AppRuntime(AnalyticsBackend backend, AnalyticsBackend.App app, Application engine, String sourceKey, List<String> inAppNames) {
        this.backend = backend;
        this.app = app;
        this.engine = engine;
        this.sourceKey = sourceKey;
        this.inAppNames = inAppNames;
        this.json = backend.json();
    }

    static AppRuntime start(AnalyticsBackend backend, AnalyticsBackend.App app, String position) {
        ObjectNode input = app.inputs.get(0);
        InputSchema schema = Schemas.toEngine(input.path("InputSchema"));
        List<String> names = new ArrayList<>();
        Map<String, InputSchema> sources = new LinkedHashMap<>();
        for (JsonNode n : input.path("InAppStreamNames")) {
            names.add(n.asText());
            sources.put(n.asText(), schema);
        }
        Map<String, ReferenceTable> refs = new LinkedHashMap<>();
        for (ObjectNode r : app.references) {
            JsonNode s3 = r.path("S3ReferenceDataSourceDescription");
            Path file = backend.s3File(s3.path("BucketARN").asText(null), s3.path("FileKey").asText(null));
            if (file == null) {
                throw new AwsException(AnalyticsError.INVALID_APPLICATION_CONFIGURATION, "Reference data object "
                        + s3.path("FileKey").asText() + " not found in bucket " + s3.path("BucketARN").asText());
            }
            try {
                refs.put(r.path("TableName").asText(), new ReferenceTable(Schemas.toEngine(r.path("ReferenceSchema")), Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new AwsException(AnalyticsError.INVALID_APPLICATION_CONFIGURATION, "Cannot read reference data " + file.getFileName());
            }
        }
        Application engine;
        try {
            engine = Application.compile(app.code == null ? "" : app.code, sources, refs);
        } catch (SqlException | AnalyticsException e) {
            throw new AwsException(AnalyticsError.INVALID_APPLICATION_CONFIGURATION, e.getMessage());
        }
        StreamRef source = StreamRef.ofArn(input.path("KinesisStreamsInputDescription").path("ResourceARN").asText());
        Optional<StreamInfo> info = source == null ? Optional.empty() : backend.store().stream(source.storeKey());
        if (info.isEmpty()) {
            throw new AwsException(AnalyticsError.INVALID_APPLICATION_CONFIGURATION, "Input stream "
                    + input.path("KinesisStreamsInputDescription").path("ResourceARN").asText() + " does not exist");
        }
        AppRuntime rt = new AppRuntime(backend, app, engine, source.storeKey(), names);
        for (ShardInfo shard : info.get().shards()) {
            long end = backend.store().log(source.storeKey(), shard.index()).endOffset();
            long from = switch (position) {
                case "TRIM_HORIZON" -> 0L;
                case "LAST_STOPPED_POINT" -> app.stoppedAt.getOrDefault(shard.index(), end);
                default -> end;
            };
            rt.startAt.put(shard.index(), from);
        }
        for (ObjectNode o : app.outputs) {
            String streamName = o.path("Name").asText();
            List<Column> columns = engine.columns(streamName);
            if (columns == null) {
                throw new AwsException(AnalyticsError.INVALID_APPLICATION_CONFIGURATION, "Output " + o.path("OutputId").asText()
                        + " names in-application stream " + streamName + ", which the application code does not create");
            }
            String kind = o.has("KinesisStreamsOutputDescription") ? "KinesisStreams"
                    : o.has("KinesisFirehoseOutputDescription") ? "KinesisFirehose" : "Lambda";
            String arn = o.path(kind + "OutputDescription").path("ResourceARN").asText();
            Output out = new Output(streamName, kind, arn, o.path("DestinationSchema").path("RecordFormatType").asText("JSON").equals("CSV"),
                    columns, new ArrayList<>());
            rt.outputs.add(out);
            engine.listen(streamName, row -> out.pending().add(rt.format(out, row)));
        }
        return rt;
    }

    private byte[] format(Output out, Row row) {
        if (out.csv()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.values().length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(dev.tributary.analytics.exec.Values.format(row.values()[i]));
            }
            return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode o = json.createObjectNode();
        for (int i = 0; i < out.columns().size(); i++) {
            String name = out.columns().get(i).name();
            Object v = row.values()[i];
            if (v == null) {
                o.putNull(name);
            } else if (v instanceof Long l) {
                o.put(name, l);
            } else if (v instanceof Float f) {
                o.put(name, f);
            } else if (v instanceof Double d) {
                o.put(name, d);
            } else if (v instanceof BigDecimal d) {
                o.put(name, d);
            } else if (v instanceof Boolean b) {
                o.put(name, b);
            } else if (v instanceof SqlTimestamp ts) {
                o.put(name, ts.toString());
            } else {
                o.put(name, v.toString());
            }
        }
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads what is new on every source shard, moves time to {@code now}, writes outputs. */
    void run(long now) {
        Optional<StreamInfo> info = backend.store().stream(sourceKey);
        if (info.isPresent()) {
            for (ShardInfo shard : info.get().shards()) {
                ShardCursor cursor = cursors.get(shard.index());
                if (cursor == null) {
                    cursor = backend.store().log(sourceKey, shard.index()).cursor(startAt.getOrDefault(shard.index(), 0L));
                    cursors.put(shard.index(), cursor);
                }
                String inApp = inAppNames.get(shard.index() % inAppNames.size());
                while (true) {
                    List<StoredRecord> batch = cursor.poll(POLL_RECORDS, POLL_BYTES);
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (StoredRecord r : batch) {
                        engine.pushRecord(inApp, r.value(), r.timestampMillis(), r.timestampMillis());
                    }
                }
            }
        }
        engine.advanceTime(now);
        flush();
    }

    private void flush() {
        RequestContext ctx = new RequestContext(app.account, app.region, "kinesisanalytics-" + app.name, WireFormat.JSON);
        for (Output out : outputs) {
            if (out.pending().isEmpty()) {
                continue;
            }
            List<byte[]> records = new ArrayList<>(out.pending());
            out.pending().clear();
            try {
                switch (out.kind()) {
                    case "KinesisStreams" -> {
                        dev.tributary.emulator.kinesis.ops.PutRecord put = new dev.tributary.emulator.kinesis.ops.PutRecord(backend.kinesis());
                        for (byte[] r : records) {
                            put.execute(ctx, new dev.tributary.emulator.kinesis.ops.PutRecord.Request(null, r,
                                    Long.toString(partitionKey++), null, null, out.arn(), null, null));
                        }
                    }
                    case "KinesisFirehose" -> {
                        String name = out.arn().substring(out.arn().indexOf(":deliverystream/") + ":deliverystream/".length());
                        dev.tributary.emulator.firehose.ops.PutRecord put = new dev.tributary.emulator.firehose.ops.PutRecord(backend.firehose());
                        for (byte[] r : records) {
                            put.execute(ctx, new dev.tributary.emulator.firehose.ops.PutRecord.Request(name,
                                    new dev.tributary.emulator.firehose.ops.PutRecord.Record(r)));
                        }
                    }
                    default -> LOG.warn("analytics application={} output={} Lambda destinations are not supported; {} rows dropped",
                            app.name, out.streamName(), records.size());
                }
            } catch (AwsException e) {
                LOG.warn("analytics application={} output={} destination={} write failed error={} rows={}",
                        app.name, out.streamName(), out.arn(), e.getMessage(), records.size());
            }
        }
    }

    /** The next offset to read per source shard (LAST_STOPPED_POINT). */
    Map<Integer, Long> positions() {
        Map<Integer, Long> out = new HashMap<>(startAt);
        cursors.forEach((shard, c) -> out.put(shard, c.position()));
        return out;
    }

    @Override
    public void close() {
        cursors.values().forEach(ShardCursor::close);
        cursors.clear();
    }
}
