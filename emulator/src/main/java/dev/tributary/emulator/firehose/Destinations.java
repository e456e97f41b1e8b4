package dev.tributary.emulator.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.firehose.DeliverySpec;
import dev.tributary.firehose.s3.Compression;
import dev.tributary.firehose.s3.ObjectKeys;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Destination configurations: turning a {@code <Type>DestinationConfiguration} of
 * CreateDeliveryStream into the {@code <Type>DestinationDescription} DescribeDeliveryStream shows
 * (defaults filled in as AWS does), applying a {@code <Type>DestinationUpdate}, and deriving the
 * engine's {@link DeliverySpec} from a description.
 *
 * <p>S3 and ExtendedS3 are delivered. Every other type that has an {@code S3Configuration}
 * (Redshift, OpenSearch, Splunk, HTTP endpoint, Snowflake, Iceberg ...) is accepted and its
 * records are written to that S3 configuration's bucket: the emulator has no such services.
 * Stateless; thread-safe.
 */
public final class Destinations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The destination types of the API, in the model's order. */
    public static final List<String> TYPES = List.of("S3", "ExtendedS3", "Redshift", "Elasticsearch",
            "Amazonopensearchservice", "Splunk", "HttpEndpoint", "AmazonOpenSearchServerless", "Snowflake", "Iceberg");
    public static final int DEFAULT_SIZE_MB = 5;
    public static final int DEFAULT_INTERVAL_SECONDS = 300;
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
        return d;
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
        String problem = ObjectKeys.validate(text(s3, "Prefix"), text(s3, "ErrorOutputPrefix"));
        if (problem != null) {
            throw FirehoseBackend.invalidArgument(problem);
        }
        zone(s3);
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

    /** The engine's view of a destination. */
    public static DeliverySpec spec(String streamName, long version, String type, JsonNode description) {
        JsonNode s3 = s3Part(type, description);
        JsonNode hints = s3.path("BufferingHints");
        return new DeliverySpec(streamName, version, bucket(text(s3, "BucketARN")), text(s3, "Prefix"),
                text(s3, "ErrorOutputPrefix"),
                (long) hints.path("SizeInMBs").asInt(DEFAULT_SIZE_MB) * 1024 * 1024,
                Duration.ofSeconds(hints.path("IntervalInSeconds").asInt(DEFAULT_INTERVAL_SECONDS)),
                Compression.ofAwsName(text(s3, "CompressionFormat")),
                emptyToNull(text(s3, "FileExtension")), zone(s3));
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
