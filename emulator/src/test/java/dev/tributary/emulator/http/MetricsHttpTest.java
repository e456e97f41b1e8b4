package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /_tributary/metrics} over HTTP, after real Kinesis calls with raw JSON bodies. */
class MetricsHttpTest {
    static final String AUTH = HttpContractTest.AUTH;
    static Tributary tributary;
    static HttpClient http;

    @BeforeAll
    static void start() {
        tributary = Tributary.start(EmulatorConfig.forTests());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<String> kinesis(String op, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(tributary.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + op)
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/_tributary/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countersShowRequestsRecordsAndGaugesAfterPutAndGet() throws Exception {
        assertThat(kinesis("CreateStream", "{\"StreamName\":\"metered\",\"ShardCount\":2}").statusCode()).isEqualTo(200);
        // "aGVsbG8=" is "hello": 5 data bytes.
        assertThat(kinesis("PutRecord", "{\"StreamName\":\"metered\",\"PartitionKey\":\"k\",\"Data\":\"aGVsbG8=\"}")
                .statusCode()).isEqualTo(200);
        assertThat(kinesis("PutRecords", "{\"StreamName\":\"metered\",\"Records\":[{\"PartitionKey\":\"a\","
                + "\"Data\":\"aGVsbG8=\"},{\"PartitionKey\":\"b\",\"Data\":\"aGk=\"}]}").statusCode()).isEqualTo(200);
        assertThat(kinesis("PutRecord", "{\"StreamName\":\"absent\",\"PartitionKey\":\"k\",\"Data\":\"aGVsbG8=\"}")
                .statusCode()).isEqualTo(400);
        String shardId = "shardId-000000000000";
        int got = 0;
        for (int shard = 0; shard < 2; shard++) {
            shardId = "shardId-00000000000" + shard;
            String it = kinesis("GetShardIterator", "{\"StreamName\":\"metered\",\"ShardId\":\"" + shardId
                    + "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}").body().replaceAll(".*\"ShardIterator\":\"([^\"]+)\".*", "$1");
            String records = kinesis("GetRecords", "{\"ShardIterator\":\"" + it + "\"}").body();
            got += records.split("\"SequenceNumber\"", -1).length - 1;
        }
        assertThat(got).isEqualTo(3);

        HttpResponse<String> r = metrics();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
        String text = r.body();
        assertThat(text)
                .contains("tributary_requests_total{service=\"kinesis\",operation=\"PutRecord\",status=\"200\"} 1\n")
                .contains("tributary_requests_total{service=\"kinesis\",operation=\"PutRecord\",status=\"400\"} 1\n")
                .contains("tributary_requests_total{service=\"kinesis\",operation=\"PutRecords\",status=\"200\"} 1\n")
                .contains("tributary_request_errors_total{service=\"kinesis\",operation=\"PutRecord\","
                        + "error=\"ResourceNotFoundException\"} 1\n")
                .contains("tributary_request_duration_seconds_count{service=\"kinesis\",operation=\"PutRecord\"} 2\n")
                .contains("tributary_request_duration_seconds_bucket{service=\"kinesis\",operation=\"PutRecord\","
                        + "le=\"+Inf\"} 2\n")
                .contains("tributary_records_in_total{stream=\"metered\"} 3\n")
                .contains("tributary_bytes_in_total{stream=\"metered\"} 12\n")
                .contains("tributary_records_out_total{stream=\"metered\"} 3\n")
                .contains("tributary_bytes_out_total{stream=\"metered\"} 12\n")
                .contains("tributary_streams 1\n")
                .contains("tributary_open_shards 2\n")
                .doesNotContain("stream=\"absent\"");
        assertThat(sumOf(text, "tributary_request_duration_seconds_sum\\{service=\"kinesis\",operation=\"PutRecord\"\\}"))
                .isPositive();
    }

    @Test
    void unknownTargetsAreCountedUnderUnknown() throws Exception {
        assertThat(kinesis("NoSuchOperation", "{}").statusCode()).isEqualTo(400);
        assertThat(metrics().body()).contains("tributary_request_errors_total{service=\"unknown\","
                + "operation=\"unknown\",error=\"UnknownOperationException\"}");
    }

    private static double sumOf(String text, String seriesRegex) {
        Matcher m = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", seriesRegex, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
