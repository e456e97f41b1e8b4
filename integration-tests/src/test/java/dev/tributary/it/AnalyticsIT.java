package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesisanalytics.KinesisAnalyticsClient;
import software.amazon.awssdk.services.kinesisanalytics.model.ApplicationDetail;
import software.amazon.awssdk.services.kinesisanalytics.model.ApplicationStatus;
import software.amazon.awssdk.services.kinesisanalytics.model.CodeValidationException;
import software.amazon.awssdk.services.kinesisanalytics.model.ConcurrentModificationException;
import software.amazon.awssdk.services.kinesisanalytics.model.DiscoverInputSchemaResponse;
import software.amazon.awssdk.services.kinesisanalytics.model.Input;
import software.amazon.awssdk.services.kinesisanalytics.model.InputStartingPosition;
import software.amazon.awssdk.services.kinesisanalytics.model.Output;
import software.amazon.awssdk.services.kinesisanalytics.model.RecordColumn;
import software.amazon.awssdk.services.kinesisanalytics.model.RecordFormatType;
import software.amazon.awssdk.services.kinesisanalytics.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesisanalytics.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesisanalytics.model.SourceSchema;
import software.amazon.awssdk.services.kinesisanalytics.model.Tag;

/**
 * Kinesis Data Analytics for SQL through the AWS SDK v2 client (kinesisanalytics 2.40.2, the last
 * release) against an in-process server: an application reads a Kinesis stream, aggregates it in
 * one-minute tumbling windows and writes to another Kinesis stream; windows close when the test
 * advances the virtual clock through the control API.
 */
class AnalyticsIT {
    private static final Instant T0 = Instant.parse("2030-03-04T05:06:00Z");
    private static final String ROLE = "arn:aws:iam::000000000000:role/kda";
    private static final String CODE = """
            CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
                ticker_symbol VARCHAR(4), min_price DOUBLE, max_price DOUBLE, trades INTEGER);
            CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
                SELECT STREAM ticker_symbol, MIN(price), MAX(price), COUNT(*)
                FROM "SOURCE_SQL_STREAM_001"
                GROUP BY ticker_symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);
            """;

    @TempDir
    Path dataDir;

    private Tributary server;
    private KinesisClient kinesis;
    private KinesisAnalyticsClient analytics;

    private void start(String delay) {
        server = Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--create-stream-delay", delay, "--delete-stream-delay", delay, "--update-stream-delay", "0"}, Map.of()));
        server.clock().pin(T0);
        URI endpoint = server.endpoint();
        kinesis = Clients.apache(endpoint);
        analytics = KinesisAnalyticsClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                .credentialsProvider(Clients.CREDENTIALS).httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    @AfterEach
    void stop() {
        if (analytics != null) {
            analytics.close();
            kinesis.close();
        }
        if (server != null) {
            Kit.stop(server);
        }
    }

    private void advance(Duration by) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.endpoint() + "/_tributary/clock/advance"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"millis\":" + by.toMillis() + "}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String streamArn(String name) {
        return "arn:aws:kinesis:us-east-1:000000000000:stream/" + name;
    }

    private static SourceSchema demoSchema() {
        return SourceSchema.builder()
                .recordFormat(f -> f.recordFormatType(RecordFormatType.JSON)
                        .mappingParameters(m -> m.jsonMappingParameters(j -> j.recordRowPath("$"))))
                .recordEncoding("UTF-8")
                .recordColumns(
                        RecordColumn.builder().name("TICKER_SYMBOL").sqlType("VARCHAR(4)").mapping("$.TICKER_SYMBOL").build(),
                        RecordColumn.builder().name("SECTOR").sqlType("VARCHAR(16)").mapping("$.SECTOR").build(),
                        RecordColumn.builder().name("CHANGE").sqlType("REAL").mapping("$.CHANGE").build(),
                        RecordColumn.builder().name("PRICE").sqlType("REAL").mapping("$.PRICE").build())
                .build();
    }

    private void createStreams() {
        kinesis.createStream(b -> b.streamName("ticks").shardCount(1));
        kinesis.createStream(b -> b.streamName("aggregates").shardCount(1));
    }

    private void createApp(String name) {
        analytics.createApplication(b -> b.applicationName(name).applicationCode(CODE)
                .inputs(Input.builder().namePrefix("SOURCE_SQL_STREAM")
                        .kinesisStreamsInput(k -> k.resourceARN(streamArn("ticks")).roleARN(ROLE))
                        .inputSchema(demoSchema()).build())
                .outputs(Output.builder().name("DESTINATION_SQL_STREAM")
                        .kinesisStreamsOutput(k -> k.resourceARN(streamArn("aggregates")).roleARN(ROLE))
                        .destinationSchema(d -> d.recordFormatType(RecordFormatType.JSON)).build())
                .tags(Tag.builder().key("team").value("quant").build()));
    }

    private void put(String ticker, double price) {
        kinesis.putRecord(b -> b.streamName("ticks").partitionKey(ticker).data(SdkBytes.fromUtf8String(
                "{\"TICKER_SYMBOL\":\"" + ticker + "\",\"SECTOR\":\"TECHNOLOGY\",\"CHANGE\":0.5,\"PRICE\":" + price + "}")));
    }

    private List<String> output() {
        return Kit.readAll(kinesis, "aggregates", Kit.shardId(0)).stream().map(Record::data).map(SdkBytes::asUtf8String).toList();
    }

    @Test
    void tumblingWindowAggregatesFlowFromOneKinesisStreamToAnother() throws Exception {
        start("0");
        createStreams();
        createApp("ticker-minutes");
        ApplicationDetail detail = analytics.describeApplication(b -> b.applicationName("ticker-minutes")).applicationDetail();
        assertThat(detail.applicationStatus()).isEqualTo(ApplicationStatus.READY);
        assertThat(detail.applicationVersionId()).isEqualTo(1L);
        assertThat(detail.applicationARN()).isEqualTo("arn:aws:kinesisanalytics:us-east-1:000000000000:application/ticker-minutes");
        assertThat(detail.inputDescriptions().get(0).inAppStreamNames()).containsExactly("SOURCE_SQL_STREAM_001");
        String inputId = detail.inputDescriptions().get(0).inputId();

        analytics.startApplication(b -> b.applicationName("ticker-minutes").inputConfigurations(c -> c.id(inputId)
                .inputStartingPositionConfiguration(p -> p.inputStartingPosition(InputStartingPosition.NOW))));
        assertThat(analytics.describeApplication(b -> b.applicationName("ticker-minutes")).applicationDetail().applicationStatus())
                .isEqualTo(ApplicationStatus.RUNNING);

        put("AMZN", 10);
        advance(Duration.ofSeconds(10));
        put("MSFT", 50);
        put("AMZN", 12.5);
        advance(Duration.ofSeconds(20));
        put("AMZN", 9);
        advance(Duration.ofSeconds(29)); // 05:06:59: the window [05:06, 05:07) is still open
        assertThat(output()).isEmpty();
        advance(Duration.ofSeconds(1)); // 05:07:00 closes the first window
        assertThat(output()).containsExactly(
                "{\"TICKER_SYMBOL\":\"AMZN\",\"MIN_PRICE\":9.0,\"MAX_PRICE\":12.5,\"TRADES\":3}",
                "{\"TICKER_SYMBOL\":\"MSFT\",\"MIN_PRICE\":50.0,\"MAX_PRICE\":50.0,\"TRADES\":1}");
        put("MSFT", 51); // the next window
        advance(Duration.ofSeconds(60));
        assertThat(output()).hasSize(3).last().isEqualTo("{\"TICKER_SYMBOL\":\"MSFT\",\"MIN_PRICE\":51.0,\"MAX_PRICE\":51.0,\"TRADES\":1}");

        analytics.stopApplication(b -> b.applicationName("ticker-minutes"));
        assertThat(analytics.describeApplication(b -> b.applicationName("ticker-minutes")).applicationDetail().applicationStatus())
                .isEqualTo(ApplicationStatus.READY);
    }

    @Test
    void badSqlAndStaleVersionsGetAwsErrors() {
        start("0");
        createStreams();
        createApp("app");
        assertThatThrownBy(() -> analytics.updateApplication(b -> b.applicationName("app").currentApplicationVersionId(1L)
                .applicationUpdate(u -> u.applicationCodeUpdate(CODE.replace("FROM \"SOURCE_SQL_STREAM_001\"", "FROM \"NOPE\"")))))
                .isInstanceOfSatisfying(CodeValidationException.class, e -> assertThat(Kit.error(e))
                        .isEqualTo("CodeValidationException: SQL error at line 5, column 10: Object 'NOPE' not found"));
        analytics.updateApplication(b -> b.applicationName("app").currentApplicationVersionId(1L)
                .applicationUpdate(u -> u.applicationCodeUpdate(CODE + "\n-- v2\n")));
        assertThatThrownBy(() -> analytics.updateApplication(b -> b.applicationName("app").currentApplicationVersionId(1L)
                .applicationUpdate(u -> u.applicationCodeUpdate(CODE))))
                .isInstanceOf(ConcurrentModificationException.class);
        assertThat(analytics.describeApplication(b -> b.applicationName("app")).applicationDetail().applicationVersionId()).isEqualTo(2L);
        assertThatThrownBy(() -> createApp("app")).isInstanceOfSatisfying(ResourceInUseException.class,
                e -> assertThat(Kit.error(e)).isEqualTo("ResourceInUseException: Application app already exists"));
        assertThatThrownBy(() -> analytics.describeApplication(b -> b.applicationName("missing")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(Kit.error(e)).isEqualTo("ResourceNotFoundException: Application missing not found"));
        String arn = analytics.describeApplication(b -> b.applicationName("app")).applicationDetail().applicationARN();
        analytics.tagResource(b -> b.resourceARN(arn).tags(Tag.builder().key("env").value("test").build()));
        analytics.untagResource(b -> b.resourceARN(arn).tagKeys("team"));
        assertThat(analytics.listTagsForResource(b -> b.resourceARN(arn)).tags())
                .containsExactly(Tag.builder().key("env").value("test").build());
        assertThat(analytics.listApplications(b -> { }).applicationSummaries()).extracting(s -> s.applicationName()).containsExactly("app");
        Instant created = analytics.describeApplication(b -> b.applicationName("app")).applicationDetail().createTimestamp();
        analytics.deleteApplication(b -> b.applicationName("app").createTimestamp(created));
        assertThat(analytics.listApplications(b -> { }).applicationSummaries()).isEmpty();
    }

    @Test
    void startAndStopTakeTheConfiguredDelaysOnTheVirtualClock() throws Exception {
        start("5s");
        createStreams();
        advance(Duration.ofSeconds(5));
        createApp("slow");
        String inputId = analytics.describeApplication(b -> b.applicationName("slow")).applicationDetail()
                .inputDescriptions().get(0).inputId();
        analytics.startApplication(b -> b.applicationName("slow").inputConfigurations(c -> c.id(inputId)
                .inputStartingPositionConfiguration(p -> p.inputStartingPosition(InputStartingPosition.TRIM_HORIZON))));
        assertThat(status("slow")).isEqualTo(ApplicationStatus.STARTING);
        assertThatThrownBy(() -> analytics.stopApplication(b -> b.applicationName("missing"))).isInstanceOf(ResourceNotFoundException.class);
        advance(Duration.ofSeconds(5));
        assertThat(status("slow")).isEqualTo(ApplicationStatus.RUNNING);
        analytics.stopApplication(b -> b.applicationName("slow"));
        assertThat(status("slow")).isEqualTo(ApplicationStatus.STOPPING);
        advance(Duration.ofSeconds(5));
        assertThat(status("slow")).isEqualTo(ApplicationStatus.READY);
    }

    private ApplicationStatus status(String name) {
        return analytics.describeApplication(b -> b.applicationName(name)).applicationDetail().applicationStatus();
    }

    @Test
    void discoverInputSchemaInfersTheDemoSchemaFromStreamRecords() {
        start("0");
        createStreams();
        put("AMZN", 100.25);
        kinesis.putRecord(b -> b.streamName("ticks").partitionKey("x").data(SdkBytes.fromUtf8String(
                "{\"TICKER_SYMBOL\":\"TGT\",\"SECTOR\":\"RETAIL\",\"CHANGE\":-1.5,\"PRICE\":70}")));
        DiscoverInputSchemaResponse r = analytics.discoverInputSchema(b -> b.resourceARN(streamArn("ticks")).roleARN(ROLE)
                .inputStartingPositionConfiguration(p -> p.inputStartingPosition(InputStartingPosition.TRIM_HORIZON)));
        assertThat(r.inputSchema().recordColumns()).extracting(c -> c.name() + " " + c.sqlType() + " " + c.mapping()).containsExactly(
                "TICKER_SYMBOL VARCHAR(4) $.TICKER_SYMBOL", "SECTOR VARCHAR(16) $.SECTOR", "CHANGE REAL $.CHANGE", "PRICE REAL $.PRICE");
        assertThat(r.parsedInputRecords()).containsExactly(List.of("AMZN", "TECHNOLOGY", "0.5", "100.25"), List.of("TGT", "RETAIL", "-1.5", "70"));
    }
}
