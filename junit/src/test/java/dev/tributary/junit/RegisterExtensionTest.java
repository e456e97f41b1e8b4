package dev.tributary.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The programmatic form, with a stream-creation delay moved past by the clock. */
class RegisterExtensionTest {
    @RegisterExtension
    static final TributaryExtension TRIBUTARY = TributaryExtension.builder().createStreamDelayMillis(5_000).build();

    @Test
    void createStreamDelayKeepsANewStreamCreatingUntilTheClockMoves(TributaryServer server, KinesisClient kinesis) {
        kinesis.createStream(b -> b.streamName("slow").shardCount(1));
        assertThat(kinesis.describeStreamSummary(b -> b.streamName("slow")).streamDescriptionSummary().streamStatus())
                .isEqualTo(StreamStatus.CREATING);
        server.clock().advance(Duration.ofSeconds(5));
        assertThat(kinesis.describeStreamSummary(b -> b.streamName("slow")).streamDescriptionSummary().streamStatus())
                .isEqualTo(StreamStatus.ACTIVE);
    }
}
