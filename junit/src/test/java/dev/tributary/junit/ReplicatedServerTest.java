package dev.tributary.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** A three-node server from the annotation, and the node controls of the server handle. */
@Tributary(nodes = 3, replicationFactor = 3)
class ReplicatedServerTest {

    @Test
    void aStoppedLeaderFailsOverAndTheRecordsStayReadable(TributaryServer server, KinesisClient kinesis) {
        kinesis.createStream(b -> b.streamName("orders").shardCount(1));
        kinesis.putRecord(b -> b.streamName("orders").partitionKey("k").data(SdkBytes.fromUtf8String("one")));
        assertThat(server.replicas("orders")).contains("\"leader\":0,\"leaderEpoch\":0");
        server.stopNode(0);
        assertThat(server.replicas("orders")).contains("\"leader\":1,\"leaderEpoch\":1");
        kinesis.putRecord(b -> b.streamName("orders").partitionKey("k").data(SdkBytes.fromUtf8String("two")));
        String iterator = kinesis.getShardIterator(b -> b.streamName("orders").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThat(kinesis.getRecords(b -> b.shardIterator(iterator)).records())
                .extracting(r -> r.data().asUtf8String()).containsExactly("one", "two");
        server.startNode(0);
    }
}
