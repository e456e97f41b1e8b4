package dev.tributary.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.MountableFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The image started by Testcontainers and driven with the AWS SDK v2. Needs a Docker engine and
 * the image built from this repository ({@code docker build -f docker/Dockerfile -t
 * tributary/tributary .} after {@code mvn package}); without an engine, or without the image, the
 * class is skipped, so a developer with Docker but no image still gets a green build.
 */
class TributaryContainerTest {

    static TributaryContainer TRIBUTARY;

    @BeforeAll
    static void startWhenDockerAndTheImageAreThere() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine");
        Assumptions.assumeFalse(DockerClientFactory.instance().client().listImagesCmd()
                .withImageNameFilter("tributary/tributary:latest").exec().isEmpty(),
                "image tributary/tributary:latest not built (docker build -f docker/Dockerfile -t tributary/tributary .)");
        TRIBUTARY = new TributaryContainer()
                .withInMemory()
                .withInitFile(MountableFile.forClasspathResource("init.json"))
                .withEnv("TRIBUTARY_CREATE_STREAM_DELAY", "0");
        TRIBUTARY.start();
    }

    @AfterAll
    static void stop() {
        if (TRIBUTARY != null) {
            TRIBUTARY.stop();
        }
    }

    @Test
    void sdkCreatesPutsAndReadsBackThroughTheMappedPort() {
        try (KinesisClient kinesis = KinesisClient.builder()
                .endpointOverride(TRIBUTARY.getEndpoint())
                .region(Region.of(TRIBUTARY.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TRIBUTARY.getAccessKey(), TRIBUTARY.getSecretKey())))
                .build()) {
            kinesis.createStream(b -> b.streamName("tc-orders").shardCount(1));
            kinesis.waiter().waitUntilStreamExists(b -> b.streamName("tc-orders"));
            assertThat(kinesis.listStreams().streamNames()).contains("tc-init", "tc-orders");

            PutRecordResponse put = kinesis.putRecord(b -> b.streamName("tc-orders").partitionKey("k")
                    .data(SdkBytes.fromUtf8String("hello from a container")));
            assertThat(put.shardId()).isEqualTo("shardId-000000000000");

            String iterator = kinesis.getShardIterator(b -> b.streamName("tc-orders").shardId(put.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> records = kinesis.getRecords(b -> b.shardIterator(iterator)).records();
            assertThat(records).extracting(r -> r.data().asUtf8String()).containsExactly("hello from a container");
            assertThat(records.get(0).sequenceNumber()).isEqualTo(put.sequenceNumber());
        }
    }
}
