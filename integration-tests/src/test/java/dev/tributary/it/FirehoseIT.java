package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import dev.tributary.emulator.config.EmulatorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.SnappyInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.BufferingHints;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.ConcurrentModificationException;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.DynamicPartitioningConfiguration;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.ProcessorParameterName;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.Tag;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Firehose end to end through the AWS SDK v2 Firehose and S3 clients against an in-process
 * server: buffering on the virtual clock, object keys and names as AWS lays them out, compressed
 * objects read back with standard libraries, processors (delimiter, KPL de-aggregation), dynamic
 * partitioning by a JQ key, a Kinesis-sourced stream, a restart with records still buffered, and
 * AWS's errors.
 */
class FirehoseIT {
    private static final Instant T0 = Instant.parse("2030-03-04T05:06:07Z");
    private static final String BUCKET_ARN = "arn:aws:s3:::delivery";
    private static final String ROLE = "arn:aws:iam::000000000000:role/firehose";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path dataDir;

    private Tributary server;
    private FirehoseClient firehose;
    private S3Client s3;

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

    private EmulatorConfig onDisk() {
        return ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--create-stream-delay", "0", "--delete-stream-delay", "0", "--update-stream-delay", "0"}, Map.of());
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
    }

    private void createS3Stream(String name, CompressionFormat compression, String prefix, String errorPrefix) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE).bucketARN(BUCKET_ARN).prefix(prefix).errorOutputPrefix(errorPrefix)
                        .compressionFormat(compression)
                        .bufferingHints(BufferingHints.builder().sizeInMBs(1).intervalInSeconds(60).build())
                        .build()));
    }

    private static Record record(String s) {
        return Record.builder().data(SdkBytes.fromUtf8String(s)).build();
    }

    /**
     * Moves the server's clock through the control API, which also runs the delivery engine before it
     * answers: what is due is delivered, and what is not due stays buffered, without waiting on the
     * background ticker.
     */
    private void advance(Duration by) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.endpoint() + "/_tributary/clock/advance"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"millis\":" + by.toMillis() + "}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private List<S3Object> objects(String prefix) {
        List<S3Object> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("delivery").prefix(prefix).continuationToken(t));
            out.addAll(page.contents());
            token = page.nextContinuationToken();
        } while (token != null);
        return out;
    }

    /** Waits (at most 10 s) for the delivery ticker, which runs every 100 ms, to write objects. */
    private List<S3Object> awaitObjects(String prefix, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Supplier<List<S3Object>> list = () -> {
            try {
                return objects(prefix);
            } catch (NoSuchBucketException e) {
                return List.of();
            }
        };
        List<S3Object> found = list.get();
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = list.get();
        }
        assertThat(found).hasSize(count);
        return found;
    }

    private byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket("delivery").key(key)).asByteArray();
    }

    @Test
    void directPutBuffersUntilTheIntervalAndWritesOneObjectUnderAwsKeyLayout() throws Exception {
        start(EmulatorConfig.forTests());
        createS3Stream("orders", null, null, null);
        DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("orders"))
                .deliveryStreamDescription();
        assertThat(d.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
        assertThat(d.deliveryStreamARN()).isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/orders");
        assertThat(d.versionId()).isEqualTo("1");
        assertThat(d.hasMoreDestinations()).isFalse();
        DestinationDescription dest = d.destinations().get(0);
        assertThat(dest.destinationId()).isEqualTo("destinationId-000000000001");
        assertThat(dest.extendedS3DestinationDescription().compressionFormat()).isEqualTo(CompressionFormat.UNCOMPRESSED);
        assertThat(dest.extendedS3DestinationDescription().bufferingHints().intervalInSeconds()).isEqualTo(60);
        assertThat(dest.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET_ARN);

        assertThat(firehose.putRecord(b -> b.deliveryStreamName("orders").record(record("{\"n\":1}\n"))).recordId())
                .isNotEmpty();
        PutRecordBatchResponse batch = firehose.putRecordBatch(b -> b.deliveryStreamName("orders")
                .records(record("{\"n\":2}\n"), record("{\"n\":3}")));
        assertThat(batch.failedPutCount()).isZero();
        assertThat(batch.requestResponses()).hasSize(2).allSatisfy(r -> assertThat(r.recordId()).isNotEmpty());

        advance(Duration.ofSeconds(59));
        assertThat(objects("")).isEmpty();
        server.clock().advance(Duration.ofSeconds(1));
        S3Object object = awaitObjects("", 1).get(0);
        assertThat(object.key()).matches("2030/03/04/05/orders-1-2030-03-04-05-06-07-" + UUID);
        assertThat(new String(get(object.key()), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}");
        assertThat(s3.headObject(b -> b.bucket("delivery").key(object.key())).contentLength()).isEqualTo(object.size());
    }

    @Test
    void compressedObjectsDecodeWithStandardLibraries() throws Exception {
        start(EmulatorConfig.forTests());
        createS3Stream("gz", CompressionFormat.GZIP, "gz/", null);
        createS3Stream("zip", CompressionFormat.ZIP, "zip/", null);
        createS3Stream("snappy", CompressionFormat.SNAPPY, "snappy/", null);
        createS3Stream("hadoop", CompressionFormat.HADOOP_SNAPPY, "hadoop/", null);
        for (String s : List.of("gz", "zip", "snappy", "hadoop")) {
            firehose.putRecordBatch(b -> b.deliveryStreamName(s).records(record("a,1\n"), record("b,2\n")));
        }
        server.clock().advance(Duration.ofSeconds(60));
        awaitObjects("gz/", 1);
        awaitObjects("hadoop/", 1);

        S3Object gz = awaitObjects("gz/", 1).get(0);
        assertThat(gz.key()).matches("gz/2030/03/04/05/gz-1-2030-03-04-05-06-07-" + UUID + "\\.gz");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(get(gz.key()))).readAllBytes())
                .asString(StandardCharsets.UTF_8).isEqualTo("a,1\nb,2\n");

        S3Object zip = awaitObjects("zip/", 1).get(0);
        assertThat(zip.key()).endsWith(".zip");
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(get(zip.key())))) {
            ZipEntry entry = in.getNextEntry();
            assertThat(entry).isNotNull();
            assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("a,1\nb,2\n");
        }

        S3Object snappy = awaitObjects("snappy/", 1).get(0);
        assertThat(snappy.key()).endsWith(".snappy");
        assertThat(new SnappyInputStream(new ByteArrayInputStream(get(snappy.key()))).readAllBytes())
                .asString(StandardCharsets.UTF_8).isEqualTo("a,1\nb,2\n");

        S3Object hadoop = awaitObjects("hadoop/", 1).get(0);
        assertThat(hadoop.key()).endsWith(".snappy");
        assertThat(hadoopSnappy(get(hadoop.key()))).asString(StandardCharsets.UTF_8).isEqualTo("a,1\nb,2\n");
    }

    /** Hadoop's block framing: per block, the raw length, then (compressed length, bytes) chunks. */
    private static byte[] hadoopSnappy(byte[] data) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (buf.hasRemaining()) {
            int raw = buf.getInt();
            int got = 0;
            while (got < raw) {
                byte[] chunk = new byte[buf.getInt()];
                buf.get(chunk);
                byte[] plain = org.xerial.snappy.Snappy.uncompress(chunk);
                out.write(plain);
                got += plain.length;
            }
        }
        return out.toByteArray();
    }

    @Test
    void customPrefixExpressionsAreEvaluated() throws Exception {
        start(EmulatorConfig.forTests());
        createS3Stream("events", null, "events/year=!{timestamp:yyyy}/r=!{firehose:random-string}/",
                "errors/!{firehose:error-output-type}/");
        firehose.putRecord(b -> b.deliveryStreamName("events").record(record("e")));
        server.clock().advance(Duration.ofSeconds(60));
        S3Object o = awaitObjects("events/", 1).get(0);
        assertThat(o.key()).matches("events/year=2030/r=[a-z0-9]{11}/events-1-2030-03-04-05-06-07-" + UUID);
    }

    private void createProcessingStream(String name, String prefix, String errorPrefix, boolean dynamicPartitioning,
                                        Processor... processors) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE).bucketARN(BUCKET_ARN).prefix(prefix).errorOutputPrefix(errorPrefix)
                        .bufferingHints(BufferingHints.builder().sizeInMBs(1).intervalInSeconds(60).build())
                        .dynamicPartitioningConfiguration(dynamicPartitioning
                                ? DynamicPartitioningConfiguration.builder().enabled(true).build() : null)
                        .processingConfiguration(ProcessingConfiguration.builder().enabled(true)
                                .processors(processors).build())
                        .build()));
    }

    private static Processor processor(ProcessorType type, String... nameValues) {
        List<ProcessorParameter> params = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.add(ProcessorParameter.builder().parameterName(ProcessorParameterName.fromValue(nameValues[i]))
                    .parameterValue(nameValues[i + 1]).build());
        }
        return Processor.builder().type(type).parameters(params).build();
    }

    /**
     * A KPL aggregated record: magic, protobuf AggregatedRecord {partition_key_table = 1,
     * records = 3 {partition_key_index = 1, data = 3}}, MD5 of the protobuf bytes.
     */
    private static byte[] kplAggregate(String... userRecords) throws Exception {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        protoField(msg, 1, "pk".getBytes(StandardCharsets.UTF_8));
        for (String data : userRecords) {
            ByteArrayOutputStream rec = new ByteArrayOutputStream();
            rec.write(new byte[] {0x08, 0x00}); // partition_key_index = 0
            protoField(rec, 3, data.getBytes(StandardCharsets.UTF_8));
            protoField(msg, 3, rec.toByteArray());
        }
        byte[] m = msg.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
        out.write(m);
        out.write(MessageDigest.getInstance("MD5").digest(m));
        return out.toByteArray();
    }

    private static void protoField(ByteArrayOutputStream out, int number, byte[] value) {
        out.write((number << 3) | 2);
        int n = value.length;
        while (n >= 0x80) {
            out.write((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.writeBytes(value);
    }

    @Test
    void appendDelimiterToRecordWritesANewlineAfterEachRecord() throws Exception {
        start(EmulatorConfig.forTests());
        createProcessingStream("lines", "lines/", null, false, processor(ProcessorType.APPEND_DELIMITER_TO_RECORD));
        firehose.putRecordBatch(b -> b.deliveryStreamName("lines").records(record("a"), record("b")));
        server.clock().advance(Duration.ofSeconds(60));
        S3Object o = awaitObjects("lines/", 1).get(0);
        assertThat(o.key()).matches("lines/2030/03/04/05/lines-1-2030-03-04-05-06-07-" + UUID);
        assertThat(new String(get(o.key()), StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
        assertThat(firehose.describeDeliveryStream(b -> b.deliveryStreamName("lines")).deliveryStreamDescription()
                .destinations().get(0).extendedS3DestinationDescription().processingConfiguration().processors()
                .get(0).type()).isEqualTo(ProcessorType.APPEND_DELIMITER_TO_RECORD);
    }

    @Test
    void kplAggregatedRecordIsDeAggregatedAndPlainRecordsPassThrough() throws Exception {
        start(EmulatorConfig.forTests());
        createProcessingStream("kpl", "kpl/", null, false,
                processor(ProcessorType.RECORD_DE_AGGREGATION, "SubRecordType", "JSON"),
                processor(ProcessorType.APPEND_DELIMITER_TO_RECORD));
        byte[] aggregated = kplAggregate("{\"n\":1}", "{\"n\":2}{\"n\":3}");
        firehose.putRecordBatch(b -> b.deliveryStreamName("kpl").records(
                Record.builder().data(SdkBytes.fromByteArray(aggregated)).build(), record("{\"n\":4}")));
        server.clock().advance(Duration.ofSeconds(60));
        S3Object o = awaitObjects("kpl/", 1).get(0);
        assertThat(new String(get(o.key()), StandardCharsets.UTF_8))
                .isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n");
    }

    @Test
    void dynamicPartitioningSplitsRecordsByTheJqKeyIntoPrefixes() throws Exception {
        start(EmulatorConfig.forTests());
        createProcessingStream("parts", "customer_id=!{partitionKeyFromQuery:customer_id}/",
                "errors/!{firehose:error-output-type}/", true,
                processor(ProcessorType.METADATA_EXTRACTION, "MetadataExtractionQuery", "{customer_id:.customer_id}",
                        "JsonParsingEngine", "JQ-1.6"),
                processor(ProcessorType.APPEND_DELIMITER_TO_RECORD));
        firehose.putRecordBatch(b -> b.deliveryStreamName("parts").records(
                record("{\"customer_id\":1,\"v\":\"a\"}"), record("{\"customer_id\":2,\"v\":\"b\"}"),
                record("{\"customer_id\":1,\"v\":\"c\"}"), record("not json")));
        server.clock().advance(Duration.ofSeconds(60));
        awaitObjects("", 3);
        Map<String, String> byPrefix = new TreeMap<>();
        for (S3Object o : objects("")) {
            byPrefix.put(o.key().substring(0, o.key().indexOf("parts-")), o.key());
        }
        assertThat(byPrefix.keySet()).containsExactly("customer_id=1/", "customer_id=2/",
                "errors/processing-failed/2030/03/04/05/");
        String name = "parts-1-2030-03-04-05-06-07-" + UUID;
        assertThat(byPrefix.get("customer_id=1/")).matches("customer_id=1/" + name);
        assertThat(byPrefix.get("customer_id=2/")).matches("customer_id=2/" + name);
        assertThat(new String(get(byPrefix.get("customer_id=1/")), StandardCharsets.UTF_8))
                .isEqualTo("{\"customer_id\":1,\"v\":\"a\"}\n{\"customer_id\":1,\"v\":\"c\"}\n");
        assertThat(new String(get(byPrefix.get("customer_id=2/")), StandardCharsets.UTF_8))
                .isEqualTo("{\"customer_id\":2,\"v\":\"b\"}\n");
        assertThat(new String(get(byPrefix.get("errors/processing-failed/2030/03/04/05/")), StandardCharsets.UTF_8))
                .contains("\"errorCode\":\"DynamicPartitioning.MetadataExtractionFailed\"")
                .contains("\"rawData\":\"bm90IGpzb24=\"");
    }

    @Test
    void dynamicPartitioningNeedsAnErrorPrefixAndCannotBeTurnedOnLater() {
        start(EmulatorConfig.forTests());
        assertThatThrownBy(() -> createProcessingStream("bad", "c=!{partitionKeyFromQuery:c}/", null, true,
                processor(ProcessorType.METADATA_EXTRACTION, "MetadataExtractionQuery", "{c:.c}")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("ErrorOutputPrefix is required when dynamic partitioning is enabled.");
        createS3Stream("plain", null, null, null);
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("plain")
                .currentDeliveryStreamVersionId("1").destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.errorOutputPrefix("e/!{firehose:error-output-type}/")
                        .dynamicPartitioningConfiguration(DynamicPartitioningConfiguration.builder().enabled(true)
                                .build()))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Dynamic partitioning can be enabled only when the Firehose stream is created,"
                        + " and cannot be disabled.");
    }

    @Test
    void kinesisSourcedStreamDeliversWhatIsWrittenToTheKinesisStreamFromLatest() throws Exception {
        start(EmulatorConfig.forTests());
        try (KinesisClient kinesis = Clients.apache(server.endpoint())) {
            kinesis.createStream(b -> b.streamName("clicks").shardCount(1));
            kinesis.putRecord(b -> b.streamName("clicks").partitionKey("k").data(SdkBytes.fromUtf8String("old")));
            firehose.createDeliveryStream(b -> b.deliveryStreamName("from-kinesis")
                    .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                    .kinesisStreamSourceConfiguration(k -> k.roleARN(ROLE)
                            .kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/clicks"))
                    .extendedS3DestinationConfiguration(e -> e.roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("k/")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))));
            kinesis.putRecord(b -> b.streamName("clicks").partitionKey("k").data(SdkBytes.fromUtf8String("new1;")));
            kinesis.putRecord(b -> b.streamName("clicks").partitionKey("k").data(SdkBytes.fromUtf8String("new2;")));

            assertThatThrownBy(() -> firehose.putRecord(b -> b.deliveryStreamName("from-kinesis").record(record("x"))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .satisfies(e -> assertThat(error(e)).isEqualTo("InvalidArgumentException: "
                            + "This operation is not permitted on KinesisStreamAsSource type."));
            DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("from-kinesis"))
                    .deliveryStreamDescription();
            assertThat(d.source().kinesisStreamSourceDescription().kinesisStreamARN())
                    .isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/clicks");

            advance(Duration.ofSeconds(60));
            S3Object o = awaitObjects("k/", 1).get(0);
            assertThat(new String(get(o.key()), StandardCharsets.UTF_8)).isEqualTo("new1;new2;");
        }
    }

    /**
     * MSKAsSource: a delivery stream reading a Kafka topic served by Tributary's own listener (every
     * MSK cluster shares the store's topics) from its creation on; Kafka headers are not part of the
     * delivered data and tombstones are skipped.
     */
    @Test
    void mskSourcedStreamDeliversTheTopicsRecordValues() throws Exception {
        start(EmulatorConfig.forTests());
        java.util.Map<String, Object> props = java.util.Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers(),
                org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers()));
             org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                     new org.apache.kafka.clients.producer.KafkaProducer<>(props)) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic("orders", 1, (short) 1)))
                    .all().get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("orders", "k", "before;")).get();
            assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("from-msk")
                    .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                    .mskSourceConfiguration(m -> m.mskClusterARN(MSK_ARN).topicName("nope")
                            .authenticationConfiguration(a -> a.roleARN(ROLE).connectivity("PRIVATE")))
                    .extendedS3DestinationConfiguration(e -> e.roleARN(ROLE).bucketARN(BUCKET_ARN))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .satisfies(e -> assertThat(error(e)).isEqualTo("InvalidArgumentException: Topic nope does not"
                            + " exist in MSK cluster " + MSK_ARN + "."));
            firehose.createDeliveryStream(b -> b.deliveryStreamName("from-msk")
                    .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                    .mskSourceConfiguration(m -> m.mskClusterARN(MSK_ARN).topicName("orders")
                            .authenticationConfiguration(a -> a.roleARN(ROLE).connectivity("PRIVATE")))
                    .extendedS3DestinationConfiguration(e -> e.roleARN(ROLE).bucketARN(BUCKET_ARN).prefix("m/")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(60))));
            // Record timestamps from the server's (pinned, 2030) clock: with the producer's own (now),
            // the topic's 7-day retention on that clock would expire them at once, as Kafka would.
            long t = server.clock().millis();
            var withHeader = new org.apache.kafka.clients.producer.ProducerRecord<>("orders", 0, t, "k", "m1;");
            withHeader.headers().add("trace", "abc".getBytes(StandardCharsets.UTF_8));
            producer.send(withHeader).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("orders", 0, t, "k", "m2;")).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<String, String>("orders", 0, t, "k", null))
                    .get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("orders", 0, t, "k", "m3;")).get();

            assertThatThrownBy(() -> firehose.putRecord(b -> b.deliveryStreamName("from-msk").record(record("x"))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .satisfies(e -> assertThat(error(e)).isEqualTo("InvalidArgumentException: "
                            + "This operation is not permitted on MSKAsSource type."));
            DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("from-msk"))
                    .deliveryStreamDescription();
            assertThat(d.source().mskSourceDescription().topicName()).isEqualTo("orders");
            assertThat(d.source().mskSourceDescription().mskClusterARN()).isEqualTo(MSK_ARN);

            advance(Duration.ofSeconds(60));
            S3Object o = awaitObjects("m/", 1).get(0);
            assertThat(new String(get(o.key()), StandardCharsets.UTF_8)).isEqualTo("m1;m2;m3;");
        }
    }

    private static final String MSK_ARN =
            "arn:aws:kafka:us-east-1:000000000000:cluster/demo/0b2d2a6a-1c7a-4b5e-9a4e-4c2f3a1b5c6d-1";

    @Test
    void restartWithRecordsStillBufferedLosesNothing() throws Exception {
        start(onDisk());
        createS3Stream("durable", null, null, null);
        firehose.putRecordBatch(b -> b.deliveryStreamName("durable").records(record("one;"), record("two;")));
        firehose.close();
        s3.close();
        firehose = null;
        Kit.stop(server);
        server = null;

        start(onDisk());
        assertThat(objects("")).isEmpty();
        firehose.putRecord(b -> b.deliveryStreamName("durable").record(record("three;")));
        server.clock().advance(Duration.ofSeconds(60));
        S3Object o = awaitObjects("", 1).get(0);
        assertThat(o.key()).matches("2030/03/04/05/durable-1-2030-03-04-05-06-07-" + UUID);
        assertThat(new String(get(o.key()), StandardCharsets.UTF_8)).isEqualTo("one;two;three;");
        advance(Duration.ZERO);
        assertThat(objects("")).hasSize(1);
    }

    @Test
    void updateDestinationChecksAndBumpsTheVersion() throws Exception {
        start(EmulatorConfig.forTests());
        createS3Stream("upd", null, "v1/", null);
        firehose.putRecord(b -> b.deliveryStreamName("upd").record(record("before")));
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("upd")
                .currentDeliveryStreamVersionId("7").destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.prefix("v2/"))))
                .isInstanceOf(ConcurrentModificationException.class)
                .satisfies(e -> assertThat(error(e)).isEqualTo("ConcurrentModificationException: Cannot update "
                        + "firehose: upd since the current version id: 1 and the specified version id: 7 do not match"));
        firehose.updateDestination(b -> b.deliveryStreamName("upd").currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001").extendedS3DestinationUpdate(u -> u.prefix("v2/")));
        DeliveryStreamDescription d = firehose.describeDeliveryStream(b -> b.deliveryStreamName("upd"))
                .deliveryStreamDescription();
        assertThat(d.versionId()).isEqualTo("2");
        assertThat(d.destinations().get(0).extendedS3DestinationDescription().prefix()).isEqualTo("v2/");
        assertThat(d.destinations().get(0).extendedS3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(1);
        // The buffer is delivered under the old configuration on the update.
        assertThat(awaitObjects("v1/", 1).get(0).key()).contains("/upd-1-");
        firehose.putRecord(b -> b.deliveryStreamName("upd").record(record("after")));
        server.clock().advance(Duration.ofSeconds(60));
        assertThat(awaitObjects("v2/", 1).get(0).key()).contains("/upd-2-");
    }

    @Test
    void listingAndTagsPaginate() {
        start(EmulatorConfig.forTests());
        for (String n : List.of("c", "a", "b")) {
            createS3Stream(n, null, null, null);
        }
        var first = firehose.listDeliveryStreams(b -> b.limit(2));
        assertThat(first.deliveryStreamNames()).containsExactly("a", "b");
        assertThat(first.hasMoreDeliveryStreams()).isTrue();
        var next = firehose.listDeliveryStreams(b -> b.limit(2).exclusiveStartDeliveryStreamName("b"));
        assertThat(next.deliveryStreamNames()).containsExactly("c");
        assertThat(next.hasMoreDeliveryStreams()).isFalse();
        assertThat(firehose.listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE))
                .deliveryStreamNames()).isEmpty();

        firehose.tagDeliveryStream(b -> b.deliveryStreamName("a").tags(Tag.builder().key("k1").value("v1").build(),
                Tag.builder().key("k2").value("v2").build(), Tag.builder().key("k3").value("v3").build()));
        firehose.untagDeliveryStream(b -> b.deliveryStreamName("a").tagKeys("k2"));
        var tags = firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("a").limit(1));
        assertThat(tags.tags()).extracting(Tag::key).containsExactly("k1");
        assertThat(tags.hasMoreTags()).isTrue();
        assertThat(firehose.listTagsForDeliveryStream(b -> b.deliveryStreamName("a").exclusiveStartTagKey("k1"))
                .tags()).extracting(Tag::key).containsExactly("k3");

        firehose.startDeliveryStreamEncryption(b -> b.deliveryStreamName("a"));
        assertThat(firehose.describeDeliveryStream(b -> b.deliveryStreamName("a")).deliveryStreamDescription()
                .deliveryStreamEncryptionConfiguration().statusAsString()).isEqualTo("ENABLED");
        assertThat(firehose.putRecord(b -> b.deliveryStreamName("a").record(record("x"))).encrypted()).isTrue();
        firehose.stopDeliveryStreamEncryption(b -> b.deliveryStreamName("a"));
        assertThat(firehose.describeDeliveryStream(b -> b.deliveryStreamName("a")).deliveryStreamDescription()
                .deliveryStreamEncryptionConfiguration().statusAsString()).isEqualTo("DISABLED");

        firehose.deleteDeliveryStream(b -> b.deliveryStreamName("b"));
        assertThat(firehose.listDeliveryStreams(b -> { }).deliveryStreamNames()).containsExactly("a", "c");
    }

    @Test
    void errorsCarryAwsNamesAndMessages() {
        start(EmulatorConfig.forTests());
        createS3Stream("exists", null, null, null);
        assertThatThrownBy(() -> firehose.describeDeliveryStream(b -> b.deliveryStreamName("nope")))
                .isInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertThat(error(e)).isEqualTo(
                        "ResourceNotFoundException: Firehose nope under account 000000000000 not found."));
        assertThatThrownBy(() -> createS3Stream("exists", null, null, null))
                .isInstanceOf(ResourceInUseException.class)
                .satisfies(e -> assertThat(error(e)).isEqualTo(
                        "ResourceInUseException: Firehose exists under accountId 000000000000 already exists"));
        assertThatThrownBy(() -> createS3Stream("with-expr", null, "!{timestamp:yyyy/MM/dd}", null))
                .isInstanceOf(InvalidArgumentException.class)
                .satisfies(e -> assertThat(error(e)).isEqualTo(
                        "InvalidArgumentException: ErrorOutputPrefix can't be null when Prefix contains expressions"));
        assertThatThrownBy(() -> createS3Stream("bad name!", null, null, null))
                .isInstanceOf(FirehoseException.class)
                .satisfies(e -> assertThat(error(e)).isEqualTo("ValidationException: 1 validation error detected: "
                        + "Value 'bad name!' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy "
                        + "regular expression pattern: [a-zA-Z0-9_.-]+"));
        List<Record> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(record("x"));
        }
        assertThatThrownBy(() -> firehose.putRecordBatch(b -> b.deliveryStreamName("exists").records(tooMany)))
                .isInstanceOf(FirehoseException.class)
                .satisfies(e -> assertThat(error(e)).startsWith("ValidationException: 1 validation error detected: "
                        + "Value '["));
        byte[] big = new byte[1024 * 1000 + 1];
        assertThatThrownBy(() -> firehose.putRecord(b -> b.deliveryStreamName("exists")
                .record(Record.builder().data(SdkBytes.fromByteArray(big)).build())))
                .isInstanceOf(FirehoseException.class)
                .satisfies(e -> assertThat(error(e)).isEqualTo("ValidationException: 1 validation error detected: "
                        + "Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' failed to satisfy constraint: Member must have length less than or "
                        + "equal to 1024000"));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("no-such-bucket").key("k")))
                .isInstanceOf(NoSuchBucketException.class);
        s3.createBucket(b -> b.bucket("delivery"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("delivery").key("missing")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void statesFollowTheConfiguredDelaysOnTheVirtualClock() {
        start(ConfigLoader.load(new String[] {"--in-memory", "--port", "0", "--create-stream-delay", "5s",
                "--delete-stream-delay", "5s"}, Map.of()));
        createS3Stream("slow", null, null, null);
        Supplier<DeliveryStreamStatus> status = () -> firehose.describeDeliveryStream(b -> b.deliveryStreamName("slow"))
                .deliveryStreamDescription().deliveryStreamStatus();
        assertThat(status.get()).isEqualTo(DeliveryStreamStatus.CREATING);
        assertThatThrownBy(() -> firehose.putRecord(b -> b.deliveryStreamName("slow").record(record("x"))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> firehose.deleteDeliveryStream(b -> b.deliveryStreamName("slow")))
                .isInstanceOf(ResourceInUseException.class);
        server.clock().advance(Duration.ofSeconds(5));
        assertThat(status.get()).isEqualTo(DeliveryStreamStatus.ACTIVE);
        firehose.deleteDeliveryStream(b -> b.deliveryStreamName("slow"));
        assertThat(status.get()).isEqualTo(DeliveryStreamStatus.DELETING);
        server.clock().advance(Duration.ofSeconds(5));
        assertThatThrownBy(status::get).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void s3SubsetListsWithDelimiterAndContinuation() {
        start(EmulatorConfig.forTests());
        s3.createBucket(b -> b.bucket("delivery"));
        for (String k : List.of("a/1", "a/2", "b/1", "c", "d")) {
            s3.putObject(b -> b.bucket("delivery").key(k), RequestBody.fromString("body of " + k));
        }
        assertThat(s3.listBuckets().buckets()).extracting(bk -> bk.name()).contains("delivery");
        var top = s3.listObjectsV2(b -> b.bucket("delivery").delimiter("/"));
        assertThat(top.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "b/");
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("c", "d");
        List<String> keys = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            var page = s3.listObjectsV2(b -> b.bucket("delivery").maxKeys(2).continuationToken(t));
            page.contents().forEach(o -> keys.add(o.key()));
            token = page.nextContinuationToken();
            pages++;
        } while (token != null);
        assertThat(keys).containsExactly("a/1", "a/2", "b/1", "c", "d");
        assertThat(pages).isEqualTo(3);
        assertThat(new String(get("a/2"), StandardCharsets.UTF_8)).isEqualTo("body of a/2");
        s3.deleteObject(b -> b.bucket("delivery").key("a/2"));
        assertThat(s3.listObjectsV2(b -> b.bucket("delivery").prefix("a/")).contents()).extracting(S3Object::key)
                .containsExactly("a/1");
    }

    private static String error(Throwable e) {
        return Kit.error((software.amazon.awssdk.awscore.exception.AwsServiceException) e);
    }
}
