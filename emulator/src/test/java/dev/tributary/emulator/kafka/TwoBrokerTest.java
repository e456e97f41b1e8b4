package dev.tributary.emulator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.config.KafkaConfig;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.Acks;
import dev.tributary.store.api.AppendRecord;
import dev.tributary.store.api.AppendResult;
import dev.tributary.store.api.LeaderNotAvailableException;
import dev.tributary.store.api.NewShard;
import dev.tributary.store.api.NodeInfo;
import dev.tributary.store.api.NotEnoughReplicasException;
import dev.tributary.store.api.ReplicaState;
import dev.tributary.store.api.ReplicationTimeoutException;
import dev.tributary.store.api.ShardCursor;
import dev.tributary.store.api.ShardLog;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import dev.tributary.store.api.StoredRecord;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamSpec;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Brokers are store nodes: over a store that reports two nodes, with partition p led by node
 * p % 2, each node gets its own listener, Metadata names both and each partition's leader, a
 * request that reaches a follower gets {@code NOT_LEADER_OR_FOLLOWER}, and the store's replication
 * exceptions become Kafka's error codes. The real producer routes each partition to its leader.
 */
class TwoBrokerTest {
    private ShardStore delegate;
    private TwoNodes store;
    private KafkaServer server;

    @BeforeEach
    void start() {
        delegate = ShardStores.open(StoreConfig.defaults(null));
        store = new TwoNodes(delegate);
        server = KafkaServer.start(new KafkaConfig(0, "127.0.0.1", Duration.ZERO, Duration.ZERO, Duration.ZERO), "127.0.0.1", store,
                Clock.systemUTC());
        new KafkaTopics(store).create("t", 2, 2, Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
        delegate.close();
    }

    private int port(int node) {
        return server.brokers().stream().filter(b -> b.nodeId() == node).findFirst().orElseThrow().port();
    }

    private static ProduceRequest.Builder produceTo(int partition) {
        org.apache.kafka.common.message.ProduceRequestData data = KafkaListenerTest.produceData((short) -1, "x");
        data.topicData().iterator().next().partitionData().get(0).setIndex(partition);
        return new ProduceRequest.Builder((short) 11, (short) 11, data);
    }

    private static short produceError(RawKafkaClient c, int partition) throws Exception {
        ProduceResponse r = c.send(produceTo(partition), (short) 11);
        ProduceResponseData.PartitionProduceResponse p = r.data().responses().iterator().next().partitionResponses().get(0);
        return p.errorCode();
    }

    @Test
    void metadataNamesEveryBrokerAndEachPartitionsLeader() throws Exception {
        assertThat(server.brokers()).hasSize(2);
        assertThat(port(0)).isNotEqualTo(port(1));
        try (RawKafkaClient c = new RawKafkaClient(port(1))) {
            MetadataResponse r = c.send(new MetadataRequest.Builder(new MetadataRequestData().setTopics(null)), (short) 12);
            assertThat(r.data().brokers()).extracting(MetadataResponseData.MetadataResponseBroker::port)
                    .containsExactlyInAnyOrder(port(0), port(1));
            MetadataResponseData.MetadataResponseTopic t = r.data().topics().find("t");
            assertThat(t.partitions()).extracting(MetadataResponseData.MetadataResponsePartition::leaderId).containsExactly(0, 1);
            assertThat(t.partitions().get(1).replicaNodes()).containsExactly(1, 0);
            assertThat(t.partitions().get(1).isrNodes()).containsExactly(1, 0);
        }
    }

    @Test
    void aFollowerAnswersNotLeaderOrFollowerAndTheLeaderAppends() throws Exception {
        try (RawKafkaClient broker0 = new RawKafkaClient(port(0)); RawKafkaClient broker1 = new RawKafkaClient(port(1))) {
            assertThat(produceError(broker0, 1)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(produceError(broker1, 0)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
            assertThat(produceError(broker1, 1)).isEqualTo(Errors.NONE.code());
            assertThat(produceError(broker0, 0)).isEqualTo(Errors.NONE.code());
            assertThat(produceError(broker0, 7)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void replicationExceptionsBecomeKafkaErrorCodes() throws Exception {
        try (RawKafkaClient broker0 = new RawKafkaClient(port(0))) {
            store.failure = new NotEnoughReplicasException("isr 1 below min 2");
            assertThat(produceError(broker0, 0)).isEqualTo(Errors.NOT_ENOUGH_REPLICAS.code());
            store.failure = new LeaderNotAvailableException("no leader");
            assertThat(produceError(broker0, 0)).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
            store.failure = new ReplicationTimeoutException("slow follower");
            assertThat(produceError(broker0, 0)).isEqualTo(Errors.REQUEST_TIMED_OUT.code());
            store.failure = null;
            assertThat(produceError(broker0, 0)).isEqualTo(Errors.NONE.code());
            store.offline = true;
            assertThat(produceError(broker0, 0)).isEqualTo(Errors.LEADER_NOT_AVAILABLE.code());
        }
    }

    @Test
    void theJavaProducerSendsEachPartitionToItsLeader() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port(1),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (int i = 0; i < 10; i++) {
                RecordMetadata m = producer.send(new ProducerRecord<>("t", i % 2, "k", "v" + i)).get();
                assertThat(m.offset()).isEqualTo(i / 2);
            }
        }
        assertThat(store.appendsByLeader).containsExactly(5, 5);
    }

    /** A store that reports two running nodes; partition p is led by node p % 2, node (p + 1) % 2 follows. */
    static final class TwoNodes implements ShardStore {
        final ShardStore d;
        volatile RuntimeException failure;
        volatile boolean offline;
        final int[] appendsByLeader = new int[2];

        TwoNodes(ShardStore d) {
            this.d = d;
        }

        @Override
        public List<NodeInfo> nodes() {
            return List.of(new NodeInfo(0, true), new NodeInfo(1, true));
        }

        @Override
        public ReplicaState replicaState(String stream, int shardIndex) {
            ShardLog log = d.log(stream, shardIndex);
            int leader = shardIndex % 2;
            int follower = (shardIndex + 1) % 2;
            return new ReplicaState(offline ? -1 : leader, 0, List.of(leader, follower), List.of(leader, follower),
                    log.endOffset(), Map.of(leader, log.endOffset(), follower, log.endOffset()));
        }

        @Override
        public StreamInfo createStream(StreamSpec spec) {
            return d.createStream(new StreamSpec(spec.name(), spec.shardCount(), spec.retention(), spec.attributes()));
        }

        @Override
        public Optional<StreamInfo> stream(String name) {
            return d.stream(name);
        }

        @Override
        public List<StreamInfo> streams() {
            return d.streams();
        }

        @Override
        public void deleteStream(String name) {
            d.deleteStream(name);
        }

        @Override
        public StreamInfo updateStream(String name, UnaryOperator<Map<String, String>> update, Duration retention) {
            return d.updateStream(name, update, retention);
        }

        @Override
        public StreamInfo splitShard(String stream, int shardIndex, BigInteger newStartingKey) {
            return d.splitShard(stream, shardIndex, newStartingKey);
        }

        @Override
        public StreamInfo mergeShards(String stream, int shardIndex, int adjacentShardIndex) {
            return d.mergeShards(stream, shardIndex, adjacentShardIndex);
        }

        @Override
        public StreamInfo reshard(String stream, List<NewShard> newShards, List<Integer> closeShardIndexes) {
            return d.reshard(stream, newShards, closeShardIndexes);
        }

        @Override
        public ShardLog log(String stream, int shardIndex) {
            ShardLog log = d.log(stream, shardIndex);
            return new ShardLog() {
                @Override
                public int shardIndex() {
                    return log.shardIndex();
                }

                @Override
                public AppendResult append(List<AppendRecord> records) {
                    return append(records, Acks.ALL);
                }

                @Override
                public AppendResult append(List<AppendRecord> records, Acks acks) {
                    if (failure != null) {
                        throw failure;
                    }
                    synchronized (appendsByLeader) {
                        appendsByLeader[shardIndex % 2]++;
                    }
                    return log.append(records, acks);
                }

                @Override
                public long startOffset() {
                    return log.startOffset();
                }

                @Override
                public long endOffset() {
                    return log.endOffset();
                }

                @Override
                public boolean isClosed() {
                    return log.isClosed();
                }

                @Override
                public List<StoredRecord> read(long offset, int maxRecords, long maxBytes) {
                    return log.read(offset, maxRecords, maxBytes);
                }

                @Override
                public long offsetForTimestamp(long timestampMillis) {
                    return log.offsetForTimestamp(timestampMillis);
                }

                @Override
                public long lastTimestamp() {
                    return log.lastTimestamp();
                }

                @Override
                public CompletableFuture<Long> awaitAppend(long offset) {
                    return log.awaitAppend(offset);
                }

                @Override
                public ShardCursor cursor(long offset) {
                    return log.cursor(offset);
                }
            };
        }

        @Override
        public void enforceRetention() {
            d.enforceRetention();
        }

        @Override
        public void flush() {
            d.flush();
        }

        @Override
        public void close() {
            d.close();
        }
    }
}
