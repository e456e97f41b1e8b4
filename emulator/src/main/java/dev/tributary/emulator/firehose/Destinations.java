package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.firehose.DeliverySpec;
import dev.tributary.firehose.HttpTarget;
import dev.tributary.firehose.processing.LambdaProcessor;
import dev.tributary.firehose.processing.Processing;
import dev.tributary.firehose.s3.Compression;
import dev.tributary.firehose.s3.ObjectKeys;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Destination configurations: turning a {@code <Type>DestinationConfiguration} of
 * CreateDeliveryStream into the {@code <Type>DestinationDescription} DescribeDeliveryStream shows
 * (defaults filled in as AWS does), applying a {@code <Type>DestinationUpdate}, and deriving the
 * engine's {@link DeliverySpec} from a description.
 *
 * <p>S3 and ExtendedS3 are delivered to files, HttpEndpoint over HTTP to its URL. Every other
 * type that has an {@code S3Configuration} (Redshift, OpenSearch, Splunk, Snowflake, Iceberg ...)
 * is accepted and its records are written to that S3 configuration's bucket: the emulator has no
 * such services.
 * Stateless; thread-safe.
 */
public final class Destinations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The destination types of the API, in the model's order. */
    public static final List<String> TYPES = List.of("S3", "ExtendedS3", "Redshift", "Elasticsearch",
            "Amazonopensearchservice", "Splunk", "HttpEndpoint", "AmazonOpenSearchServerless", "Snowflake", "Iceberg");
    public static final int DEFAULT_SIZE_MB = 5;
    public static final int DEFAULT_INTERVAL_SECONDS = 300;
    /** AWS's default {@code RetryOptions.DurationInSeconds} of an HTTP endpoint. */
    public static final int DEFAULT_HTTP_RETRY_SECONDS = 300;

    /** How a description's processors and endpoints reach the outside (the backend's functions and HTTP). */
    public interface Wiring {
        /** Calls the Lambda function {@code functionArn}. */
        LambdaProcessor.Transformer lambda(String functionArn);

        /** Sends to the endpoint of an {@code HttpEndpointDestinationDescription}. */
        HttpTarget.Sender http(JsonNode httpEndpointDescription);
    }
    /** Members of configurations AWS never shows back. */
    private static final List<String> SECRETS = List.of("Password", "PrivateKey", "AccessKey", "HECToken");

    private Destinations() {
    }

    /** The single destination type a request configures ({@code suffix} Configuration or Update). */
    public static String onlyType(ObjectNode request, String suffix) {
        String found = null;
        for (String type : TYPES) {
            if (request.has(type + "Destination" + suffix)) {
                if (found != null) {
                    throw FirehoseBackend.invalidArgument(
                            "Exactly one destination configuration is supported for a Firehose");
                }
                found = type;
            }
        }
        return found;
    }

    /** The description of a new destination of {@code type} from its configuration. */
    public static ObjectNode describe(String type, JsonNode config) {
        ObjectNode d = ((ObjectNode) config).deepCopy();
        for (String secret : SECRETS) {
            d.remove(secret);
        }
        if (type.equals("S3") || type.equals("ExtendedS3")) {
            fillS3Defaults(d);
            if (type.equals("ExtendedS3")) {
                if (!d.has("S3BackupMode")) {
                    d.put("S3BackupMode", "Disabled");
                }
                if (d.has("S3BackupConfiguration")) {
                    d.set("S3BackupDescription", fillS3Defaults((ObjectNode) d.remove("S3BackupConfiguration")));
                }
            }
        } else if (d.has("S3Configuration")) {
            d.set("S3DestinationDescription", fillS3Defaults((ObjectNode) d.remove("S3Configuration")));
        }
        if (type.equals("HttpEndpoint")) {
            ObjectNode hints = d.has("BufferingHints") ? (ObjectNode) d.get("BufferingHints") : d.putObject("BufferingHints");
            if (!hints.has("SizeInMBs")) {
                hints.put("SizeInMBs", DEFAULT_SIZE_MB);
            }
            if (!hints.has("IntervalInSeconds")) {
                hints.put("IntervalInSeconds", DEFAULT_INTERVAL_SECONDS);
            }
            if (!d.has("RetryOptions")) {
                d.putObject("RetryOptions").put("DurationInSeconds", DEFAULT_HTTP_RETRY_SECONDS);
            }
            if (!d.has("S3BackupMode")) {
                d.put("S3BackupMode", "FailedDataOnly");
            }
            if (!d.has("RequestConfiguration")) {
                d.putObject("RequestConfiguration").put("ContentEncoding", "NONE");
            }
        }
        return d;
    }

    /**
     * A destination entry as DescribeDeliveryStream shows it: without the HTTP endpoint's
     * {@code AccessKey}, which AWS never shows back (the stored description keeps it for delivery).
     */
    public static JsonNode redact(JsonNode entry) {
        JsonNode endpoint = entry.path("HttpEndpointDestinationDescription").path("EndpointConfiguration");
        if (endpoint instanceof ObjectNode o && o.has("AccessKey")) {
            JsonNode copy = entry.deepCopy();
            ((ObjectNode) copy.get("HttpEndpointDestinationDescription").get("EndpointConfiguration")).remove("AccessKey");
            return copy;
        }
        return entry;
    }

    private static ObjectNode fillS3Defaults(ObjectNode d) {
        if (!d.has("BufferingHints")) {
            d.set("BufferingHints", NODES.objectNode());
        }
        ObjectNode hints = (ObjectNode) d.get("BufferingHints");
        if (!hints.has("SizeInMBs")) {
            hints.put("SizeInMBs", DEFAULT_SIZE_MB);
        }
        if (!hints.has("IntervalInSeconds")) {
            hints.put("IntervalInSeconds", DEFAULT_INTERVAL_SECONDS);
        }
        if (!d.has("CompressionFormat")) {
            d.put("CompressionFormat", "UNCOMPRESSED");
        }
        if (!d.has("EncryptionConfiguration")) {
            d.set("EncryptionConfiguration", NODES.objectNode().put("NoEncryptionConfig", "NoEncryption"));
        }
        if (!d.has("CloudWatchLoggingOptions")) {
            d.set("CloudWatchLoggingOptions", NODES.objectNode().put("Enabled", false));
        }
        return d;
    }

    /** A destination entry of the description: its id and its descriptions. */
    public static ObjectNode destination(String id, String type, ObjectNode description) {
        ObjectNode entry = NODES.objectNode();
        entry.put("DestinationId", id);
        entry.set(type + "DestinationDescription", description);
        if (type.equals("ExtendedS3")) {
            // AWS shows an ExtendedS3 destination as an S3 one too.
            entry.set("S3DestinationDescription", s3View(description));
        }
        return entry;
    }

    private static ObjectNode s3View(ObjectNode extended) {
        ObjectNode s3 = NODES.objectNode();
        for (String m : List.of("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix", "BufferingHints",
                "CompressionFormat", "EncryptionConfiguration", "CloudWatchLoggingOptions")) {
            if (extended.has(m)) {
                s3.set(m, extended.get(m).deepCopy());
            }
        }
        return s3;
    }

    /** The type of a destination entry, by the description it carries (ExtendedS3 first). */
    public static String typeOf(JsonNode entry) {
        for (String type : TYPES) {
            if (!type.equals("S3") && entry.has(type + "DestinationDescription")) {
                return type;
            }
        }
        return "S3";
    }

    /** Applies an update to a description: members given replace (objects merge), others stay. */
    public static ObjectNode update(String type, ObjectNode description, JsonNode update) {
        ObjectNode d = description.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = update.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (SECRETS.contains(name)) {
                continue;
            }
            if (name.equals("S3Update") || name.equals("S3BackupUpdate")) {
                String target = name.equals("S3Update") ? "S3DestinationDescription" : "S3BackupDescription";
                ObjectNode base = d.has(target) ? (ObjectNode) d.get(target) : NODES.objectNode();
                d.set(target, fillS3Defaults(merge(base, e.getValue())));
            } else if (e.getValue().isObject() && d.get(name) instanceof ObjectNode existing
                    && !name.equals("EncryptionConfiguration")) {
                d.set(name, merge(existing, e.getValue()));
            } else {
                d.set(name, e.getValue().deepCopy());
            }
        }
        return d;
    }

    private static ObjectNode merge(ObjectNode base, JsonNode changes) {
        ObjectNode out = base.deepCopy();
        changes.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue().deepCopy()));
        return out;
    }

    /** The S3 part of a description that records are written to; null if there is none. */
    public static JsonNode s3Part(String type, JsonNode description) {
        if (type.equals("S3") || type.equals("ExtendedS3")) {
            return description;
        }
        return description.get("S3DestinationDescription");
    }

    /**
     * Checks what the model cannot: prefix expressions, hints given in pairs, the time zone.
     * Throws InvalidArgumentException.
     */
    public static void check(String type, JsonNode description) {
        JsonNode s3 = s3Part(type, description);
        if (s3 == null) {
            throw FirehoseBackend.invalidArgument("Tributary delivers only to S3: a " + type
                    + " destination needs an S3Configuration to deliver to.");
        }
        if (type.equals("HttpEndpoint")) {
            String url = description.path("EndpointConfiguration").path("Url").asText("");
            try {
                LambdaFunctions.checkUrl(url);
            } catch (IllegalArgumentException e) {
                throw FirehoseBackend.invalidArgument("EndpointConfiguration.Url must be an http:// or https:// URL"
                        + " (Tributary also allows http:// and any port): " + url);
            }
            int retry = description.path("RetryOptions").path("DurationInSeconds").asInt(DEFAULT_HTTP_RETRY_SECONDS);
            if (retry < 0 || retry > 7200) {
                throw FirehoseBackend.invalidArgument("RetryOptions.DurationInSeconds must be from 0 to 7200: " + retry);
            }
        }
        if (type.equals("ExtendedS3")) {
            recordFormat(description);
        }
        if (type.equals("ExtendedS3") && "Enabled".equals(text(description, "S3BackupMode"))
                && !description.has("S3BackupDescription")) {
            throw FirehoseBackend.invalidArgument("S3BackupConfiguration is required when S3BackupMode is Enabled.");
        }
        boolean partitioned = dynamicPartitioning(type, description);
        String problem = ObjectKeys.validate(text(s3, "Prefix"), text(s3, "ErrorOutputPrefix"), partitioned);
        if (problem != null) {
            throw FirehoseBackend.invalidArgument(problem);
        }
        zone(s3);
        Processing processing = processing(type, description, false, arn -> records -> List.of());
        if (partitioned && (processing.partitionKeys() == null || !hasProcessor(description, "MetadataExtraction"))
                && !ObjectKeys.partitionKeysIn(text(s3, "Prefix")).isEmpty()) {
            throw FirehoseBackend.invalidArgument("Dynamic partitioning with !{partitionKeyFromQuery:...} in the"
                    + " Prefix needs a MetadataExtraction processor with a MetadataExtractionQuery.");
        }
        if (partitioned && processing.lambda() == null
                && !ObjectKeys.lambdaPartitionKeysIn(text(s3, "Prefix")).isEmpty()) {
            throw FirehoseBackend.invalidArgument("Dynamic partitioning with !{partitionKeyFromLambda:...} in the"
                    + " Prefix needs a Lambda processor.");
        }
    }

    /** True when a S3/ExtendedS3 description has {@code DynamicPartitioningConfiguration.Enabled}. */
    public static boolean dynamicPartitioning(String type, JsonNode description) {
        return (type.equals("S3") || type.equals("ExtendedS3"))
                && description.path("DynamicPartitioningConfiguration").path("Enabled").asBoolean(false);
    }

    /**
     * The engine's processing from an S3/ExtendedS3 description's {@code ProcessingConfiguration}
     * (processors apply when {@code Enabled} is true or absent) and
     * {@code DynamicPartitioningConfiguration}; other destination types get none. Supported:
     * {@code RecordDeAggregation} ({@code SubRecordType} JSON or DELIMITED with a base64
     * {@code Delimiter}; KPL records are de-aggregated first), {@code MetadataExtraction} (a JQ-1.6
     * {@code MetadataExtractionQuery}, used only with dynamic partitioning) and
     * {@code AppendDelimiterToRecord} ("\n", or a base64 {@code Delimiter}) and {@code Lambda}
     * ({@code LambdaArn}, {@code NumberOfRetries}, {@code BufferSizeInMBs},
     * {@code BufferIntervalInSeconds}; invoked through {@code lambdas}, or not applied when that is
     * null, as when only validating). {@code Decompression} and {@code CloudWatchLogProcessing} are
     * accepted and not applied. A Kinesis source always gets KPL de-aggregation, as AWS does.
     * Throws InvalidArgumentException.
     */
    static Processing processing(String type, JsonNode description, boolean kinesisSource,
                                 java.util.function.Function<String, LambdaProcessor.Transformer> lambdas) {
        boolean kpl = kinesisSource;
        LambdaProcessor lambda = null;
        Processing.SubRecordType subRecordType = null;
        byte[] subRecordDelimiter = null;
        JqPartitionKeys query = null;
        byte[] append = null;
        JsonNode config = description.path("ProcessingConfiguration");
        if ((type.equals("S3") || type.equals("ExtendedS3") || type.equals("HttpEndpoint"))
                && config.path("Enabled").asBoolean(true)) {
            for (JsonNode p : config.path("Processors")) {
                Map<String, String> params = new HashMap<>();
                for (JsonNode param : p.path("Parameters")) {
                    params.put(param.path("ParameterName").asText(), param.path("ParameterValue").asText());
                }
                switch (p.path("Type").asText()) {
                    case "RecordDeAggregation" -> {
                        kpl = true;
                        String sub = params.getOrDefault("SubRecordType", "");
                        switch (sub) {
                            case "JSON" -> subRecordType = Processing.SubRecordType.JSON;
                            case "DELIMITED" -> {
                                subRecordType = Processing.SubRecordType.DELIMITED;
                                subRecordDelimiter = base64(params.get("Delimiter"), "RecordDeAggregation");
                                if (subRecordDelimiter == null || subRecordDelimiter.length == 0) {
                                    throw FirehoseBackend.invalidArgument("RecordDeAggregation with SubRecordType"
                                            + " DELIMITED needs a base64-encoded Delimiter parameter.");
                                }
                            }
                            default -> throw FirehoseBackend.invalidArgument("RecordDeAggregation needs the"
                                    + " SubRecordType parameter JSON or DELIMITED, not '" + sub + "'.");
                        }
                    }
                    case "MetadataExtraction" -> {
                        String engine = params.getOrDefault("JsonParsingEngine", "JQ-1.6");
                        if (!engine.equals("JQ-1.6")) {
                            throw FirehoseBackend.invalidArgument("JsonParsingEngine must be JQ-1.6, not " + engine
                                    + ".");
                        }
                        String q = params.get("MetadataExtractionQuery");
                        if (q == null || q.isBlank()) {
                            throw FirehoseBackend.invalidArgument(
                                    "MetadataExtraction needs the MetadataExtractionQuery parameter.");
                        }
                        try {
                            query = new JqPartitionKeys(q);
                        } catch (IllegalArgumentException e) {
                            throw FirehoseBackend.invalidArgument(e.getMessage());
                        }
                    }
                    case "AppendDelimiterToRecord" -> {
                        byte[] d = base64(params.get("Delimiter"), "AppendDelimiterToRecord");
                        append = d == null ? new byte[] {'\n'} : d;
                    }
                    case "Lambda" -> {
                        String arn = params.get("LambdaArn");
                        if (arn == null || !arn.startsWith("arn:")) {
                            throw FirehoseBackend.invalidArgument("The Lambda processor needs the LambdaArn parameter,"
                                    + " a Lambda function ARN.");
                        }
                        int retries = intParam(params, "NumberOfRetries", LambdaProcessor.DEFAULT_RETRIES, 0, 5);
                        double mb = doubleParam(params, "BufferSizeInMBs", 1, 0.2, 3);
                        int seconds = intParam(params, "BufferIntervalInSeconds", 60, 0, 900);
                        lambda = lambdas == null ? null : new LambdaProcessor(arn, retries,
                                (long) (mb * 1024 * 1024), Duration.ofSeconds(seconds), lambdas.apply(arn));
                    }
                    default -> {
                        // Decompression, CloudWatchLogProcessing: accepted, not applied.
                    }
                }
            }
        }
        boolean partitioned = dynamicPartitioning(type, description);
        Function<byte[], Map<String, String>> keys = query;
        if (partitioned && keys == null && lambda != null) {
            keys = r -> Map.of(); // partition keys from the Lambda alone
        }
        return new Processing(kpl, subRecordType, subRecordDelimiter, partitioned ? keys : null, append, lambda);
    }

    private static int intParam(Map<String, String> params, String name, int dflt, int min, int max) {
        return (int) doubleParam(params, name, dflt, min, max);
    }

    private static double doubleParam(Map<String, String> params, String name, double dflt, double min, double max) {
        String v = params.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw FirehoseBackend.invalidArgument("The processor parameter " + name + " must be a number from " + min
                + " to " + max + ", not " + v + ".");
    }

    private static byte[] base64(String value, String processor) {
        if (value == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw FirehoseBackend.invalidArgument("The Delimiter parameter of " + processor
                    + " must be base64-encoded: " + value);
        }
    }

    /** Checks that a configuration gives both buffering hints or neither, as the API requires. */
    public static void checkHints(JsonNode s3Config) {
        JsonNode hints = s3Config == null ? null : s3Config.get("BufferingHints");
        if (hints != null && hints.has("SizeInMBs") != hints.has("IntervalInSeconds")) {
            throw FirehoseBackend.invalidArgument(
                    "BufferingHints: if you specify a value for one of SizeInMBs and IntervalInSeconds, you must"
                            + " also provide a value for the other.");
        }
    }

    /** The engine's view of a destination, with the Lambda processor (if any) not applied and no HTTP. */
    public static DeliverySpec spec(String streamName, long version, String type, JsonNode description,
                                    boolean kinesisSource) {
        return spec(streamName, version, type, description, kinesisSource, null);
    }

    private static boolean hasProcessor(JsonNode description, String type) {
        for (JsonNode p : description.path("ProcessingConfiguration").path("Processors")) {
            if (p.path("Type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engine's view of a destination (a Kinesis-sourced stream de-aggregates KPL records).
     * With {@code wiring}: Lambda processors call their functions, an HttpEndpoint destination
     * sends to its URL (its S3 configuration takes failed or, with AllData, all records), and an
     * ExtendedS3 destination with {@code S3BackupMode} Enabled backs up source records. Without,
     * none of these happen (other types write to their S3 configuration).
     */
    public static DeliverySpec spec(String streamName, long version, String type, JsonNode description,
                                    boolean kinesisSource, Wiring wiring) {
        JsonNode s3 = s3Part(type, description);
        boolean http = wiring != null && type.equals("HttpEndpoint");
        JsonNode hints = (http ? description : s3).path("BufferingHints");
        HttpTarget target = !http ? null : new HttpTarget(description.path("EndpointConfiguration").path("Url").asText(),
                wiring.http(description),
                Duration.ofSeconds(description.path("RetryOptions").path("DurationInSeconds")
                        .asInt(DEFAULT_HTTP_RETRY_SECONDS)),
                "AllData".equals(text(description, "S3BackupMode")));
        DeliverySpec backup = null;
        if (wiring != null && type.equals("ExtendedS3") && "Enabled".equals(text(description, "S3BackupMode"))
                && description.has("S3BackupDescription")) {
            JsonNode b = description.get("S3BackupDescription");
            JsonNode bh = b.path("BufferingHints");
            backup = new DeliverySpec(streamName, version, bucket(text(b, "BucketARN")), text(b, "Prefix"),
                    text(b, "ErrorOutputPrefix"), (long) bh.path("SizeInMBs").asInt(DEFAULT_SIZE_MB) * 1024 * 1024,
                    Duration.ofSeconds(bh.path("IntervalInSeconds").asInt(DEFAULT_INTERVAL_SECONDS)),
                    Compression.ofAwsName(text(b, "CompressionFormat")), null, zone(b));
        }
        return new DeliverySpec(streamName, version, bucket(text(s3, "BucketARN")), text(s3, "Prefix"),
                text(s3, "ErrorOutputPrefix"),
                (long) hints.path("SizeInMBs").asInt(DEFAULT_SIZE_MB) * 1024 * 1024,
                Duration.ofSeconds(hints.path("IntervalInSeconds").asInt(DEFAULT_INTERVAL_SECONDS)),
                Compression.ofAwsName(text(s3, "CompressionFormat")),
                emptyToNull(text(s3, "FileExtension")), zone(s3),
                processing(type, description, kinesisSource, wiring == null ? null : wiring::lambda), target, backup,
                type.equals("ExtendedS3") ? recordFormat(description) : null);
    }

    /**
     * The record format conversion of an ExtendedS3 description's
     * {@code DataFormatConversionConfiguration} (null when absent or not enabled), checking AWS's
     * rules: a buffer size of at least 64 MiB and {@code CompressionFormat} UNCOMPRESSED (the
     * Parquet file compresses itself). Parquet only: ORC is refused. The SchemaConfiguration is
     * accepted but not read (no Glue here): {@link ParquetConversion} derives the columns.
     * Throws InvalidArgumentException.
     */
    static ParquetConversion recordFormat(JsonNode description) {
        JsonNode c = description.path("DataFormatConversionConfiguration");
        if (c.isMissingNode() || c.isNull() || !c.path("Enabled").asBoolean(true)) {
            return null;
        }
        int size = description.path("BufferingHints").path("SizeInMBs").asInt(DEFAULT_SIZE_MB);
        if (size < 64) {
            throw FirehoseBackend.invalidArgument("BufferingHints.SizeInMBs must be at least 64 when data format"
                    + " conversion is enabled.");
        }
        String compression = text(description, "CompressionFormat");
        if (compression != null && !compression.equals("UNCOMPRESSED")) {
            throw FirehoseBackend.invalidArgument("CompressionFormat must be UNCOMPRESSED when data format conversion"
                    + " is enabled.");
        }
        JsonNode serializer = c.path("OutputFormatConfiguration").path("Serializer");
        if (serializer.has("OrcSerDe")) {
            throw FirehoseBackend.invalidArgument("Tributary does not write ORC: use ParquetSerDe as the"
                    + " OutputFormatConfiguration Serializer.");
        }
        if (!serializer.has("ParquetSerDe")) {
            throw FirehoseBackend.invalidArgument("DataFormatConversionConfiguration needs an"
                    + " OutputFormatConfiguration Serializer (ParquetSerDe).");
        }
        JsonNode deserializer = c.path("InputFormatConfiguration").path("Deserializer");
        JsonNode openX = deserializer.path("OpenXJsonSerDe");
        Map<String, String> mappings = new java.util.LinkedHashMap<>();
        openX.path("ColumnToJsonKeyMappings").fields().forEachRemaining(e -> mappings.put(e.getKey(),
                e.getValue().asText()));
        JsonNode schema = c.path("SchemaConfiguration");
        com.fasterxml.jackson.databind.node.ObjectNode table = NODES.objectNode();
        table.put("catalogId", text(schema, "CatalogId"));
        table.put("databaseName", text(schema, "DatabaseName"));
        table.put("tableName", text(schema, "TableName"));
        table.put("region", text(schema, "Region"));
        table.put("versionId", text(schema, "VersionId"));
        table.putNull("catalogArn");
        try {
            return new ParquetConversion(text(serializer.get("ParquetSerDe"), "Compression"),
                    openX.path("CaseInsensitive").asBoolean(true),
                    openX.path("ConvertDotsInJsonKeysToUnderscores").asBoolean(false), mappings, table.toString());
        } catch (IllegalArgumentException e) {
            throw FirehoseBackend.invalidArgument(e.getMessage());
        }
    }

    /** The bucket of {@code arn:aws:s3:::bucket}. */
    public static String bucket(String bucketArn) {
        int i = bucketArn.lastIndexOf(':');
        return bucketArn.substring(i + 1);
    }

    private static ZoneId zone(JsonNode s3) {
        String tz = emptyToNull(text(s3, "CustomTimeZone"));
        if (tz == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw FirehoseBackend.invalidArgument("CustomTimeZone " + tz + " is not a valid time zone.");
        }
    }

    private static String text(JsonNode n, String member) {
        JsonNode v = n.get(member);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
