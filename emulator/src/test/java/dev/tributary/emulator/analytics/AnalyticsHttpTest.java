package dev.tributary.emulator.analytics;

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

/** The Kinesis Analytics HTTP contract with raw JSON bodies: AWS error names, limits, versions, discovery. */
class AnalyticsHttpTest {
    static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20300102/us-east-1/kinesisanalytics/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String SCHEMA = "{\"RecordFormat\":{\"RecordFormatType\":\"JSON\",\"MappingParameters\":"
            + "{\"JSONMappingParameters\":{\"RecordRowPath\":\"$\"}}},\"RecordEncoding\":\"UTF-8\",\"RecordColumns\":"
            + "[{\"Name\":\"TICKER\",\"SqlType\":\"VARCHAR(4)\",\"Mapping\":\"$.ticker\"},"
            + "{\"Name\":\"PRICE\",\"SqlType\":\"DOUBLE\",\"Mapping\":\"$.price\"}]}";
    static final String ROLE = "arn:aws:iam::000000000000:role/r";
    static Tributary tributary;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        tributary = Tributary.start(EmulatorConfig.forTests());
        tributary.clock().pin(Instant.parse("2030-01-02T03:04:05Z"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = call("Kinesis_20131202.CreateStream", "{\"StreamName\":\"in\",\"ShardCount\":1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        tributary.close();
    }

    static HttpResponse<String> call(String target, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(tributary.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> kda(String op, String body) throws Exception {
        return call("KinesisAnalytics_20150814." + op, body);
    }

    static String error(HttpResponse<String> r) throws Exception {
        JsonNode n = MAPPER.readTree(r.body());
        return r.statusCode() + " " + n.path("__type").asText() + ": " + n.path("message").asText();
    }

    static String input() {
        return "{\"NamePrefix\":\"SOURCE_SQL_STREAM\",\"KinesisStreamsInput\":{\"ResourceARN\":"
                + "\"arn:aws:kinesis:us-east-1:000000000000:stream/in\",\"RoleARN\":\"" + ROLE + "\"},\"InputSchema\":" + SCHEMA + "}";
    }

    static String output(String stream) {
        return "{\"Name\":\"" + stream + "\",\"KinesisStreamsOutput\":{\"ResourceARN\":"
                + "\"arn:aws:kinesis:us-east-1:000000000000:stream/in\",\"RoleARN\":\"" + ROLE + "\"},"
                + "\"DestinationSchema\":{\"RecordFormatType\":\"JSON\"}}";
    }

    @Test
    void createRejectsBadSqlWithLineAndColumn() throws Exception {
        HttpResponse<String> r = kda("CreateApplication", "{\"ApplicationName\":\"bad-sql\",\"Inputs\":[" + input() + "],"
                + "\"ApplicationCode\":\"CREATE STREAM S (a INT);\\nCREATE PUMP P AS INSERT INTO S SELECT STREAM nope FROM SOURCE_SQL_STREAM_001;\"}");
        assertThat(error(r)).isEqualTo("400 CodeValidationException: SQL error at line 2, column 46: Column 'NOPE' not found in any table");
        assertThat(kda("DescribeApplication", "{\"ApplicationName\":\"bad-sql\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void modelValidationAndMissingNestedMembersAreClientErrors() throws Exception {
        assertThat(kda("CreateApplication", "{\"ApplicationName\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(kda("CreateApplication", "{\"ApplicationName\":\"x\",\"Inputs\":[{\"NamePrefix\":\"S\",\"InputSchema\":"
                + "{\"RecordFormat\":{\"RecordFormatType\":\"JSON\"},\"RecordColumns\":[{\"Name\":\"A\",\"SqlType\":\"NOTATYPE\"}]}}]}"))
                .satisfies(r -> assertThat(error(r)).isEqualTo("400 InvalidArgumentException: Invalid SqlType 'NOTATYPE' for column A"));
        assertThat(error(kda("CreateApplication", "{\"ApplicationName\":\"x\",\"Inputs\":[{\"NamePrefix\":\"S\",\"InputSchema\":" + SCHEMA + "}]}")))
                .isEqualTo("400 InvalidArgumentException: Input needs a KinesisStreamsInput");
    }

    @Test
    void outputsAreLimitedToThreeAndVersionsAreChecked() throws Exception {
        assertThat(kda("CreateApplication", "{\"ApplicationName\":\"limits\",\"Outputs\":[" + output("A") + "," + output("B") + "]}")
                .statusCode()).isEqualTo(200);
        assertThat(error(kda("AddApplicationOutput", "{\"ApplicationName\":\"limits\",\"CurrentApplicationVersionId\":7,\"Output\":" + output("C") + "}")))
                .startsWith("400 ConcurrentModificationException: Current application version 7 does not match");
        assertThat(kda("AddApplicationOutput", "{\"ApplicationName\":\"limits\",\"CurrentApplicationVersionId\":1,\"Output\":" + output("C") + "}")
                .statusCode()).isEqualTo(200);
        assertThat(error(kda("AddApplicationOutput", "{\"ApplicationName\":\"limits\",\"CurrentApplicationVersionId\":2,\"Output\":" + output("D") + "}")))
                .isEqualTo("400 LimitExceededException: Application limits already has 3 destinations");
        JsonNode d = MAPPER.readTree(kda("DescribeApplication", "{\"ApplicationName\":\"limits\"}").body()).get("ApplicationDetail");
        assertThat(d.get("OutputDescriptions").findValuesAsText("OutputId")).containsExactly("1.1", "2.1", "3.1");
        assertThat(kda("DeleteApplicationOutput", "{\"ApplicationName\":\"limits\",\"CurrentApplicationVersionId\":2,\"OutputId\":\"2.1\"}")
                .statusCode()).isEqualTo(200);
        assertThat(error(kda("DeleteApplicationOutput", "{\"ApplicationName\":\"limits\",\"CurrentApplicationVersionId\":3,\"OutputId\":\"2.1\"}")))
                .isEqualTo("400 ResourceNotFoundException: Output with id 2.1 not found");
        assertThat(error(kda("DeleteApplication", "{\"ApplicationName\":\"limits\",\"CreateTimestamp\":1}")))
                .startsWith("400 ConcurrentModificationException: CreateTimestamp 1 does not match");
        assertThat(error(kda("StartApplication", "{\"ApplicationName\":\"limits\",\"InputConfigurations\":[]}")))
                .isEqualTo("400 InvalidApplicationConfigurationException: Application limits has no input");
    }

    @Test
    void discoverInputSchemaReadsAnS3ObjectOfTheFileSink() throws Exception {
        HttpResponse<String> bucket = http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/samples"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bucket.statusCode()).isEqualTo(200);
        http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/samples/ticks.json"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"ticker\":\"AMZN\",\"price\":10.5,\"qty\":3,\"meta\":{\"ok\":true}}\n"
                        + "{\"ticker\":\"A\",\"price\":7,\"qty\":4000000000}\n")).build(), HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(URI.create(tributary.endpoint() + "/samples/text.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("hello\n")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = kda("DiscoverInputSchema", "{\"S3Configuration\":{\"RoleARN\":\"" + ROLE
                + "\",\"BucketARN\":\"arn:aws:s3:::samples\",\"FileKey\":\"ticks.json\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode cols = MAPPER.readTree(r.body()).path("InputSchema").path("RecordColumns");
        assertThat(cols.toString()).isEqualTo("[{\"Name\":\"ticker\",\"Mapping\":\"$.ticker\",\"SqlType\":\"VARCHAR(4)\"},"
                + "{\"Name\":\"price\",\"Mapping\":\"$.price\",\"SqlType\":\"REAL\"},"
                + "{\"Name\":\"qty\",\"Mapping\":\"$.qty\",\"SqlType\":\"BIGINT\"},"
                + "{\"Name\":\"ok\",\"Mapping\":\"$.meta.ok\",\"SqlType\":\"BOOLEAN\"}]");
        assertThat(error(kda("DiscoverInputSchema", "{\"S3Configuration\":{\"RoleARN\":\"" + ROLE
                + "\",\"BucketARN\":\"arn:aws:s3:::samples\",\"FileKey\":\"text.txt\"}}")))
                .isEqualTo("400 UnableToDetectSchemaException: Unable to detect a schema: no JSON object records in 1 sampled records");
    }

    @Test
    void listApplicationsPagesByName() throws Exception {
        for (String n : new String[] {"page-b", "page-a", "page-c"}) {
            assertThat(kda("CreateApplication", "{\"ApplicationName\":\"" + n + "\"}").statusCode()).isEqualTo(200);
        }
        JsonNode first = MAPPER.readTree(kda("ListApplications", "{\"Limit\":2,\"ExclusiveStartApplicationName\":\"page\"}").body());
        assertThat(first.get("ApplicationSummaries").findValuesAsText("ApplicationName")).containsExactly("page-a", "page-b");
        assertThat(first.get("HasMoreApplications").asBoolean()).isTrue();
        assertThat(first.get("ApplicationSummaries").get(0).get("ApplicationStatus").asText()).isEqualTo("READY");
    }
}
