package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.protocol.AwsException;
import dev.tributary.firehose.DeliverySpec;
import dev.tributary.firehose.processing.Processing;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ProcessingConfiguration and DynamicPartitioningConfiguration as the engine sees them. */
class DestinationsProcessingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode dest(String extra) throws Exception {
        return Destinations.describe("ExtendedS3", MAPPER.readTree("{\"RoleARN\":\"r\",\"BucketARN\":\"arn:aws:s3:::b\""
                + extra + "}"));
    }

    private static String processors(String... processors) {
        return ",\"ProcessingConfiguration\":{\"Enabled\":true,\"Processors\":[" + String.join(",", processors) + "]}";
    }

    private static String processor(String type, String... nameValues) {
        StringBuilder p = new StringBuilder("{\"Type\":\"" + type + "\",\"Parameters\":[");
        for (int i = 0; i < nameValues.length; i += 2) {
            p.append(i == 0 ? "" : ",").append("{\"ParameterName\":\"").append(nameValues[i])
                    .append("\",\"ParameterValue\":\"").append(nameValues[i + 1]).append("\"}");
        }
        return p.append("]}").toString();
    }

    private static String message(Runnable r) {
        try {
            r.run();
        } catch (AwsException e) {
            assertThat(e.error()).isEqualTo(FirehoseError.INVALID_ARGUMENT);
            return e.getMessage();
        }
        throw new AssertionError("no InvalidArgumentException");
    }

    @Test
    void appendDelimiterDefaultsToNewlineAndTakesABase64Delimiter() throws Exception {
        DeliverySpec spec = Destinations.spec("s", 1, "ExtendedS3",
                dest(processors(processor("AppendDelimiterToRecord"))), false);
        assertThat(spec.processing().appendDelimiter()).isEqualTo(new byte[] {'\n'});
        spec = Destinations.spec("s", 1, "ExtendedS3",
                dest(processors(processor("AppendDelimiterToRecord", "Delimiter", "IyMjIw=="))), false);
        assertThat(new String(spec.processing().appendDelimiter(), StandardCharsets.UTF_8)).isEqualTo("####");
    }

    @Test
    void disabledProcessingAppliesNothingButAKinesisSourceStillDeAggregatesKpl() throws Exception {
        JsonNode d = dest(",\"ProcessingConfiguration\":{\"Enabled\":false,\"Processors\":["
                + processor("AppendDelimiterToRecord") + "]}");
        assertThat(Destinations.spec("s", 1, "ExtendedS3", d, false).processing()).usingRecursiveComparison()
                .isEqualTo(Processing.NONE);
        assertThat(Destinations.spec("s", 1, "ExtendedS3", d, true).processing().kplDeAggregation()).isTrue();
    }

    @Test
    void recordDeAggregationNeedsASubRecordTypeAndDelimitedNeedsABase64Delimiter() throws Exception {
        Processing p = Destinations.spec("s", 1, "ExtendedS3",
                dest(processors(processor("RecordDeAggregation", "SubRecordType", "DELIMITED", "Delimiter", "Iw=="))),
                false).processing();
        assertThat(p.kplDeAggregation()).isTrue();
        assertThat(p.subRecordType()).isEqualTo(Processing.SubRecordType.DELIMITED);
        assertThat(p.subRecordDelimiter()).isEqualTo(new byte[] {'#'});
        JsonNode noType = dest(processors(processor("RecordDeAggregation")));
        assertThat(message(() -> Destinations.check("ExtendedS3", noType)))
                .isEqualTo("RecordDeAggregation needs the SubRecordType parameter JSON or DELIMITED, not ''.");
        JsonNode noDelimiter = dest(processors(processor("RecordDeAggregation", "SubRecordType", "DELIMITED")));
        assertThat(message(() -> Destinations.check("ExtendedS3", noDelimiter)))
                .isEqualTo("RecordDeAggregation with SubRecordType DELIMITED needs a base64-encoded Delimiter parameter.");
        JsonNode badBase64 = dest(processors(processor("AppendDelimiterToRecord", "Delimiter", "!!")));
        assertThat(message(() -> Destinations.check("ExtendedS3", badBase64)))
                .isEqualTo("The Delimiter parameter of AppendDelimiterToRecord must be base64-encoded: !!");
    }

    @Test
    void dynamicPartitioningEvaluatesTheJqQueryPerRecord() throws Exception {
        JsonNode d = dest(",\"Prefix\":\"customer_id=!{partitionKeyFromQuery:customer_id}/\","
                + "\"ErrorOutputPrefix\":\"errors/!{firehose:error-output-type}/\","
                + "\"DynamicPartitioningConfiguration\":{\"Enabled\":true}" + processors(processor("MetadataExtraction",
                "MetadataExtractionQuery", "{customer_id:.customer_id}", "JsonParsingEngine", "JQ-1.6")));
        Destinations.check("ExtendedS3", d);
        Processing p = Destinations.spec("s", 1, "ExtendedS3", d, false).processing();
        assertThat(p.partitioned()).isTrue();
        assertThat(p.partitionKeys().apply("{\"customer_id\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("customer_id", "1"));
    }

    @Test
    void dynamicPartitioningChecksItsConfiguration() throws Exception {
        String prefix = ",\"Prefix\":\"c=!{partitionKeyFromQuery:c}/\"";
        String errorPrefix = ",\"ErrorOutputPrefix\":\"e/!{firehose:error-output-type}/\"";
        String enabled = ",\"DynamicPartitioningConfiguration\":{\"Enabled\":true}";
        JsonNode noQuery = dest(prefix + errorPrefix + enabled);
        assertThat(message(() -> Destinations.check("ExtendedS3", noQuery))).isEqualTo("Dynamic partitioning with"
                + " !{partitionKeyFromQuery:...} in the Prefix needs a MetadataExtraction processor with a"
                + " MetadataExtractionQuery.");
        JsonNode noErrorPrefix = dest(prefix + enabled);
        assertThat(message(() -> Destinations.check("ExtendedS3", noErrorPrefix)))
                .isEqualTo("ErrorOutputPrefix is required when dynamic partitioning is enabled.");
        JsonNode notEnabled = dest(prefix + errorPrefix);
        assertThat(message(() -> Destinations.check("ExtendedS3", notEnabled)))
                .isEqualTo("The expression !{partitionKeyFromQuery:c} is allowed only when dynamic partitioning is"
                        + " enabled.");
        JsonNode badQuery = dest(prefix + errorPrefix + enabled + processors(processor("MetadataExtraction",
                "MetadataExtractionQuery", "{c:.c")));
        assertThat(message(() -> Destinations.check("ExtendedS3", badQuery)))
                .startsWith("MetadataExtractionQuery {c:.c is not a valid JQ-1.6 expression");
        JsonNode otherEngine = dest(prefix + errorPrefix + enabled + processors(processor("MetadataExtraction",
                "MetadataExtractionQuery", "{c:.c}", "JsonParsingEngine", "JQ-1.5")));
        assertThat(message(() -> Destinations.check("ExtendedS3", otherEngine)))
                .isEqualTo("JsonParsingEngine must be JQ-1.6, not JQ-1.5.");
    }
}
