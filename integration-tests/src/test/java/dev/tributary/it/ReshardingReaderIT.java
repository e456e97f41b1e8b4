package dev.tributary.it;

import static dev.tributary.it.Kit.shardId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * A reader that follows shard lineage the way the KCL does, across a split, a merge and an
 * UpdateShardCount: it starts at the shards without parents, reads each shard from TRIM_HORIZON
 * to its end (a closed shard ends with no NextShardIterator and names its ChildShards), and
 * starts a child only once every parent is finished. Every record must be read exactly once, in
 * sequence order per shard, and in write order per partition key across the whole lineage.
 *
 * <p>Topology: 0,1 open; split 0 into 2,3; merge 3 and 1 into 4; UpdateShardCount to 3 closes 2
 * and 4 and opens 5 (parents 2 and 4), 6 and 7 (parent 4).
 */
class ReshardingReaderIT {
    private static final int KEYS = 24;

    /** A record as acknowledged: where the writer was told it went. */
    private record Written(String phase, String key, int n, String shardId, String sequenceNumber) {
        String data() {
            return phase + ":" + key + ":" + n;
        }
    }

    private static Tributary server;

    @BeforeAll
    static void startServer() {
        server = Tributary.start(EmulatorConfig.forTests());
    }

    @AfterAll
    static void stopServer() {
        Kit.stop(server);
    }

    private final List<Written> written = new ArrayList<>();
    private final Map<String, Integer> nextN = new HashMap<>();
    private String stream;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tributary.it.Clients#kinds")
    void readerFollowingLineageReadsEveryRecordOnceInOrder(Clients.Kind kind) {
        stream = "lineage-" + kind.transport() + (kind.cbor() ? "-cbor" : "-json");
        try (KinesisClient kinesis = Clients.open(kind, server.endpoint())) {
            kinesis.createStream(b -> b.streamName(stream).shardCount(2));
            write(kinesis, "A", 120);
            kinesis.splitShard(b -> b.streamName(stream).shardToSplit(shardId(0))
                    .newStartingHashKey(BigInteger.ONE.shiftLeft(126).toString()));
            write(kinesis, "B", 120);
            kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(shardId(3)).adjacentShardToMerge(shardId(1)));
            write(kinesis, "C", 120);
            kinesis.updateShardCount(b -> b.streamName(stream).targetShardCount(3).scalingType(ScalingType.UNIFORM_SCALING));
            write(kinesis, "D", 120);

            // Writes go to the open shards of their time only.
            assertThat(shardsOf("A")).containsOnly(shardId(0), shardId(1));
            assertThat(shardsOf("B")).containsOnly(shardId(1), shardId(2), shardId(3));
            assertThat(shardsOf("C")).containsOnly(shardId(2), shardId(4));
            assertThat(shardsOf("D")).containsOnly(shardId(5), shardId(6), shardId(7));

            Map<String, Shard> shards = new LinkedHashMap<>();
            kinesis.listShards(b -> b.streamName(stream)).shards().forEach(s -> shards.put(s.shardId(), s));
            assertThat(shards.keySet()).containsExactly(shardId(0), shardId(1), shardId(2), shardId(3), shardId(4),
                    shardId(5), shardId(6), shardId(7));
            assertThat(parents(shards.get(shardId(4)))).containsExactly(shardId(3), shardId(1));
            assertThat(parents(shards.get(shardId(5)))).containsExactly(shardId(2), shardId(4));
            assertThat(parents(shards.get(shardId(6)))).containsExactly(shardId(4));
            assertThat(parents(shards.get(shardId(7)))).containsExactly(shardId(4));
            assertThat(shards.get(shardId(5)).hashKeyRange()).isEqualTo(Kit.evenRanges(3).get(0));

            Map<String, List<Record>> readByShard = readFollowingLineage(kinesis, shards);

            // Every acknowledged record was read exactly once, from the shard it was acknowledged in.
            Map<String, Written> bySequence = new HashMap<>();
            written.forEach(w -> assertThat(bySequence.put(w.shardId() + "/" + w.sequenceNumber(), w)).isNull());
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (Map.Entry<String, List<Record>> e : readByShard.entrySet()) {
                BigInteger previous = BigInteger.valueOf(-1);
                for (Record r : e.getValue()) {
                    String id = e.getKey() + "/" + r.sequenceNumber();
                    Written w = bySequence.get(id);
                    assertThat(w).as("record %s was acknowledged in that shard", id).isNotNull();
                    assertThat(seen.add(id)).as("read once: %s", id).isTrue();
                    assertThat(r.data().asUtf8String()).isEqualTo(w.data());
                    assertThat(r.partitionKey()).isEqualTo(w.key());
                    BigInteger seq = new BigInteger(r.sequenceNumber());
                    assertThat(seq).isGreaterThan(previous);
                    previous = seq;
                    total++;
                }
            }
            assertThat(total).isEqualTo(written.size());

            // Closed shards report the sequence number of their last record; open ones none.
            for (Shard s : shards.values()) {
                List<Record> records = readByShard.get(s.shardId());
                boolean open = Set.of(shardId(5), shardId(6), shardId(7)).contains(s.shardId());
                if (open) {
                    assertThat(s.sequenceNumberRange().endingSequenceNumber()).as(s.shardId()).isNull();
                } else {
                    assertThat(records).as("every closed shard got records in this test: %s", s.shardId()).isNotEmpty();
                    assertThat(s.sequenceNumberRange().endingSequenceNumber()).as(s.shardId())
                            .isEqualTo(records.get(records.size() - 1).sequenceNumber());
                }
            }
        }
    }

    /**
     * Reads shards in lineage order, one at a time; returns each shard's records in the order read.
     * Along the way checks, per partition key, that records come in write order.
     */
    private Map<String, List<Record>> readFollowingLineage(KinesisClient kinesis, Map<String, Shard> shards) {
        Deque<String> ready = new ArrayDeque<>();
        shards.values().stream().filter(s -> parents(s).isEmpty()).forEach(s -> ready.add(s.shardId()));
        assertThat(ready).containsExactly(shardId(0), shardId(1));
        Set<String> finished = new HashSet<>();
        Set<String> started = new HashSet<>(ready);
        Map<String, List<Record>> out = new LinkedHashMap<>();
        Map<String, Integer> lastNPerKey = new HashMap<>();

        while (!ready.isEmpty()) {
            String shard = ready.poll();
            assertThat(finished).as("parents of %s finished first", shard).containsAll(parents(shards.get(shard)));
            List<Record> records = new ArrayList<>();
            List<ChildShard> children = List.of();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            boolean closed = false;
            while (true) {
                String it = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(7));
                records.addAll(r.records());
                if (r.nextShardIterator() == null) {
                    closed = true;
                    children = r.childShards();
                    break;
                }
                assertThat(r.hasChildShards() && !r.childShards().isEmpty()).as("children only at the end").isFalse();
                if (r.records().isEmpty()) {
                    break;
                }
                iterator = r.nextShardIterator();
            }
            boolean listedClosed = shards.get(shard).sequenceNumberRange().endingSequenceNumber() != null;
            assertThat(closed).as("%s ends like the listing says", shard).isEqualTo(listedClosed);
            for (Record r : records) {
                String[] parts = r.data().asUtf8String().split(":");
                int n = Integer.parseInt(parts[2]);
                Integer last = lastNPerKey.put(r.partitionKey(), n);
                assertThat(n).as("write order of key %s", r.partitionKey()).isEqualTo(last == null ? 0 : last + 1);
            }
            out.put(shard, records);
            finished.add(shard);
            for (ChildShard child : children) {
                assertThat(child.parentShards()).containsExactlyInAnyOrderElementsOf(parents(shards.get(child.shardId())));
                assertThat(child.hashKeyRange()).isEqualTo(shards.get(child.shardId()).hashKeyRange());
                if (finished.containsAll(child.parentShards()) && started.add(child.shardId())) {
                    ready.add(child.shardId());
                }
            }
        }
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(shards.keySet());
        // Every key's records were all read.
        nextN.forEach((key, n) -> assertThat(lastNPerKey.get(key)).as(key).isEqualTo(n - 1));
        return out;
    }

    private static List<String> parents(Shard s) {
        List<String> p = new ArrayList<>();
        if (s.parentShardId() != null) {
            p.add(s.parentShardId());
        }
        if (s.adjacentParentShardId() != null) {
            p.add(s.adjacentParentShardId());
        }
        return p;
    }

    /** Writes {@code count} records over {@link #KEYS} keys: most with PutRecords, every tenth with PutRecord. */
    private void write(KinesisClient kinesis, String phase, int count) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        List<Written> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "key-" + (i * 7 % KEYS);
            int n = nextN.merge(key, 1, Integer::sum) - 1;
            Written w = new Written(phase, key, n, null, null);
            if (i % 10 == 9) {
                flush(kinesis, batch, pending);
                PutRecordResponse ack = kinesis.putRecord(b -> b.streamName(stream).partitionKey(key)
                        .data(SdkBytes.fromUtf8String(w.data())));
                written.add(new Written(phase, key, n, ack.shardId(), ack.sequenceNumber()));
            } else {
                batch.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(w.data())).build());
                pending.add(w);
            }
        }
        flush(kinesis, batch, pending);
    }

    private void flush(KinesisClient kinesis, List<PutRecordsRequestEntry> batch, List<Written> pending) {
        if (batch.isEmpty()) {
            return;
        }
        List<PutRecordsResultEntry> results = kinesis.putRecords(b -> b.streamName(stream).records(batch)).records();
        assertThat(results).hasSize(pending.size());
        for (int i = 0; i < results.size(); i++) {
            Written w = pending.get(i);
            assertThat(results.get(i).errorCode()).isNull();
            written.add(new Written(w.phase(), w.key(), w.n(), results.get(i).shardId(), results.get(i).sequenceNumber()));
        }
        batch.clear();
        pending.clear();
    }

    private List<String> shardsOf(String phase) {
        return written.stream().filter(w -> w.phase().equals(phase)).map(Written::shardId).distinct().toList();
    }
}
