package dev.tributary.emulator.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Channels through raw JSON: the SDK v2 Kinesis client on Maven Central (2.52.0) predates them.
 */
class ChannelsHttpTest {
    static Tributary tributary;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        tributary = Tributary.start(ConfigLoader.load(new String[] {"--in-memory", "--port", "0",
                "--create-stream-delay", "1s", "--delete-stream-delay", "1s", "--update-stream-delay", "1s"}, Map.of()));
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<String> call(String op, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202." + op)
                .header("Authorization", HttpContractTest.AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(String op, String body) throws Exception {
        HttpResponse<String> r = call(op, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    static final String ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/";

    static String createBody(String name, String stream) {
        return "{\"ChannelName\":\"" + name + "\",\"ServiceExecutionRoleARN\":\"arn:aws:iam::000000000000:role/ch\","
                + "\"StreamConfigurationList\":[{\"StreamARN\":\"" + ARN + stream + "\","
                + "\"RecordConfiguration\":{\"RecordFormatType\":\"JSON\"}}],"
                + "\"S3DestinationConfiguration\":{\"StorageConfiguration\":{\"BucketARN\":\"arn:aws:s3:::bucket-1\","
                + "\"ExpectedBucketOwner\":\"000000000000\",\"CompressionType\":\"GZIP\"}}}";
    }

    @Test
    void channelLifecycleFromCreatingToGone() throws Exception {
        ok("CreateStream", "{\"StreamName\":\"od\",\"StreamModeDetails\":{\"StreamMode\":\"ON_DEMAND\"}}");
        tributary.clock().advance(Duration.ofSeconds(1));
        JsonNode created = ok("CreateChannel", createBody("ch1", "od")).get("ChannelDescription");
        String arn = created.get("ChannelARN").asText();
        assertThat(arn).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:channel/ch1");
        assertThat(created.get("ChannelStatus").asText()).isEqualTo("CREATING");
        assertThat(created.get("ChannelId").asText()).hasSize(20);
        assertThat(created.get("S3DestinationConfiguration").get("DataFreshnessInSeconds").asInt()).isEqualTo(300);
        assertThat(created.get("S3DestinationConfiguration").get("DeadLetterQueueS3Configuration").get("BucketARN")
                .asText()).isEqualTo("arn:aws:s3:::bucket-1");
        assertThat(created.get("StreamConfigurationList").get(0).get("StreamCreationTimestamp").isNumber()).isTrue();
        assertThat(created.get("LoggingConfiguration").toString()).isEqualTo("{\"CloudWatchLogs\":{\"Enabled\":false}}");

        tributary.clock().advance(Duration.ofSeconds(1));
        assertThat(ok("DescribeChannel", "{\"ChannelARN\":\"" + arn + "\"}").get("ChannelDescription")
                .get("ChannelStatus").asText()).isEqualTo("ACTIVE");
        assertThat(ok("DescribeStreamSummary", "{\"StreamName\":\"od\"}").get("StreamDescriptionSummary")
                .get("ChannelCount").asInt()).isEqualTo(1);

        JsonNode updated = ok("UpdateChannel", "{\"ChannelARN\":\"" + arn
                + "\",\"S3DestinationConfiguration\":{\"DataFreshnessInSeconds\":60}}").get("ChannelDescription");
        assertThat(updated.get("ChannelStatus").asText()).isEqualTo("UPDATING");
        assertThat(updated.get("S3DestinationConfiguration").get("DataFreshnessInSeconds").asInt()).isEqualTo(60);

        JsonNode list = ok("ListChannels", "{}");
        assertThat(list.get("ChannelSummaries").get(0).get("ChannelDestinationType").asText()).isEqualTo("S3");
        assertThat(list.get("ChannelSummaries").get(0).get("Streams").get(0).get("StreamARN").asText())
                .isEqualTo(ARN + "od");

        tributary.clock().advance(Duration.ofSeconds(1));
        ok("DeleteChannel", "{\"ChannelARN\":\"" + arn + "\"}");
        tributary.clock().advance(Duration.ofSeconds(1));
        HttpResponse<String> gone = call("DescribeChannel", "{\"ChannelARN\":\"" + arn + "\"}");
        assertThat(gone.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(gone.body()).get("__type").asText()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void aChannelDeliversItsStreamsRecordsToTheLocalS3FileSink() throws Exception {
        ok("CreateStream", "{\"StreamName\":\"od-deliver\",\"StreamModeDetails\":{\"StreamMode\":\"ON_DEMAND\"}}");
        tributary.clock().advance(Duration.ofSeconds(1));
        ok("CreateChannel", createBody("deliver", "od-deliver").replace("bucket-1", "channel-out")
                .replace("\"CompressionType\":\"GZIP\"", "\"CompressionType\":\"NONE\""));
        ok("PutRecord", "{\"StreamName\":\"od-deliver\",\"PartitionKey\":\"k\",\"Data\":\""
                + java.util.Base64.getEncoder().encodeToString("hello-channel".getBytes()) + "\"}");
        tributary.clock().advance(Duration.ofSeconds(301));
        HttpResponse<String> listing = null;
        for (int i = 0; i < 200; i++) {
            listing = HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/channel-out?list-type=2"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (listing.body().contains("<Key>")) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(listing.body()).contains("<Key>");
        String key = listing.body().replaceAll("(?s).*<Key>([^<]+)</Key>.*", "$1");
        assertThat(key).startsWith(java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/")
                .withZone(java.time.ZoneOffset.UTC).format(tributary.clock().instant().minusSeconds(301)));
        String object = HTTP.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/channel-out/" + key))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(object).isEqualTo("hello-channel");
    }

    @Test
    void channelsNeedAnOnDemandStreamAndExactlyOneDestination() throws Exception {
        ok("CreateStream", "{\"StreamName\":\"prov\",\"ShardCount\":1}");
        tributary.clock().advance(Duration.ofSeconds(1));
        HttpResponse<String> provisioned = call("CreateChannel", createBody("ch2", "prov"));
        assertThat(JSON.readTree(provisioned.body()).get("__type").asText()).isEqualTo("InvalidArgumentException");
        HttpResponse<String> none = call("CreateChannel", createBody("ch3", "prov")
                .replaceAll(",\"S3DestinationConfiguration\".*\\}\\}\\}$", "}"));
        assertThat(JSON.readTree(none.body()).get("message").asText())
                .isEqualTo("Exactly one of S3DestinationConfiguration and S3TablesDestinationConfiguration must be provided.");
        HttpResponse<String> badRole = call("CreateChannel", createBody("ch4", "prov").replace("role/ch", "user/x"));
        assertThat(JSON.readTree(badRole.body()).get("__type").asText()).isEqualTo("ValidationException");
    }
}
