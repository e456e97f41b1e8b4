package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract with raw JSON and CBOR bodies: wire formats, errors, no nulls, status codes. */
class HttpContractTest {
    static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300102/us-east-1/kinesis/aws4_request, "
            + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123456789abcdef";
    static final String JSON = "application/x-amz-json-1.1";
    static final String CBOR = "application/x-amz-cbor-1.1";
    static final Instant PINNED = Instant.parse("2030-01-02T03:04:05.678Z");

    static Tributary tributary;
    static HttpClient http;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() {
        tributary = Tributary.start(EmulatorConfig.forTests());
        tributary.clock().pin(PINNED);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<byte[]> call(String op, String contentType, byte[] body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/some/ignored/path"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (op != null) {
            b.header("X-Amz-Target", "Kinesis_20131202." + op);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> json(String op, String body) throws Exception {
        return call(op, JSON, body.getBytes(StandardCharsets.UTF_8), AUTH);
    }

    static JsonNode tree(HttpResponse<byte[]> r) throws IOException {
        return MAPPER.readTree(r.body());
    }

    @Test
    void healthNamesEachServiceOnceReady() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/_tributary/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = MAPPER.readTree(r.body());
        assertThat(n.get("status").asText()).isEqualTo("ready");
        assertThat(n.get("services").get("kinesis").asText()).isEqualTo("running");
    }

    @Test
    void jsonRoundTripUsesBase64BlobsEpochSecondsAndNoNulls() throws Exception {
        assertThat(json("CreateStream", "{\"StreamName\":\"json-rt\",\"ShardCount\":1}").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> put = json("PutRecord", "{\"StreamName\":\"json-rt\",\"PartitionKey\":\"k\",\"Data\":\""
                + Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)) + "\"}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(tree(put).fieldNames()).toIterable().containsExactlyInAnyOrder("ShardId", "SequenceNumber");
        String iterator = tree(json("GetShardIterator", "{\"StreamName\":\"json-rt\",\"ShardId\":\"shardId-000000000000\","
                + "\"ShardIteratorType\":\"TRIM_HORIZON\"}")).get("ShardIterator").asText();
        HttpResponse<byte[]> get = json("GetRecords", "{\"ShardIterator\":\"" + iterator + "\"}");
        String body = new String(get.body(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("null");
        JsonNode record = tree(get).get("Records").get(0);
        assertThat(record.get("Data").asText()).isEqualTo("aGVsbG8=");
        assertThat(record.get("PartitionKey").asText()).isEqualTo("k");
        assertThat(record.get("ApproximateArrivalTimestamp").isNumber()).isTrue();
        assertThat(record.get("ApproximateArrivalTimestamp").decimalValue())
                .isEqualByComparingTo("1893553445.678");
        assertThat(record.has("EncryptionType")).isFalse();
        assertThat(tree(get).get("MillisBehindLatest").asLong()).isZero();

        JsonNode description = tree(json("DescribeStream", "{\"StreamName\":\"json-rt\"}")).get("StreamDescription");
        assertThat(description.get("StreamCreationTimestamp").decimalValue()).isEqualByComparingTo("1893553445.678");
        assertThat(description.get("EnhancedMonitoring").toString()).isEqualTo("[{\"ShardLevelMetrics\":[]}]");
        assertThat(description.get("EncryptionType").asText()).isEqualTo("NONE");
        assertThat(description.has("KeyId")).isFalse();
        assertThat(description.get("Shards").get(0).get("SequenceNumberRange").has("EndingSequenceNumber")).isFalse();
    }

    @Test
    void operationsWithoutOutputAnswerWithAnEmptyBody() throws Exception {
        HttpResponse<byte[]> r = json("CreateStream", "{\"StreamName\":\"empty-body\",\"ShardCount\":1}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void cborRoundTripUsesByteStringsAndTagOneMillis() throws Exception {
        assertThat(json("CreateStream", "{\"StreamName\":\"cbor-rt\",\"ShardCount\":1}").statusCode()).isEqualTo(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("StreamName", "cbor-rt");
            g.writeStringField("PartitionKey", "k");
            g.writeFieldName("Data");
            g.writeBinary(new byte[] {0, 1, 2, (byte) 255});
            g.writeEndObject();
        }
        HttpResponse<byte[]> put = call("PutRecord", CBOR, out.toByteArray(), AUTH);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("Content-Type")).hasValue(CBOR);

        out.reset();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("StreamName", "cbor-rt");
            g.writeStringField("ShardId", "shardId-000000000000");
            g.writeStringField("ShardIteratorType", "AT_TIMESTAMP");
            g.writeFieldName("Timestamp");
            g.writeTag(1);
            g.writeNumber(PINNED.toEpochMilli());
            g.writeEndObject();
        }
        HttpResponse<byte[]> iteratorResponse = call("GetShardIterator", CBOR, out.toByteArray(), AUTH);
        assertThat(iteratorResponse.statusCode()).isEqualTo(200);
        String iterator = new ObjectMapper(new CBORFactory()).readTree(iteratorResponse.body()).get("ShardIterator").asText();

        out.reset();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ShardIterator", iterator);
            g.writeEndObject();
        }
        HttpResponse<byte[]> get = call("GetRecords", CBOR, out.toByteArray(), AUTH);
        assertThat(get.statusCode()).isEqualTo(200);
        boolean sawTimestamp = false;
        boolean sawData = false;
        try (CBORParser p = new CBORFactory().createParser(get.body())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("ApproximateArrivalTimestamp")) {
                    assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
                    assertThat(p.getCurrentTag()).isEqualTo(1);
                    assertThat(p.getLongValue()).isEqualTo(PINNED.toEpochMilli());
                    sawTimestamp = true;
                }
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("Data")) {
                    assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_EMBEDDED_OBJECT);
                    assertThat(p.getBinaryValue()).containsExactly(0, 1, 2, 255);
                    sawData = true;
                }
            }
        }
        assertThat(sawTimestamp).isTrue();
        assertThat(sawData).isTrue();
    }

    @Test
    void errorsAreAwsShapedInTheRequestsContentType() throws Exception {
        HttpResponse<byte[]> r = json("DescribeStream", "{\"StreamName\":\"nope\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r).toString()).isEqualTo("{\"__type\":\"ResourceNotFoundException\","
                + "\"message\":\"Stream nope under account 000000000000 not found.\"}");

        HttpResponse<byte[]> c = call("DescribeStream", CBOR,
                new ObjectMapper(new CBORFactory()).writeValueAsBytes(java.util.Map.of("StreamName", "nope")), AUTH);
        assertThat(c.statusCode()).isEqualTo(400);
        assertThat(c.headers().firstValue("Content-Type")).hasValue(CBOR);
        JsonNode cbor = new ObjectMapper(new CBORFactory()).readTree(c.body());
        assertThat(cbor.get("__type").asText()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void unknownOperationMalformedBodyAndMissingAuthAreClientErrors() throws Exception {
        HttpResponse<byte[]> unknown = json("Frobnicate", "{}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(tree(unknown).toString()).isEqualTo("{\"__type\":\"UnknownOperationException\"}");

        HttpResponse<byte[]> noTarget = json(null, "{}");
        assertThat(tree(noTarget).get("__type").asText()).isEqualTo("UnknownOperationException");

        HttpResponse<byte[]> malformed = json("ListStreams", "{\"Limit\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(tree(malformed).toString()).isEqualTo("{\"__type\":\"SerializationException\"}");

        HttpResponse<byte[]> typed = json("ListStreams", "{\"Limit\":\"x\"}");
        assertThat(tree(typed).toString()).isEqualTo("{\"__type\":\"SerializationException\","
                + "\"Message\":\"class java.lang.String can not be converted to an Integer\"}");

        HttpResponse<byte[]> noAuth = call("ListStreams", JSON, "{}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(noAuth.statusCode()).isEqualTo(400);
        assertThat(tree(noAuth).toString()).isEqualTo("{\"__type\":\"MissingAuthenticationTokenException\","
                + "\"message\":\"Missing Authentication Token\"}");

        HttpResponse<byte[]> garbageCbor = call("ListStreams", CBOR, new byte[] {(byte) 0xff, 0x00, 0x13}, AUTH);
        assertThat(garbageCbor.statusCode()).isEqualTo(400);
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        try (Tributary small = Tributary.start(dev.tributary.emulator.config.ConfigLoader.load(
                new String[] {"--in-memory", "--port", "0", "--max-request-bytes", "1000"}, java.util.Map.of()))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(small.endpoint() + "/"))
                    .header("Content-Type", JSON).header("X-Amz-Target", "Kinesis_20131202.PutRecord")
                    .header("Authorization", AUTH)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2000])).build();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(tree(r).get("__type").asText()).isEqualTo("RequestEntityTooLarge");
        }
    }

    @Test
    void timestampBelongsToAtTimestampOnly() throws Exception {
        json("CreateStream", "{\"StreamName\":\"ts-only\",\"ShardCount\":1}");
        HttpResponse<byte[]> r = json("GetShardIterator", "{\"StreamName\":\"ts-only\",\"ShardId\":"
                + "\"shardId-000000000000\",\"ShardIteratorType\":\"LATEST\",\"Timestamp\":1893553445}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r).get("__type").asText()).isEqualTo("InvalidArgumentException");
        assertThat(tree(r).get("message").asText()).isEqualTo("Must specify timestampInMillis parameter only for "
                + "iterator of type AT_TIMESTAMP. Current request has a timestamp parameter and iterator type LATEST.");
    }

    /** Found by the front-door fuzzer: the shard-limit sum overflowed and the store ran out of memory. */
    @Test
    void hugeShardCountIsLimitExceededNotAnOverflow() throws Exception {
        HttpResponse<byte[]> r = json("CreateStream", "{\"StreamName\":\"huge\",\"ShardCount\":2147483647}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r).get("__type").asText()).isEqualTo("LimitExceededException");
        assertThat(tree(r).get("message").asText()).startsWith("This request would exceed the shard limit for the "
                + "account 000000000000 in us-east-1. Current shard count for the account: ");
    }

    @Test
    void validationErrorsUseAwsMessageForm() throws Exception {
        HttpResponse<byte[]> r = json("CreateStream", "{\"StreamName\":\"bad name!\",\"ShardCount\":1}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(tree(r).get("__type").asText()).isEqualTo("ValidationException");
        assertThat(tree(r).get("message").asText()).isEqualTo("1 validation error detected: Value 'bad name!' at "
                + "'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[a-zA-Z0-9_.-]+");
    }
}
