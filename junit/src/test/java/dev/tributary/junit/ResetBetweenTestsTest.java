package dev.tributary.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code resetBetweenTests}: each test sees no stream a previous test created, on the same server. */
@Tributary(resetBetweenTests = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBetweenTestsTest {
    static int firstPort;

    @Test
    @Order(1)
    void firstTestLeavesStreamsAndAConsumerBehind(TributaryServer server, KinesisClient kinesis) {
        firstPort = server.port();
        kinesis.createStream(b -> b.streamName("left-behind").shardCount(1));
        kinesis.createStream(b -> b.streamName("also-left").shardCount(2));
        String arn = kinesis.describeStreamSummary(b -> b.streamName("left-behind")).streamDescriptionSummary()
                .streamARN();
        kinesis.registerStreamConsumer(b -> b.streamARN(arn).consumerName("c"));
        server.throttle("also-left", null, 5);
        assertThat(kinesis.listStreams().streamNames()).containsExactly("also-left", "left-behind");
    }

    @Test
    @Order(2)
    void secondTestStartsCleanOnTheSameServer(TributaryServer server, KinesisClient kinesis) {
        assertThat(server.port()).isEqualTo(firstPort);
        assertThat(kinesis.listStreams().streamNames()).isEmpty();
        // The same name is free again, and the forced throttle is gone.
        kinesis.createStream(b -> b.streamName("also-left").shardCount(1));
        assertThat(kinesis.putRecord(b -> b.streamName("also-left").partitionKey("k")
                .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x"))).shardId())
                .isEqualTo("shardId-000000000000");
    }
}
