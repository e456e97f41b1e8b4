package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The Kafka protocol served from the shard store, driven by the real kafka-clients 4.1 producer
 * (defaults: idempotent, acks=all), consumer (group subscription with commits; assign and seek)
 * and AdminClient, against a durable server on free ports.
 */
class KafkaIT {
    @TempDir
    Path dataDir;

    private Tributary server;

    private Tributary start() {
        server = Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--create-stream-delay", "0", "--delete-stream-delay", "0", "--update-stream-delay", "0"}, Map.of()));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers()));
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props);
    }

    /** Polls until {@code count} records arrived (or 30 s passed). */
    private static List<ConsumerRecord<String, String>> pollExactly(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            records.forEach(out::add);
        }
        return out;
    }

    private static void createTopic(Admin admin, String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }

    @Test
    void adminCreatesDescribesListsOffsetsAndDeletesTopics() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "orders", 3);
            assertThat(admin.listTopics().names().get()).containsExactly("orders");
            TopicDescription d = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
            assertThat(d.partitions()).hasSize(3);
            assertThat(d.partitions()).allSatisfy(p -> {
                assertThat(p.leader().id()).isEqualTo(0);
                assertThat(p.replicas()).extracting(n -> n.id()).containsExactly(0);
                assertThat(p.isr()).extracting(n -> n.id()).containsExactly(0);
            });
            assertThat(admin.describeCluster().nodes().get()).extracting(n -> n.id()).containsExactly(0);

            ExecutionException exists = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> createTopic(admin, "orders", 1));
            assertThat(exists.getCause()).isInstanceOf(TopicExistsException.class)
                    .hasMessage("Topic 'orders' already exists.");

            // Record timestamps count for retention (7 days by default), so they are recent ones.
            long t0 = System.currentTimeMillis() - 60_000;
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("orders", 1, t0 + i, "k" + i, "v" + i)).get();
                }
            }
            TopicPartition p1 = new TopicPartition("orders", 1);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest =
                    admin.listOffsets(Map.of(p1, OffsetSpec.latest())).all().get();
            assertThat(latest.get(p1).offset()).isEqualTo(5);
            assertThat(admin.listOffsets(Map.of(p1, OffsetSpec.earliest())).all().get().get(p1).offset()).isZero();
            ListOffsetsResult.ListOffsetsResultInfo byTime =
                    admin.listOffsets(Map.of(p1, OffsetSpec.forTimestamp(t0 + 3))).all().get().get(p1);
            assertThat(byTime.offset()).isEqualTo(3);
            assertThat(byTime.timestamp()).isEqualTo(t0 + 3);
            assertThat(admin.listOffsets(Map.of(p1, OffsetSpec.forTimestamp(t0 + 5))).all().get().get(p1).offset())
                    .isEqualTo(-1);

            admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(5))).all().get();
            assertThat(admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").partitions()).hasSize(5);
            ExecutionException fewer = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(2))).all().get());
            assertThat(fewer.getCause()).isInstanceOf(InvalidPartitionsException.class)
                    .hasMessage("Topic currently has 5 partitions, which is higher than the requested 2.");

            admin.deleteTopics(List.of("orders")).all().get();
            assertThat(admin.listTopics().names().get()).isEmpty();
            ExecutionException gone = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of("orders")).all().get());
            assertThat(gone.getCause()).isInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void idempotentProducerWithDefaultsAndAssignSeekConsumerSeeExactRecords() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "events", 3);
        }
        long t0 = System.currentTimeMillis() - 60_000;
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 300; i++) {
                ProducerRecord<String, String> r = new ProducerRecord<>("events", i % 3, t0 + i, "key-" + i, "value-" + i);
                r.headers().add(new RecordHeader("n", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
                r.headers().add(new RecordHeader("empty", null));
                acked.add(producer.send(r).get());
            }
            producer.send(new ProducerRecord<String, String>("events", 0, (Long) (t0 + 1000), (String) null, (String) null)).get();
        }
        for (int i = 0; i < 300; i++) {
            assertThat(acked.get(i).partition()).isEqualTo(i % 3);
            assertThat(acked.get(i).offset()).isEqualTo(i / 3);
        }
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            TopicPartition p0 = new TopicPartition("events", 0);
            TopicPartition p2 = new TopicPartition("events", 2);
            consumer.assign(List.of(p0, p2));
            consumer.seek(p0, 0);
            consumer.seek(p2, 90);
            List<ConsumerRecord<String, String>> got = pollExactly(consumer, 101 + 10);
            assertThat(got).hasSize(111);
            List<ConsumerRecord<String, String>> fromP0 = got.stream().filter(r -> r.partition() == 0).toList();
            assertThat(fromP0).hasSize(101);
            for (int j = 0; j < 100; j++) {
                ConsumerRecord<String, String> r = fromP0.get(j);
                assertThat(r.offset()).isEqualTo(j);
                assertThat(r.key()).isEqualTo("key-" + (j * 3));
                assertThat(r.value()).isEqualTo("value-" + (j * 3));
                assertThat(r.timestamp()).isEqualTo(t0 + j * 3);
                assertThat(new String(r.headers().lastHeader("n").value(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(j * 3));
                assertThat(r.headers().lastHeader("empty").value()).isNull();
            }
            ConsumerRecord<String, String> tombstone = fromP0.get(100);
            assertThat(tombstone.key()).isNull();
            assertThat(tombstone.value()).isNull();
            assertThat(tombstone.headers().toArray()).isEmpty();
            List<ConsumerRecord<String, String>> fromP2 = got.stream().filter(r -> r.partition() == 2).toList();
            assertThat(fromP2).extracting(ConsumerRecord::offset).containsExactly(90L, 91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L);
            assertThat(fromP2.get(0).value()).isEqualTo("value-" + (90 * 3 + 2));
        }
    }

    @Test
    void acksZeroAndOneProducersAreReadBack() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "acks", 1);
        }
        for (String acks : List.of("0", "1")) {
            try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.ACKS_CONFIG, acks,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"))) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("acks", "k", acks + "-" + i));
                }
                producer.flush();
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            consumer.assign(List.of(new TopicPartition("acks", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("acks", 0)));
            List<ConsumerRecord<String, String>> got = pollExactly(consumer, 20);
            assertThat(got).extracting(ConsumerRecord::value).containsExactly(
                    "0-0", "0-1", "0-2", "0-3", "0-4", "0-5", "0-6", "0-7", "0-8", "0-9",
                    "1-0", "1-1", "1-2", "1-3", "1-4", "1-5", "1-6", "1-7", "1-8", "1-9");
        }
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                server.endpoint().resolve("/_tributary/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tributary_records_in_total{stream=\"kafka/acks\"} 20\n")
                .contains("tributary_records_out_total{stream=\"kafka/acks\"} 20\n")
                .contains("tributary_requests_total{service=\"kafka\",operation=\"Produce\",status=\"200\"}");
    }

    @Test
    void groupConsumerCommitsAndCommittedOffsetsSurviveRestart() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "jobs", 2);
        }
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("jobs", i % 2, (String) null, "job-" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer("workers")) {
            consumer.subscribe(List.of("jobs"));
            List<ConsumerRecord<String, String>> got = pollExactly(consumer, 100);
            assertThat(got).hasSize(100);
            assertThat(got.stream().map(ConsumerRecord::value).sorted().toList())
                    .isEqualTo(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "job-" + i).sorted().toList());
            assertThat(consumer.assignment()).containsExactlyInAnyOrder(new TopicPartition("jobs", 0), new TopicPartition("jobs", 1));
            consumer.commitSync();
        }
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("workers")
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed).containsOnlyKeys(new TopicPartition("jobs", 0), new TopicPartition("jobs", 1));
            assertThat(committed.get(new TopicPartition("jobs", 0)).offset()).isEqualTo(50);
            assertThat(committed.get(new TopicPartition("jobs", 1)).offset()).isEqualTo(50);
            Collection<org.apache.kafka.clients.admin.ConsumerGroupListing> groups = admin.listConsumerGroups().all().get();
            assertThat(groups).extracting(org.apache.kafka.clients.admin.ConsumerGroupListing::groupId).containsExactly("workers");
        }

        server.close();
        start();

        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 100; i < 110; i++) {
                producer.send(new ProducerRecord<>("jobs", i % 2, (String) null, "job-" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer("workers")) {
            consumer.subscribe(List.of("jobs"));
            List<ConsumerRecord<String, String>> got = pollExactly(consumer, 10);
            assertThat(got.stream().map(ConsumerRecord::value).sorted().toList())
                    .isEqualTo(java.util.stream.IntStream.range(100, 110).mapToObj(i -> "job-" + i).sorted().toList());
            assertThat(consumer.poll(Duration.ofMillis(500))).isEmpty();
            assertThat(consumer.committed(java.util.Set.of(new TopicPartition("jobs", 0))).get(new TopicPartition("jobs", 0)).offset())
                    .isEqualTo(50);
            consumer.commitSync();
            try (Admin admin = admin()) {
                ExecutionException busy = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> admin.deleteConsumerGroups(List.of("workers")).all().get());
                assertThat(busy.getCause()).isInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
            }
        }
        try (Admin admin = admin()) {
            admin.deleteConsumerGroups(List.of("workers")).all().get();
            assertThat(admin.listConsumerGroups().all().get()).isEmpty();
            assertThat(admin.listConsumerGroupOffsets("workers").partitionsToOffsetAndMetadata().get()).isEmpty();
            ExecutionException unknown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroups(List.of("workers")).all().get());
            assertThat(unknown.getCause()).isInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
        }
    }

    @Test
    void kinesisAndKafkaDoNotSeeEachOthersStreams() throws Exception {
        start();
        try (Admin admin = admin(); KinesisClient kinesis = KinesisClient.builder().endpointOverride(server.endpoint())
                .region(Clients.REGION).credentialsProvider(Clients.CREDENTIALS).build()) {
            createTopic(admin, "only-kafka", 1);
            kinesis.createStream(b -> b.streamName("only-kinesis").shardCount(1));
            assertThat(kinesis.listStreams(b -> { }).streamNames()).containsExactly("only-kinesis");
            assertThat(admin.listTopics().names().get()).containsExactly("only-kafka");
        }
    }

    @Test
    void metadataAutoCreatesATopicOnFirstProduce() throws Exception {
        start();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            RecordMetadata m = producer.send(new ProducerRecord<>("auto", "k", "v")).get();
            assertThat(m.partition()).isZero();
            assertThat(m.offset()).isZero();
        }
        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(List.of("auto")).allTopicNames().get().get("auto").partitions()).hasSize(1);
        }
    }

    @Test
    void topicConfigsAreDescribedAndAltered() throws Exception {
        start();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("conf", 1, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                    .all().get();
            org.apache.kafka.common.config.ConfigResource topic =
                    new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "conf");
            org.apache.kafka.clients.admin.Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(config.get("retention.ms").source())
                    .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(config.get("cleanup.policy").source())
                    .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            admin.incrementalAlterConfigs(Map.of(topic, List.of(
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "7200000"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
                    new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("cleanup.policy", "compact"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.APPEND)))).all().get();
            config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");

            ExecutionException bad = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                            new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "soon"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get());
            assertThat(bad.getCause()).isInstanceOf(org.apache.kafka.common.errors.InvalidConfigurationException.class)
                    .hasMessage("Invalid value soon for configuration retention.ms");

            org.apache.kafka.common.config.ConfigResource broker =
                    new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.BROKER, "0");
            assertThat(admin.describeConfigs(List.of(broker)).all().get().get(broker).get("auto.create.topics.enable").value())
                    .isEqualTo("true");
        }
    }

    /** SASL_PLAINTEXT clients use the same listener: PLAIN with any credentials; SCRAM is refused clearly. */
    @Test
    void saslPlainClientsConnectAndScramIsRefused() throws Exception {
        start();
        Map<String, Object> plain = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"anything\";");
        try (KafkaProducer<String, String> producer = producer(plain)) {
            assertThat(producer.send(new ProducerRecord<>("sasl", "k", "v")).get().offset()).isZero();
        }
        Map<String, Object> admin = new HashMap<>(plain);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers());
        try (Admin a = Admin.create(admin)) {
            assertThat(a.listTopics().names().get()).containsExactly("sasl");
        }
        Map<String, Object> scram = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.kafkaBootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"));
        try (Admin a = Admin.create(scram)) {
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> a.listTopics().names().get());
            assertThat(refused.getCause()).isInstanceOf(org.apache.kafka.common.errors.UnsupportedSaslMechanismException.class)
                    .hasMessageContaining("PLAIN, OAUTHBEARER, AWS_MSK_IAM");
        }
    }

    private String control(String path, String json) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(server.endpoint().resolve(path)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /**
     * Kafka errors injected through the test-control API: the idempotent producer retries through
     * NOT_ENOUGH_REPLICAS and writes the record once; a consumer refreshes after NOT_LEADER_OR_FOLLOWER;
     * an authorization error reaches the application.
     */
    @Test
    void injectedKafkaErrorsReachTheClients() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "flaky", 2);
        }
        String rule = control("/_tributary/faults/kafka",
                "{\"topic\":\"flaky\",\"partition\":1,\"api\":\"Produce\",\"error\":\"NOT_ENOUGH_REPLICAS\",\"calls\":3}");
        assertThat(rule).contains("\"callsLeft\":3").contains("\"error\":\"NOT_ENOUGH_REPLICAS\"");
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10))) {
            assertThat(producer.send(new ProducerRecord<>("flaky", 1, "k", "once")).get().offset()).isZero();
        }
        String faults = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                server.endpoint().resolve("/_tributary/faults")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(faults).contains("\"kafka\":[]");   // the three injected answers were used up by retries
        control("/_tributary/faults/kafka", "{\"topic\":\"flaky\",\"api\":\"Fetch\",\"error\":\"NOT_LEADER_OR_FOLLOWER\",\"calls\":2}");
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            TopicPartition p1 = new TopicPartition("flaky", 1);
            consumer.assign(List.of(p1));
            consumer.seekToBeginning(List.of(p1));
            assertThat(pollExactly(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("once");
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();

            control("/_tributary/faults/kafka", "{\"topic\":\"flaky\",\"api\":\"Fetch\",\"error\":\"TOPIC_AUTHORIZATION_FAILED\"}");
            org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.common.errors.TopicAuthorizationException.class, () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
            });
        }
        assertThat(control("/_tributary/faults/clear", "{}")).contains("\"cleared\":true");
    }

    /** Deleting a topic forgets the groups' committed offsets of it (a re-created topic starts clean), as Kafka does. */
    @Test
    void deletingATopicForgetsItsCommittedOffsets() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "gone", 1);
            createTopic(admin, "kept", 1);
            admin.alterConsumerGroupOffsets("g", Map.of(new TopicPartition("gone", 0), new OffsetAndMetadata(7),
                    new TopicPartition("kept", 0), new OffsetAndMetadata(3))).all().get();
            assertThat(admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get()).hasSize(2);
            admin.deleteTopics(List.of("gone")).all().get();
            createTopic(admin, "gone", 1);
            Map<TopicPartition, OffsetAndMetadata> left = admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get();
            assertThat(left).containsOnlyKeys(new TopicPartition("kept", 0));
            assertThat(left.get(new TopicPartition("kept", 0)).offset()).isEqualTo(3);
        }
    }

    /**
     * Three consumers of one group share six partitions two each; when one leaves, the other two
     * rebalance to three each; every record is consumed exactly once, in order per partition.
     */
    @Test
    void aGroupOfThreeRebalancesWhenOneLeavesAndConsumesEveryRecordOnce() throws Exception {
        start();
        try (Admin admin = admin()) {
            createTopic(admin, "work", 6);
        }
        java.util.concurrent.ConcurrentLinkedQueue<ConsumerRecord<String, String>> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean stopAll = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean stopFirst = new java.util.concurrent.atomic.AtomicBoolean();
        List<java.util.concurrent.atomic.AtomicReference<java.util.Set<TopicPartition>>> assignments = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            java.util.concurrent.atomic.AtomicReference<java.util.Set<TopicPartition>> assigned =
                    new java.util.concurrent.atomic.AtomicReference<>(java.util.Set.of());
            assignments.add(assigned);
            java.util.concurrent.atomic.AtomicBoolean myStop = c == 0 ? stopFirst : stopAll;
            Thread t = new Thread(() -> {
                try (KafkaConsumer<String, String> consumer = consumer("crew")) {
                    consumer.subscribe(List.of("work"));
                    while (!myStop.get() && !stopAll.get()) {
                        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
                        consumer.commitSync();
                        assigned.set(java.util.Set.copyOf(consumer.assignment()));
                    }
                }
                assigned.set(java.util.Set.of());
            });
            t.start();
            threads.add(t);
        }
        try {
            waitFor(() -> assignments.stream().allMatch(a -> a.get().size() == 2));
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                for (int i = 0; i < 120; i++) {
                    producer.send(new ProducerRecord<>("work", i % 6, "k", "a-" + i)).get();
                }
            }
            waitFor(() -> seen.size() == 120);
            stopFirst.set(true);
            waitFor(() -> assignments.get(1).get().size() == 3 && assignments.get(2).get().size() == 3);
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                for (int i = 0; i < 120; i++) {
                    producer.send(new ProducerRecord<>("work", i % 6, "k", "b-" + i)).get();
                }
            }
            waitFor(() -> seen.size() >= 240);
        } finally {
            stopAll.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
        assertThat(seen).hasSize(240);
        java.util.Set<TopicPartition> union = new java.util.HashSet<>();
        Map<Integer, List<Long>> offsets = new HashMap<>();
        for (ConsumerRecord<String, String> r : seen) {
            offsets.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset());
            union.add(new TopicPartition(r.topic(), r.partition()));
        }
        assertThat(union).hasSize(6);
        for (List<Long> perPartition : offsets.values()) {
            assertThat(perPartition).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, 40).boxed().toList());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 60 s");
            }
            Thread.sleep(50);
        }
    }
}
