package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.BufferingHints;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ContentEncoding;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.HttpEndpointBufferingHints;
import software.amazon.awssdk.services.firehose.model.HttpEndpointCommonAttribute;
import software.amazon.awssdk.services.firehose.model.HttpEndpointConfiguration;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationDescription;
import software.amazon.awssdk.services.firehose.model.HttpEndpointRequestConfiguration;
import software.amazon.awssdk.services.firehose.model.HttpEndpointRetryOptions;
import software.amazon.awssdk.services.firehose.model.HttpEndpointS3BackupMode;
import software.amazon.awssdk.services.firehose.model.S3BackupMode;
import software.amazon.awssdk.services.firehose.model.S3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.ProcessorParameterName;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Firehose deliveries that leave the process, through the AWS SDK v2 Firehose and S3 clients: the
 * Lambda processor calling a function served by a tiny HTTP server in the test, the HTTP endpoint
 * destination, S3 backup and record format conversion.
 */
class FirehoseDeliveryIT {
    private static final Instant T0 = Instant.parse("2030-03-04T05:06:07Z");
    private static final String BUCKET_ARN = "arn:aws:s3:::delivery";
    private static final String ROLE = "arn:aws:iam::000000000000:role/firehose";
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:upper";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tributary server;
    private FirehoseClient firehose;
    private S3Client s3;
    private HttpServer web;
    /** Requests the test's HTTP server received: headers (lower-case names) and body. */
    private final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(Map<String, String> headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void start(EmulatorConfig config) {
        server = Tributary.start(config);
        server.clock().pin(T0);
        URI endpoint = server.endpoint();
        firehose = FirehoseClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                .credentialsProvider(Clients.CREDENTIALS).httpClientBuilder(ApacheHttpClient.builder()).build();
        s3 = S3Client.builder().endpointOverride(endpoint).region(Clients.REGION).forcePathStyle(true)
                .credentialsProvider(Clients.CREDENTIALS).httpClientBuilder(ApacheHttpClient.builder()).build();
        s3.createBucket(b -> b.bucket("delivery"));
    }

    /** Serves {@code path} on a loopback port: each request is recorded, then answered by {@code answer}. */
    private String serve(String path, Function<Received, Answer> answer) throws IOException {
        if (web == null) {
            web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            web.start();
        }
        web.createContext(path, (HttpExchange x) -> {
            Map<String, String> headers = new TreeMap<>();
            x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            Received r = new Received(headers, x.getRequestBody().readAllBytes());
            received.add(r);
            Answer a = answer.apply(r);
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                x.getResponseBody().write(body);
            }
            x.close();
        });
        return "http://127.0.0.1:" + web.getAddress().getPort() + path;
    }

    record Answer(int status, String body) {
    }

    @AfterEach
    void stop() {
        if (firehose != null) {
            firehose.close();
            s3.close();
        }
        if (server != null) {
            Kit.stop(server);
        }
        if (web != null) {
            web.stop(0);
        }
    }

    private static Record record(String s) {
        return Record.builder().data(SdkBytes.fromUtf8String(s)).build();
    }

    /** POSTs a control endpoint and returns its JSON answer (which must be 200). */
    private JsonNode control(String path, String body) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Moves the clock through the control API, which runs the delivery engine before it answers. */
    private void advance(Duration by) throws Exception {
        control("/_tributary/clock/advance", "{\"millis\":" + by.toMillis() + "}");
    }

    /** Every object of the bucket, by key, as text. */
    private Map<String, String> objects() {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2(b -> b.bucket("delivery")).contents()) {
            out.put(o.key(), s3.getObjectAsBytes(b -> b.bucket("delivery").key(o.key())).asUtf8String());
        }
        return out;
    }

    private static Processor processor(ProcessorType type, String... nameValues) {
        List<ProcessorParameter> params = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.add(ProcessorParameter.builder().parameterName(ProcessorParameterName.fromValue(nameValues[i]))
                    .parameterValue(nameValues[i + 1]).build());
        }
        return Processor.builder().type(type).parameters(params).build();
    }

    private void createLambdaStream(String name, String retries) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("out/")
                        .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                        .bufferingHints(BufferingHints.builder().sizeInMBs(1).intervalInSeconds(60).build())
                        .processingConfiguration(ProcessingConfiguration.builder().enabled(true).processors(
                                processor(ProcessorType.LAMBDA, "LambdaArn", FUNCTION, "NumberOfRetries", retries,
                                        "BufferSizeInMBs", "1", "BufferIntervalInSeconds", "60")).build())
                        .build()));
    }

    /** The documented transformation answer: upper-cased data and a newline; "drop" dropped, "fail" failed. */
    private static Answer upper(Received r) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode records = out.putArray("records");
        for (JsonNode in : r.json().get("records")) {
            String data = new String(Base64.getDecoder().decode(in.get("data").asText()), StandardCharsets.UTF_8);
            String result = data.equals("drop") ? "Dropped" : data.equals("fail") ? "ProcessingFailed" : "Ok";
            records.addObject().put("recordId", in.get("recordId").asText()).put("result", result)
                    .put("data", Base64.getEncoder().encodeToString(
                            (data.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        return new Answer(200, out.toString());
    }

    @Test
    void lambdaProcessorSendsTheDocumentedEventAndDeliversWhatTheFunctionAnswers() throws Exception {
        start(EmulatorConfig.forTests());
        String url = serve("/upper", FirehoseDeliveryIT::upper);
        JsonNode mapped = control("/_tributary/firehose/lambdas",
                "{\"functionArn\":\"" + FUNCTION + "\",\"url\":\"" + url + "\"}");
        assertThat(mapped.get("functions").get(FUNCTION).asText()).isEqualTo(url);
        createLambdaStream("lam", "1");
        firehose.putRecordBatch(b -> b.deliveryStreamName("lam")
                .records(record("a"), record("drop"), record("fail"), record("b")));

        advance(Duration.ofSeconds(59));
        assertThat(received).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(received).hasSize(1);
        JsonNode event = received.get(0).json();
        assertThat(event.get("invocationId").asText()).matches(UUID);
        assertThat(event.get("deliveryStreamArn").asText())
                .isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/lam");
        assertThat(event.get("region").asText()).isEqualTo("us-east-1");
        assertThat(event.get("records")).hasSize(4);
        List<String> ids = new ArrayList<>();
        for (JsonNode r : event.get("records")) {
            ids.add(r.get("recordId").asText());
            assertThat(r.get("approximateArrivalTimestamp").asLong()).isEqualTo(T0.toEpochMilli());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(event.get("records").get(1).get("data").asText()).isEqualTo("ZHJvcA==");
        assertThat(received.get(0).headers()).containsEntry("content-type", "application/json");

        Map<String, String> objects = objects();
        assertThat(objects).hasSize(2);
        String name = "lam-1-2030-03-04-05-06-07-" + UUID;
        objects.forEach((key, body) -> {
            if (key.startsWith("errors/")) {
                assertThat(key).matches("errors/processing-failed/2030/03/04/05/" + name);
                assertThat(body).isEqualTo("{\"attemptsMade\":1,\"arrivalTimestamp\":" + T0.toEpochMilli()
                        + ",\"errorCode\":\"Lambda.ProcessingFailedStatus\",\"errorMessage\":\"ProcessingFailed status"
                        + " set for record\",\"attemptEndingTimestamp\":" + (T0.toEpochMilli() + 60_000)
                        + ",\"rawData\":\"ZmFpbA==\",\"lambdaArn\":\"" + FUNCTION + "\"}\n");
            } else {
                assertThat(key).matches("out/2030/03/04/05/" + name);
                assertThat(body).isEqualTo("A\nB\n");
            }
        });
    }

    @Test
    void aFunctionThatAnswersBadlyIsRetriedAndItsRecordsGoToTheErrorPrefix() throws Exception {
        start(EmulatorConfig.forTests());
        String url = serve("/broken", r -> new Answer(500, "{\"errorMessage\":\"boom\"}"));
        control("/_tributary/firehose/lambdas", "{\"functionArn\":\"" + FUNCTION + "\",\"url\":\"" + url + "\"}");
        createLambdaStream("bad", "2");
        firehose.putRecord(b -> b.deliveryStreamName("bad").record(record("x")));
        advance(Duration.ofSeconds(60));
        assertThat(received).hasSize(3);
        Map<String, String> objects = objects();
        assertThat(objects).hasSize(1);
        assertThat(objects.values().iterator().next()).isEqualTo("{\"attemptsMade\":3,\"arrivalTimestamp\":"
                + T0.toEpochMilli() + ",\"errorCode\":\"Lambda.FunctionError\",\"errorMessage\":\"The Lambda function"
                + " was successfully invoked but it returned an error result (HTTP 500).\",\"attemptEndingTimestamp\":"
                + (T0.toEpochMilli() + 60_000) + ",\"rawData\":\"eA==\",\"lambdaArn\":\"" + FUNCTION + "\"}\n");
    }

    private void createHttpStream(String name, String url, ContentEncoding encoding, int retrySeconds,
                                  HttpEndpointS3BackupMode mode) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .httpEndpointDestinationConfiguration(HttpEndpointDestinationConfiguration.builder()
                        .endpointConfiguration(HttpEndpointConfiguration.builder().url(url).name("collector")
                                .accessKey("secret-key").build())
                        .requestConfiguration(HttpEndpointRequestConfiguration.builder().contentEncoding(encoding)
                                .commonAttributes(HttpEndpointCommonAttribute.builder().attributeName("env")
                                        .attributeValue("test").build()).build())
                        .bufferingHints(HttpEndpointBufferingHints.builder().sizeInMBs(1).intervalInSeconds(60).build())
                        .retryOptions(HttpEndpointRetryOptions.builder().durationInSeconds(retrySeconds).build())
                        .s3BackupMode(mode)
                        .roleARN(ROLE)
                        .s3Configuration(S3DestinationConfiguration.builder().roleARN(ROLE).bucketARN(BUCKET_ARN)
                                .prefix("backup/").errorOutputPrefix("errors/!{firehose:error-output-type}/").build())
                        .build()));
    }

    /** The answer AWS requires: 200 with the request's id and a timestamp. */
    private static Answer accept(Received r) {
        return new Answer(200, "{\"requestId\":\"" + r.headers().get("x-amz-firehose-request-id")
                + "\",\"timestamp\":1}");
    }

    private static String gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void httpEndpointReceivesTheDocumentedRequest() throws Exception {
        start(EmulatorConfig.forTests());
        String url = serve("/collect", FirehoseDeliveryIT::accept);
        createHttpStream("web", url, ContentEncoding.GZIP, 300, HttpEndpointS3BackupMode.FAILED_DATA_ONLY);
        HttpEndpointDestinationDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("web"))
                .deliveryStreamDescription().destinations().get(0).httpEndpointDestinationDescription();
        assertThat(d.endpointConfiguration().url()).isEqualTo(url);
        assertThat(d.endpointConfiguration().name()).isEqualTo("collector");
        assertThat(d.s3BackupMode()).isEqualTo(HttpEndpointS3BackupMode.FAILED_DATA_ONLY);
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(300);

        firehose.putRecordBatch(b -> b.deliveryStreamName("web").records(record("{\"n\":1}"), record("two")));
        advance(Duration.ofSeconds(59));
        assertThat(received).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(received).hasSize(1);
        Received r = received.get(0);
        String id = r.headers().get("x-amz-firehose-request-id");
        assertThat(id).matches(UUID);
        assertThat(r.headers()).containsEntry("content-type", "application/json")
                .containsEntry("content-encoding", "gzip")
                .containsEntry("x-amz-firehose-protocol-version", "1.0")
                .containsEntry("x-amz-firehose-access-key", "secret-key")
                .containsEntry("x-amz-firehose-common-attributes", "{\"commonAttributes\":{\"env\":\"test\"}}")
                .containsEntry("x-amz-firehose-source-arn", "arn:aws:firehose:us-east-1:000000000000:deliverystream/web");
        assertThat(gunzip(r.body())).isEqualTo("{\"requestId\":\"" + id + "\",\"timestamp\":"
                + (T0.toEpochMilli() + 60_000) + ",\"records\":[{\"data\":\"eyJuIjoxfQ==\"},{\"data\":\"dHdv\"}]}");
        assertThat(objects()).isEmpty();
    }

    @Test
    void failingEndpointIsRetriedOnTheClockThenRecordsLandUnderTheErrorPrefix() throws Exception {
        start(EmulatorConfig.forTests());
        String url = serve("/down", r -> new Answer(503, "{\"errorMessage\":\"down\"}"));
        createHttpStream("down", url, ContentEncoding.NONE, 10, HttpEndpointS3BackupMode.FAILED_DATA_ONLY);
        firehose.putRecord(b -> b.deliveryStreamName("down").record(record("lost?")));
        advance(Duration.ofSeconds(60));
        assertThat(received).hasSize(1);
        // Backoff 1 s, 2 s, 4 s; the next wait (8 s) would end past the 10 s retry duration.
        advance(Duration.ofMillis(999));
        assertThat(received).hasSize(1);
        advance(Duration.ofMillis(1));
        advance(Duration.ofSeconds(2));
        assertThat(objects()).isEmpty();
        advance(Duration.ofSeconds(4));
        assertThat(received).hasSize(4);
        assertThat(received).extracting(x -> x.headers().get("x-amz-firehose-request-id")).containsOnly(
                received.get(0).headers().get("x-amz-firehose-request-id"));
        Map<String, String> objects = objects();
        assertThat(objects).hasSize(1);
        String key = objects.keySet().iterator().next();
        assertThat(key).matches("errors/http-endpoint-failed/2030/03/04/05/down-1-2030-03-04-05-06-07-" + UUID);
        String id = received.get(0).headers().get("x-amz-firehose-request-id");
        assertThat(objects.get(key)).isEqualTo("{\"attemptsMade\":4,\"arrivalTimestamp\":" + T0.toEpochMilli()
                + ",\"errorCode\":\"HttpEndpoint.DestinationException\",\"errorMessage\":\"The following response was"
                + " received from the endpoint destination. 503: {\\\"errorMessage\\\":\\\"down\\\"}\","
                + "\"attemptEndingTimestamp\":" + (T0.toEpochMilli() + 67_000) + ",\"rawData\":\"bG9zdD8=\","
                + "\"subsequenceNumber\":0,\"dataId\":\"" + id + ".0\"}\n");
        advance(Duration.ofSeconds(60));
        assertThat(received).hasSize(4);
    }

    @Test
    void allDataBacksUpWhatTheEndpointAcceptedToTheS3Prefix() throws Exception {
        start(EmulatorConfig.forTests());
        String url = serve("/collect", FirehoseDeliveryIT::accept);
        createHttpStream("all", url, ContentEncoding.NONE, 300, HttpEndpointS3BackupMode.ALL_DATA);
        firehose.putRecordBatch(b -> b.deliveryStreamName("all").records(record("a"), record("b")));
        advance(Duration.ofSeconds(60));
        assertThat(received).hasSize(1);
        Map<String, String> objects = objects();
        assertThat(objects).hasSize(1);
        assertThat(objects.keySet().iterator().next()).matches("backup/2030/03/04/05/all-1-2030-03-04-05-06-07-" + UUID);
        assertThat(objects.values()).containsExactly("ab");
    }

    @Test
    void sourceRecordBackupKeepsRecordsAsTheyWerePutBeforeProcessing() throws Exception {
        start(EmulatorConfig.forTests());
        s3.createBucket(b -> b.bucket("raw"));
        firehose.createDeliveryStream(b -> b.deliveryStreamName("src")
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("out/")
                        .bufferingHints(BufferingHints.builder().sizeInMBs(1).intervalInSeconds(60).build())
                        .processingConfiguration(ProcessingConfiguration.builder().enabled(true).processors(
                                processor(ProcessorType.APPEND_DELIMITER_TO_RECORD)).build())
                        .s3BackupMode(S3BackupMode.ENABLED)
                        .s3BackupConfiguration(S3DestinationConfiguration.builder().roleARN(ROLE)
                                .bucketARN("arn:aws:s3:::raw").prefix("source/")
                                .bufferingHints(BufferingHints.builder().sizeInMBs(1).intervalInSeconds(120).build())
                                .build())
                        .build()));
        firehose.putRecordBatch(b -> b.deliveryStreamName("src").records(record("a"), record("b")));
        advance(Duration.ofSeconds(60));
        assertThat(objects()).hasSize(1).containsValue("a\nb\n");
        assertThat(s3.listObjectsV2(b -> b.bucket("raw")).contents()).isEmpty();
        advance(Duration.ofSeconds(60));
        List<S3Object> raw = s3.listObjectsV2(b -> b.bucket("raw")).contents();
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).key()).matches("source/2030/03/04/05/src-1-2030-03-04-05-06-07-" + UUID);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("raw").key(raw.get(0).key())).asUtf8String()).isEqualTo("ab");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> firehose.updateDestination(b -> b
                        .deliveryStreamName("src").currentDeliveryStreamVersionId("1")
                        .destinationId("destinationId-000000000001")
                        .extendedS3DestinationUpdate(u -> u.s3BackupMode(S3BackupMode.DISABLED))))
                .isInstanceOf(software.amazon.awssdk.services.firehose.model.InvalidArgumentException.class)
                .hasMessageStartingWith("S3BackupMode cannot be changed from Enabled to Disabled.");
    }

    private void createParquetStream(String name, int sizeMb, software.amazon.awssdk.services.firehose.model.Serializer serializer) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("tables/")
                        .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                        .bufferingHints(BufferingHints.builder().sizeInMBs(sizeMb).intervalInSeconds(60).build())
                        .dataFormatConversionConfiguration(c -> c.enabled(true)
                                .schemaConfiguration(sc -> sc.roleARN(ROLE).databaseName("db").tableName("orders")
                                        .region("us-east-1"))
                                .inputFormatConfiguration(i -> i.deserializer(d -> d.openXJsonSerDe(o -> o
                                        .caseInsensitive(true))))
                                .outputFormatConfiguration(o -> o.serializer(serializer)))
                        .build()));
    }

    @Test
    void jsonRecordsAreConvertedToParquetReadableByAStandardReader() throws Exception {
        start(EmulatorConfig.forTests());
        createParquetStream("conv", 64, software.amazon.awssdk.services.firehose.model.Serializer.builder()
                .parquetSerDe(p -> p.compression(software.amazon.awssdk.services.firehose.model.ParquetCompression.SNAPPY))
                .build());
        firehose.putRecordBatch(b -> b.deliveryStreamName("conv").records(record("{\"Id\":1,\"name\":\"a\"}"),
                record("{\"Id\":2,\"name\":\"b\",\"price\":2.5}"), record("oops")));
        advance(Duration.ofSeconds(60));
        List<S3Object> all = s3.listObjectsV2(b -> b.bucket("delivery")).contents();
        assertThat(all).hasSize(2);
        S3Object table = all.stream().filter(o -> o.key().startsWith("tables/")).findFirst().orElseThrow();
        assertThat(table.key()).matches("tables/2030/03/04/05/conv-1-2030-03-04-05-06-07-" + UUID + "\\.parquet");
        java.io.File f = java.nio.file.Files.createTempFile("it-", ".parquet").toFile();
        f.deleteOnExit();
        java.nio.file.Files.write(f.toPath(), s3.getObjectAsBytes(b -> b.bucket("delivery").key(table.key())).asByteArray());
        assertThat(blue.strategic.parquet.ParquetReader.readMetadata(f).getBlocks().get(0).getColumns().get(0)
                .getCodec().name()).isEqualTo("SNAPPY");
        List<Map<String, Object>> rows;
        try (var lines = blue.strategic.parquet.ParquetReader.streamContent(f,
                new blue.strategic.parquet.Hydrator<Map<String, Object>, Map<String, Object>, String[]>() {
                    @Override
                    public Map<String, Object> start() {
                        return new TreeMap<>();
                    }

                    @Override
                    public Map<String, Object> add(Map<String, Object> row, String[] heading, Object value) {
                        if (value != null) {
                            row.put(heading[0], value);
                        }
                        return row;
                    }

                    @Override
                    public Map<String, Object> finish(Map<String, Object> row) {
                        return row;
                    }
                }, h -> h)) {
            rows = lines.toList();
        }
        assertThat(rows).containsExactly(Map.of("id", 1L, "name", "a"), Map.of("id", 2L, "name", "b", "price", 2.5));
        S3Object error = all.stream().filter(o -> o.key().startsWith("errors/")).findFirst().orElseThrow();
        assertThat(error.key()).matches("errors/format-conversion-failed/2030/03/04/05/conv-1-2030-03-04-05-06-07-"
                + UUID);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("delivery").key(error.key())).asUtf8String())
                .startsWith("{\"attemptsMade\":1,\"arrivalTimestamp\":" + T0.toEpochMilli()
                        + ",\"lastErrorCode\":\"DataFormatConversion.ParseError\"")
                .contains("\"rawData\":\"b29wcw==\"")
                .endsWith(",\"dataCatalogTable\":{\"catalogId\":null,\"databaseName\":\"db\",\"tableName\":\"orders\","
                        + "\"region\":\"us-east-1\",\"versionId\":null,\"catalogArn\":null}}\n");
    }

    @Test
    void formatConversionRulesAreChecked() {
        start(EmulatorConfig.forTests());
        var parquet = software.amazon.awssdk.services.firehose.model.Serializer.builder()
                .parquetSerDe(p -> p.compression("SNAPPY")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> createParquetStream("small", 5, parquet))
                .isInstanceOf(software.amazon.awssdk.services.firehose.model.InvalidArgumentException.class)
                .hasMessageStartingWith("BufferingHints.SizeInMBs must be at least 64 when data format conversion is"
                        + " enabled.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> createParquetStream("orc", 64,
                        software.amazon.awssdk.services.firehose.model.Serializer.builder().orcSerDe(o -> o
                                .compression("SNAPPY")).build()))
                .isInstanceOf(software.amazon.awssdk.services.firehose.model.InvalidArgumentException.class)
                .hasMessageStartingWith("Tributary does not write ORC: use ParquetSerDe as the"
                        + " OutputFormatConfiguration Serializer.");
    }

    @Test
    void kinesisSourcedStreamDeliversRecordsFromBeforeAndAfterASplit() throws Exception {
        start(EmulatorConfig.forTests());
        try (software.amazon.awssdk.services.kinesis.KinesisClient kinesis = Clients.apache(server.endpoint())) {
            kinesis.createStream(b -> b.streamName("clicks").shardCount(1));
            firehose.createDeliveryStream(b -> b.deliveryStreamName("split")
                    .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                    .kinesisStreamSourceConfiguration(k -> k.roleARN(ROLE)
                            .kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/clicks"))
                    .extendedS3DestinationConfiguration(e -> e.roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("k/")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))
                            .processingConfiguration(p -> p.enabled(true).processors(
                                    processor(ProcessorType.APPEND_DELIMITER_TO_RECORD)))));
            kinesis.putRecord(b -> b.streamName("clicks").partitionKey("p0").data(SdkBytes.fromUtf8String("before")));
            kinesis.splitShard(b -> b.streamName("clicks").shardToSplit("shardId-000000000000")
                    .newStartingHashKey(java.math.BigInteger.ONE.shiftLeft(127).toString()));
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String data = "after-" + i;
                after.add(data);
                kinesis.putRecord(b -> b.streamName("clicks").partitionKey("key-" + data)
                        .data(SdkBytes.fromUtf8String(data)));
            }
            assertThat(kinesis.listShards(b -> b.streamName("clicks")).shards()).hasSize(3);
            advance(Duration.ofSeconds(60));
            Map<String, String> objects = objects();
            assertThat(objects).hasSize(1);
            List<String> lines = objects.values().iterator().next().lines().toList();
            // The parent's records first (children are read once their parent is done), every record once.
            assertThat(lines.get(0)).isEqualTo("before");
            assertThat(lines.subList(1, lines.size())).containsExactlyInAnyOrderElementsOf(after);
        }
    }
}
