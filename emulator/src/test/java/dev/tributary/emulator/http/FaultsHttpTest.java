package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Error injection from the test-control API: by name, per operation and stream, for N calls or by chance. */
class FaultsHttpTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    Tributary tributary;

    @BeforeEach
    void start() {
        tributary = Tributary.start(EmulatorConfig.forTests());
    }

    @AfterEach
    void stop() {
        tributary.close();
    }

    HttpResponse<String> kinesis(String op, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "Kinesis_20131202." + op)
                .header("Authorization", HttpContractTest.AUTH).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode control(String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void anErrorByNameHitsTheNextCallsOfAnOperationOnAStreamOnly() throws Exception {
        kinesis("CreateStream", "{\"StreamName\":\"a\",\"ShardCount\":1}");
        kinesis("CreateStream", "{\"StreamName\":\"b\",\"ShardCount\":1}");
        control("POST", "/_tributary/faults/errors", "{\"operation\":\"DescribeStreamSummary\",\"streamName\":\"a\","
                + "\"error\":\"InternalFailure\",\"calls\":2}");
        assertThat(kinesis("DescribeStreamSummary", "{\"StreamName\":\"b\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> hit = kinesis("DescribeStreamSummary", "{\"StreamName\":\"a\"}");
        assertThat(hit.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(hit.body()).get("__type").asText()).isEqualTo("InternalFailure");
        assertThat(kinesis("DescribeStreamSummary", "{\"StreamName\":\"a\"}").statusCode()).isEqualTo(500);
        assertThat(kinesis("DescribeStreamSummary", "{\"StreamName\":\"a\"}").statusCode()).isEqualTo(200);
        assertThat(control("GET", "/_tributary/faults", null).get("faults")).isEmpty();
    }

    @Test
    void aShardScopedErrorHitsOnlyThatShardsRecordsAndReads() throws Exception {
        kinesis("CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":2}");
        control("POST", "/_tributary/faults/errors", "{\"operation\":\"PutRecords\",\"streamName\":\"s\","
                + "\"shardId\":\"shardId-000000000001\",\"error\":\"InternalFailure\","
                + "\"message\":\"Internal service failure.\",\"calls\":1}");
        // Hash key 0 routes to shard 0, 2^127 to shard 1.
        HttpResponse<String> put = kinesis("PutRecords", "{\"StreamName\":\"s\",\"Records\":["
                + "{\"Data\":\"YQ==\",\"PartitionKey\":\"a\",\"ExplicitHashKey\":\"0\"},"
                + "{\"Data\":\"Yg==\",\"PartitionKey\":\"b\",\"ExplicitHashKey\":\"170141183460469231731687303715884105728\"}]}");
        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode out = JSON.readTree(put.body());
        assertThat(out.get("FailedRecordCount").asInt()).isEqualTo(1);
        assertThat(out.at("/Records/0/ShardId").asText()).isEqualTo("shardId-000000000000");
        assertThat(out.at("/Records/1/ErrorCode").asText()).isEqualTo("InternalFailure");
        assertThat(out.at("/Records/1/ErrorMessage").asText()).isEqualTo("Internal service failure.");
        assertThat(control("GET", "/_tributary/faults", null).get("faults")).isEmpty();

        control("POST", "/_tributary/faults/errors", "{\"operation\":\"GetRecords\",\"shardId\":\"shardId-000000000000\","
                + "\"error\":\"KMSThrottlingException\",\"calls\":1}");
        String iterator = JSON.readTree(kinesis("GetShardIterator", "{\"StreamName\":\"s\",\"ShardId\":"
                + "\"shardId-000000000000\",\"ShardIteratorType\":\"TRIM_HORIZON\"}").body()).get("ShardIterator").asText();
        HttpResponse<String> hit = kinesis("GetRecords", "{\"ShardIterator\":\"" + iterator + "\"}");
        assertThat(JSON.readTree(hit.body()).get("__type").asText()).isEqualTo("KMSThrottlingException");
        HttpResponse<String> next = kinesis("GetRecords", "{\"ShardIterator\":\"" + iterator + "\"}");
        assertThat(JSON.readTree(next.body()).get("Records")).hasSize(1);
    }

    @Test
    void aSeededProbabilityHitsReproduciblyAndClearRemovesIt() throws Exception {
        kinesis("CreateStream", "{\"StreamName\":\"p\",\"ShardCount\":1}");
        String rule = "{\"operation\":\"ListShards\",\"error\":\"LimitExceededException\",\"message\":\"Rate exceeded "
                + "for stream p under account 000000000000.\",\"probability\":0.5,\"seed\":7}";
        control("POST", "/_tributary/faults/errors", rule);
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = kinesis("ListShards", "{\"StreamName\":\"p\"}");
            first.append(r.statusCode() == 200 ? '.' : 'x');
            if (r.statusCode() != 200) {
                assertThat(r.body()).isEqualTo("{\"__type\":\"LimitExceededException\",\"message\":\"Rate exceeded "
                        + "for stream p under account 000000000000.\"}");
            }
        }
        assertThat(first.toString()).contains("x").contains(".");
        control("POST", "/_tributary/faults/clear", null);
        control("POST", "/_tributary/faults/errors", rule);
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            second.append(kinesis("ListShards", "{\"StreamName\":\"p\"}").statusCode() == 200 ? '.' : 'x');
        }
        assertThat(second.toString()).isEqualTo(first.toString());
        control("POST", "/_tributary/faults/clear", null);
        assertThat(kinesis("ListShards", "{\"StreamName\":\"p\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownErrorNamesAreRefused() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint()
                + "/_tributary/faults/errors")).POST(HttpRequest.BodyPublishers.ofString("{\"error\":\"Nope\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"message\":\"unknown error name Nope\"}");
    }
}
