package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.services.kinesis.producer.KinesisProducer;
import com.amazonaws.services.kinesis.producer.KinesisProducerConfiguration;
import com.amazonaws.services.kinesis.producer.UserRecordResult;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.KinesisClientUtil;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The KPL (its native binary, which speaks only TLS) against Tributary started with {@code --tls}:
 * user records aggregated, read back with GetRecords and de-aggregated with the KCL's own
 * de-aggregator, every user record with its partition key, and read by a KCL application too. The KPL's Java half is built with
 * protobuf 3 and KCL 3.1 with protobuf 4, which cannot share a class path, so the producer runs in
 * a child JVM ({@link #main}) with protobuf 3 in place of 4.
 */
class KplIT {
    private static final int RECORDS = 50;

    @TempDir
    Path dataDir;

    @Test
    void aggregatedUserRecordsArriveWithTheirPartitionKeys() throws Exception {
        try (Tributary server = Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--tls",
                "--data-dir", dataDir.toString(), "--create-stream-delay", "0"}, Map.of()));
             KinesisClient kinesis = Clients.apache(server.endpoint())) {
            kinesis.createStream(b -> b.streamName("kpl").shardCount(1));
            Path log = dataDir.resolve("kpl.log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", childClassPath(), KplIT.class.getName(), String.valueOf(server.port()), "kpl",
                    caDirectory().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = child.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                child.destroyForcibly();
            }
            assertThat(done && child.exitValue() == 0).as("KPL producer, its output:%n%s", Files.readString(log)).isTrue();

            List<Record> records = Kit.readAll(kinesis, "kpl", Kit.shardId(0));
            assertThat(records.size()).as("aggregated: fewer Kinesis records than user records").isLessThan(RECORDS);
            List<KinesisClientRecord> user = new AggregatorUtil().deaggregate(
                    records.stream().map(KinesisClientRecord::fromRecord).toList());
            Map<String, String> received = new LinkedHashMap<>();
            for (KinesisClientRecord r : user) {
                received.put(StandardCharsets.UTF_8.decode(r.data()).toString(), r.partitionKey());
            }
            // Every user record exactly once with its key; the KPL keeps no order across partition keys.
            assertThat(user).hasSize(RECORDS);
            assertThat(received).containsExactlyInAnyOrderEntriesOf(expected());

            // And a KCL application (polling, on the same port over plain HTTP) sees the same user records.
            KclIT.Collector collector = new KclIT.Collector();
            try (KinesisAsyncClient kinesisAsync = KinesisClientUtil.createKinesisAsyncClient(KinesisAsyncClient.builder()
                    .endpointOverride(server.endpoint()).region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS));
                 DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(server.endpoint())
                         .region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS).build();
                 CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(server.endpoint())
                         .region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS).build()) {
                Scheduler scheduler = KclIT.scheduler("kpl", "kpl-reader", "worker-1", true, collector, kinesisAsync,
                        dynamo, cloudWatch);
                Thread worker = new Thread(scheduler, "kcl-scheduler");
                worker.setDaemon(true);
                worker.start();
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (collector.keys.size() < RECORDS) {
                        assertThat(System.nanoTime()).as("the KCL application reading the user records").isLessThan(deadline);
                        Thread.sleep(50);
                    }
                    assertThat(collector.payloadList()).hasSize(RECORDS);
                    assertThat(collector.keys).containsExactlyInAnyOrderEntriesOf(expected());
                } finally {
                    scheduler.startGracefulShutdown().get(30, TimeUnit.SECONDS);
                    worker.join(10_000);
                }
            }
        }
    }

    private static Map<String, String> expected() {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            out.put("user-record-" + i, "pk-" + i);
        }
        return out;
    }

    /**
     * A directory the KPL's native binary takes as its CA path (OpenSSL's CApath): Tributary's CA
     * certificate under its subject-hash name, made by {@code openssl x509 -hash} (c_rehash).
     */
    private Path caDirectory() throws Exception {
        Path pem = dataDir.resolve("tls").resolve("tributary-ca.pem");
        Process p = new ProcessBuilder("openssl", "x509", "-hash", "-noout", "-in", pem.toString()).start();
        String hash = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.waitFor()).isZero();
        Path dir = Files.createDirectories(dataDir.resolve("kpl-ca"));
        Files.copy(pem, dir.resolve(hash + ".0"));
        return dir;
    }

    /** This JVM's class path with protobuf 4 replaced by the protobuf 3 the KPL was built with. */
    private static String childClassPath() {
        String protobuf3 = System.getProperty("kpl.protobuf");
        assertThat(protobuf3).as("system property kpl.protobuf (set by the integration-tests pom)").isNotNull();
        return Stream.concat(Stream.of(protobuf3), Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(e -> !Path.of(e).getFileName().toString().startsWith("protobuf-java-")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * The child JVM: puts {@value #RECORDS} user records with the KPL (aggregation on, TLS to
     * localhost, verified against Tributary's CA) and exits 0 when every one succeeded.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        KinesisProducerConfiguration config = new KinesisProducerConfiguration()
                .setRegion("us-east-1")
                .setKinesisEndpoint("localhost").setKinesisPort(port)
                .setCloudwatchEndpoint("localhost").setCloudwatchPort(port)
                .setStsEndpoint("localhost").setStsPort(port)
                .setCaCertPath(args[2])
                .setAggregationEnabled(true)
                .setMetricsLevel("summary")
                .setRecordMaxBufferedTime(100)
                .setCredentialsProvider(new AWSStaticCredentialsProvider(new BasicAWSCredentials("test", "test")));
        KinesisProducer producer = new KinesisProducer(config);
        int exit = 1;
        try {
            // The KPL aggregates only once it has the shard map; one record first, waited for, gets it there.
            Map<String, String> all = expected();
            String firstData = all.keySet().iterator().next();
            UserRecordResult first = producer.addUserRecord(args[1], all.get(firstData),
                    ByteBuffer.wrap(firstData.getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
            all.remove(firstData);
            List<ListenableFuture<UserRecordResult>> futures = new ArrayList<>();
            futures.add(Futures.immediateFuture(first));
            all.forEach((data, key) -> futures.add(
                    producer.addUserRecord(args[1], key, ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)))));
            producer.flush();
            List<UserRecordResult> results = Futures.allAsList(futures).get(60, TimeUnit.SECONDS);
            long failed = results.stream().filter(r -> !r.isSuccessful()).count();
            System.out.println("KPL results: " + results.size() + " failed: " + failed);
            exit = failed == 0 ? 0 : 2;
        } finally {
            producer.destroy();
        }
        System.exit(exit);
    }
}
