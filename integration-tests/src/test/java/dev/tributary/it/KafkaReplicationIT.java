package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers over a three-node replicated store ({@code --nodes 3 --replication-factor 3
 * --min-insync-replicas 2}): each node is a broker with its own listener, leaders spread, the
 * leader's node stopping during production loses no acknowledged record (the idempotent producer
 * follows the new leader without duplicates), and a second node down gives {@code NOT_ENOUGH_REPLICAS}.
 */
class KafkaReplicationIT {
    @TempDir
    Path dataDir;

    private Tributary server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void node(int id, String action) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(server.endpoint().resolve("/_tributary/nodes/" + id + "/" + action))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20, ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    private TopicPartitionInfo partition0(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of("ha")).allTopicNames().get().get("ha");
        return d.partitions().get(0);
    }

    @Test
    void leaderFailoverLosesNothingAndASecondFailureGivesNotEnoughReplicas() throws Exception {
        server = Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--nodes", "3", "--replication-factor", "3", "--min-insync-replicas", "2"}, Map.of()));
        assertThat(server.kafkaBootstrapServers().split(",")).hasSize(3);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.kafkaBootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
            admin.createTopics(List.of(new NewTopic("ha", 3, (short) 3))).all().get();
            TopicDescription d = admin.describeTopics(List.of("ha")).allTopicNames().get().get("ha");
            assertThat(d.partitions()).extracting(p -> p.leader().id()).containsExactly(0, 1, 2);
            assertThat(d.partitions()).allSatisfy(p -> {
                assertThat(p.replicas()).hasSize(3);
                assertThat(p.isr()).hasSize(3);
            });

            int leader = partition0(admin).leader().id();
            List<Long> offsets = new ArrayList<>();
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                for (int i = 0; i < 100; i++) {
                    offsets.add(producer.send(new ProducerRecord<>("ha", 0, "k", "v" + i)).get().offset());
                }
                node(leader, "stop");
                for (int i = 100; i < 200; i++) {
                    offsets.add(producer.send(new ProducerRecord<>("ha", 0, "k", "v" + i)).get().offset());
                }
            }
            assertThat(offsets).isEqualTo(java.util.stream.LongStream.range(0, 200).boxed().toList());
            TopicPartitionInfo after = partition0(admin);
            assertThat(after.leader().id()).isNotEqualTo(leader);
            assertThat(after.isr()).extracting(Node::id).doesNotContain(leader).hasSize(2);
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).doesNotContain(leader).hasSize(2);

            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", server.kafkaBootstrapServers(),
                    "key.deserializer", StringDeserializer.class.getName(),
                    "value.deserializer", StringDeserializer.class.getName()))) {
                TopicPartition tp = new TopicPartition("ha", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<String, String>> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.size() < 200 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertThat(got).extracting(ConsumerRecord::value)
                        .isEqualTo(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "v" + i).toList());
            }

            int follower = after.isr().stream().map(Node::id).filter(id -> id != after.leader().id()).findFirst().orElseThrow();
            node(follower, "stop");
            try (KafkaProducer<String, String> strict = producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                    ProducerConfig.RETRIES_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all"))) {
                ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> strict.send(new ProducerRecord<>("ha", 0, "k", "refused")).get());
                assertThat(refused.getCause()).isInstanceOf(NotEnoughReplicasException.class);
            }
            try (KafkaProducer<String, String> leaderOnly = producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                    ProducerConfig.ACKS_CONFIG, "1"))) {
                assertThat(leaderOnly.send(new ProducerRecord<>("ha", 0, "k", "acks1")).get().offset()).isEqualTo(200);
            }

            node(leader, "start");
            node(follower, "start");
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                assertThat(producer.send(new ProducerRecord<>("ha", 0, "k", "back")).get().offset()).isEqualTo(201);
            }
        }
    }
}
