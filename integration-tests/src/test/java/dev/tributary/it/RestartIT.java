package dev.tributary.it;

import static dev.tributary.it.Kit.shardId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescription;

/**
 * A durable server closed cleanly and started again on the same data directory serves the same
 * streams, shards, lineage, records and sequence numbers, and keeps numbering upwards.
 */
class RestartIT {
    @TempDir
    Path dataDir;

    private Tributary start() {
        return Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--create-stream-delay", "0", "--delete-stream-delay", "0", "--update-stream-delay", "0"}, Map.of()));
    }

    /** Everything a client can see of the streams: descriptions with shards, and every record. */
    private record Snapshot(List<String> streams, Map<String, StreamDescription> descriptions,
                            Map<String, List<Record>> records) {
    }

    private static Snapshot snapshot(KinesisClient kinesis) {
        List<String> streams = kinesis.listStreams(b -> { }).streamNames();
        Map<String, StreamDescription> descriptions = new LinkedHashMap<>();
        Map<String, List<Record>> records = new LinkedHashMap<>();
        for (String stream : streams) {
            StreamDescription d = kinesis.describeStream(b -> b.streamName(stream)).streamDescription();
            descriptions.put(stream, d);
            for (Shard s : d.shards()) {
                records.put(stream + "/" + s.shardId(), Kit.readAll(kinesis, stream, s.shardId()));
            }
        }
        return new Snapshot(streams, descriptions, records);
    }

    @Test
    void restartKeepsStreamsShardsLineageRecordsAndSequenceNumbers() {
        Snapshot before;
        String oldIterator;
        Map<String, String> ackedSequence = new LinkedHashMap<>();
        try (Tributary server = start(); KinesisClient kinesis = Clients.apache(server.endpoint())) {
            kinesis.createStream(b -> b.streamName("orders").shardCount(3));
            kinesis.createStream(b -> b.streamName("audit").shardCount(1));
            kinesis.createStream(b -> b.streamName("gone").shardCount(1));
            for (int batch = 0; batch < 3; batch++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("o-" + batch + "-" + i)
                            .data(SdkBytes.fromUtf8String("order " + batch + "/" + i)).build());
                }
                kinesis.putRecords(b -> b.streamName("orders").records(entries)).records()
                        .forEach(r -> ackedSequence.put(r.sequenceNumber(), r.shardId()));
            }
            for (int i = 0; i < 20; i++) {
                int n = i;
                kinesis.putRecord(b -> b.streamName("audit").partitionKey("a" + n).data(SdkBytes.fromUtf8String("audit " + n)));
            }
            kinesis.putRecord(b -> b.streamName("gone").partitionKey("g").data(SdkBytes.fromUtf8String("gone")));
            kinesis.deleteStream(b -> b.streamName("gone"));
            Shard one = kinesis.listShards(b -> b.streamName("orders")).shards().get(1);
            BigInteger mid = new BigInteger(one.hashKeyRange().startingHashKey())
                    .add(new BigInteger(one.hashKeyRange().endingHashKey())).shiftRight(1);
            kinesis.splitShard(b -> b.streamName("orders").shardToSplit(shardId(1)).newStartingHashKey(mid.toString()));
            for (int i = 0; i < 100; i++) {
                int n = i;
                PutRecordResponse ack = kinesis.putRecord(b -> b.streamName("orders").partitionKey("after-" + n)
                        .data(SdkBytes.fromUtf8String("after split " + n)));
                ackedSequence.put(ack.sequenceNumber(), ack.shardId());
            }
            // An iterator at the tail of the audit stream, to use after the restart.
            oldIterator = kinesis.getShardIterator(b -> b.streamName("audit").shardId(shardId(0))
                    .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
            before = snapshot(kinesis);
        }

        assertThat(before.streams()).containsExactly("audit", "orders");
        assertThat(before.descriptions().get("orders").shards()).hasSize(5);
        assertThat(before.records().values().stream().mapToInt(List::size).sum()).isEqualTo(600 + 20 + 100);

        try (Tributary server = start(); KinesisClient kinesis = Clients.apache(server.endpoint())) {
            Snapshot after = snapshot(kinesis);
            assertThat(after.streams()).isEqualTo(before.streams());
            assertThat(after.descriptions()).isEqualTo(before.descriptions());
            assertThat(after.records().keySet()).isEqualTo(before.records().keySet());
            for (String shard : before.records().keySet()) {
                assertThat(after.records().get(shard)).as(shard).isEqualTo(before.records().get(shard));
            }
            // Every acknowledged sequence number is still there, in the shard it was acknowledged in.
            ackedSequence.forEach((seq, shard) -> assertThat(after.records().get("orders/" + shard))
                    .extracting(Record::sequenceNumber).contains(seq));

            // Writing continues above every earlier number of the shard.
            for (Shard s : after.descriptions().get("orders").shards()) {
                if (s.sequenceNumberRange().endingSequenceNumber() != null) {
                    continue;
                }
                List<Record> old = after.records().get("orders/" + s.shardId());
                PutRecordResponse ack = kinesis.putRecord(b -> b.streamName("orders").explicitHashKey(
                        s.hashKeyRange().startingHashKey()).partitionKey("new").data(SdkBytes.fromUtf8String("new")));
                assertThat(ack.shardId()).isEqualTo(s.shardId());
                BigInteger floor = new BigInteger(s.sequenceNumberRange().startingSequenceNumber());
                if (!old.isEmpty()) {
                    floor = new BigInteger(old.get(old.size() - 1).sequenceNumber());
                }
                assertThat(new BigInteger(ack.sequenceNumber())).as(s.shardId()).isGreaterThan(floor);
                List<Record> now = Kit.readAll(kinesis, "orders", s.shardId());
                assertThat(now).hasSize(old.size() + 1);
                assertThat(now.get(now.size() - 1).sequenceNumber()).isEqualTo(ack.sequenceNumber());
            }

            // An iterator issued before the restart still reads from where it was.
            String audit = kinesis.putRecord(b -> b.streamName("audit").partitionKey("late")
                    .data(SdkBytes.fromUtf8String("late"))).sequenceNumber();
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(oldIterator));
            assertThat(r.records()).extracting(Record::sequenceNumber).containsExactly(audit);
        }
    }
}
