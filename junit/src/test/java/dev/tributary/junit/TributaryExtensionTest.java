package dev.tributary.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** The annotation form, one server for the class: every parameter type, the clock, throttling. */
@Tributary
class TributaryExtensionTest {

    @Test
    void injectedSyncClientCreatesPutsAndGets(KinesisClient kinesis) {
        kinesis.createStream(b -> b.streamName("sync").shardCount(1));
        String seq = kinesis.putRecord(b -> b.streamName("sync").partitionKey("k")
                .data(SdkBytes.fromUtf8String("hello"))).sequenceNumber();
        String it = kinesis.getShardIterator(b -> b.streamName("sync").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = kinesis.getRecords(b -> b.shardIterator(it)).records();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.sequenceNumber()).isEqualTo(seq);
            assertThat(r.data().asUtf8String()).isEqualTo("hello");
        });
    }

    @Test
    void injectedAsyncClientWorks(KinesisAsyncClient kinesis) throws Exception {
        kinesis.createStream(b -> b.streamName("async").shardCount(2)).get();
        assertThat(kinesis.listShards(b -> b.streamName("async")).get().shards()).hasSize(2);
    }

    @Test
    void everyParameterTypeNamesTheSameServer(TributaryServer server, URI endpoint, KinesisClient kinesis,
                                              KinesisAsyncClient async) {
        assertThat(endpoint).isEqualTo(server.endpoint());
        assertThat(endpoint.toString()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(kinesis).isSameAs(server.kinesis());
        assertThat(async).isSameAs(server.kinesisAsync());
    }

    @Test
    void advancingTheClockExpiresAnIterator(TributaryServer server, KinesisClient kinesis) {
        kinesis.createStream(b -> b.streamName("expiry").shardCount(1));
        String it = kinesis.getShardIterator(b -> b.streamName("expiry").shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        server.clock().advance(Duration.ofSeconds(301));
        assertThatThrownBy(() -> kinesis.getRecords(b -> b.shardIterator(it)))
                .isInstanceOf(ExpiredIteratorException.class)
                .hasMessageStartingWith("Iterator expired.");
    }

    @Test
    void throttleFailsTheNextCallsOnAShard(TributaryServer server, KinesisClient kinesis) {
        kinesis.createStream(b -> b.streamName("throttled").shardCount(1));
        server.throttle("throttled", "shardId-000000000000", 1);
        PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder().partitionKey("k")
                .data(SdkBytes.fromUtf8String("x")).build();
        // PutRecords reports throttling per record, so the SDK does not retry it away.
        PutRecordsResponse first = kinesis.putRecords(b -> b.streamName("throttled").records(entry));
        assertThat(first.failedRecordCount()).isEqualTo(1);
        assertThat(first.records().get(0).errorCode()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(kinesis.putRecords(b -> b.streamName("throttled").records(entry)).failedRecordCount()).isZero();
    }

    @Test
    void throttleOfAnUnknownShardIdIsRefused(TributaryServer server) {
        assertThatThrownBy(() -> server.throttle("any", "not-a-shard", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("/_tributary/faults/kinesis/throttle answered 400: {\"message\":\"invalid shardId not-a-shard\"}");
    }
}
