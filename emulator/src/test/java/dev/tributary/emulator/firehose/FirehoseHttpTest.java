package dev.tributary.emulator.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Firehose HTTP contract with raw JSON bodies, the flush control endpoint and the S3 route. */
class FirehoseHttpTest {
    static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300102/us-east-1/firehose/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static Tributary tributary;
    static HttpClient http;

    @BeforeAll
    static void start() {
        tributary = Tributary.start(EmulatorConfig.forTests());
        tributary.clock().pin(Instant.parse("2030-01-02T03:04:05Z"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<String> firehose(String op, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(tributary.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804." + op)
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> raw(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createDescribeShowsDefaultsAndFlushWritesTheObject() throws Exception {
        HttpResponse<String> created = firehose("CreateDeliveryStream", "{\"DeliveryStreamName\":\"raw\","
                + "\"S3DestinationConfiguration\":{\"RoleARN\":\"arn:aws:iam::000000000000:role/r\","
                + "\"BucketARN\":\"arn:aws:s3:::raw-bucket\"}}");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(created.body()).get("DeliveryStreamARN").asText())
                .isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/raw");

        JsonNode d = MAPPER.readTree(firehose("DescribeDeliveryStream", "{\"DeliveryStreamName\":\"raw\"}").body())
                .get("DeliveryStreamDescription");
        assertThat(d.get("DeliveryStreamType").asText()).isEqualTo("DirectPut");
        assertThat(d.get("DeliveryStreamEncryptionConfiguration").toString()).isEqualTo("{\"Status\":\"DISABLED\"}");
        JsonNode s3 = d.get("Destinations").get(0).get("S3DestinationDescription");
        assertThat(s3.get("BufferingHints").toString()).isEqualTo("{\"SizeInMBs\":5,\"IntervalInSeconds\":300}");
        assertThat(s3.get("CompressionFormat").asText()).isEqualTo("UNCOMPRESSED");
        assertThat(s3.get("EncryptionConfiguration").toString()).isEqualTo("{\"NoEncryptionConfig\":\"NoEncryption\"}");
        assertThat(d.get("Destinations").get(0).has("ExtendedS3DestinationDescription")).isFalse();

        assertThat(firehose("PutRecord", "{\"DeliveryStreamName\":\"raw\",\"Record\":{\"Data\":\"aGk=\"}}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> flushed = raw("POST", "/_tributary/firehose/flush", "{\"deliveryStreamName\":\"raw\"}");
        assertThat(flushed.body()).isEqualTo("{\"objectsWritten\":1}");
        HttpResponse<String> list = raw("GET", "/raw-bucket?list-type=2", null);
        assertThat(list.statusCode()).isEqualTo(200);
        String key = list.body().replaceAll("(?s).*<Key>(.*)</Key>.*", "$1");
        assertThat(key).matches("2030/01/02/03/raw-1-2030-01-02-03-0[0-9]-[0-9]{2}-[0-9a-f-]{36}");
        assertThat(raw("GET", "/raw-bucket/" + key, null).body()).isEqualTo("hi");
    }

    @Test
    void clockAdvanceThroughTheControlApiDeliversDueBuffersBeforeAnswering() throws Exception {
        firehose("CreateDeliveryStream", "{\"DeliveryStreamName\":\"timed\",\"ExtendedS3DestinationConfiguration\":{"
                + "\"RoleARN\":\"arn:aws:iam::000000000000:role/r\",\"BucketARN\":\"arn:aws:s3:::timed-bucket\","
                + "\"CompressionFormat\":\"GZIP\",\"FileExtension\":\".json.gz\","
                + "\"BufferingHints\":{\"SizeInMBs\":1,\"IntervalInSeconds\":60}}}");
        firehose("PutRecordBatch", "{\"DeliveryStreamName\":\"timed\",\"Records\":[{\"Data\":\"e30=\"}]}");
        raw("POST", "/_tributary/clock/advance", "{\"seconds\":60}");
        String list = raw("GET", "/timed-bucket?list-type=2&prefix=2030%2F", null).body();
        assertThat(list).containsPattern("<Key>2030/01/02/03/timed-1-2030-01-02-03-0[0-9]-[0-9]{2}-[0-9a-f-]{36}\\.json\\.gz</Key>");
    }

    @Test
    void putRecordOfMissingStreamIsResourceNotFound() throws Exception {
        HttpResponse<String> r = firehose("PutRecord", "{\"DeliveryStreamName\":\"missing\",\"Record\":{\"Data\":\"\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"__type\":\"ResourceNotFoundException\","
                + "\"message\":\"Firehose missing under account 000000000000 not found.\"}");
    }

    @Test
    void twoDestinationsAreRejected() throws Exception {
        String s3 = "{\"RoleARN\":\"arn:aws:iam::000000000000:role/r\",\"BucketARN\":\"arn:aws:s3:::b\"}";
        HttpResponse<String> r = firehose("CreateDeliveryStream", "{\"DeliveryStreamName\":\"two\","
                + "\"S3DestinationConfiguration\":" + s3 + ",\"ExtendedS3DestinationConfiguration\":" + s3 + "}");
        assertThat(r.body()).isEqualTo("{\"__type\":\"InvalidArgumentException\","
                + "\"message\":\"Exactly one destination configuration is supported for a Firehose\"}");
    }

    @Test
    void healthReportsFirehoseRunning() throws Exception {
        assertThat(MAPPER.readTree(raw("GET", "/_tributary/health", null).body()).get("services").get("firehose")
                .asText()).isEqualTo("running");
    }

    @Test
    void postWithoutTargetIsStillAnUnknownOperation() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(tributary.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("UnknownOperationException");
    }
}
