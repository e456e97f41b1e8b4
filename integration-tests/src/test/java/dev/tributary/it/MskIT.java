package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kafka.KafkaClient;
import software.amazon.awssdk.services.kafka.model.BadRequestException;
import software.amazon.awssdk.services.kafka.model.ClusterInfo;
import software.amazon.awssdk.services.kafka.model.ClusterState;
import software.amazon.awssdk.services.kafka.model.ClusterType;
import software.amazon.awssdk.services.kafka.model.ConflictException;
import software.amazon.awssdk.services.kafka.model.CreateClusterResponse;
import software.amazon.awssdk.services.kafka.model.KafkaVersion;
import software.amazon.awssdk.services.kafka.model.NodeInfo;
import software.amazon.awssdk.services.kafka.model.NotFoundException;

/**
 * The MSK control plane through the AWS SDK v2 {@code kafka} client: a cluster goes CREATING ->
 * ACTIVE on the emulator's clock, its bootstrap brokers are the real Kafka listener (a producer and
 * a consumer use them), then DELETING -> gone; V2 serverless clusters, listing, tags, errors, and
 * clusters surviving a restart.
 */
class MskIT {
    @TempDir
    Path dataDir;

    private Tributary server;

    private Tributary start() {
        server = Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString(),
                "--msk-create-cluster-delay", "30s", "--msk-delete-cluster-delay", "10s"}, Map.of()));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private KafkaClient msk() {
        return KafkaClient.builder().endpointOverride(server.endpoint()).region(Clients.REGION)
                .credentialsProvider(Clients.CREDENTIALS).build();
    }

    private static CreateClusterResponse createCluster(KafkaClient msk, String name) {
        return msk.createCluster(b -> b.clusterName(name).kafkaVersion("3.7.x").numberOfBrokerNodes(3)
                .brokerNodeGroupInfo(g -> g.instanceType("kafka.m5.large").clientSubnets("subnet-1", "subnet-2", "subnet-3"))
                .tags(Map.of("team", "data")));
    }

    @Test
    void clusterLifecycleWithBootstrapBrokersThatServeKafka() throws Exception {
        start();
        try (KafkaClient msk = msk()) {
            assertThat(msk.listKafkaVersions(b -> { }).kafkaVersions()).extracting(KafkaVersion::version).contains("3.7.x");
            CreateClusterResponse created = createCluster(msk, "orders");
            assertThat(created.state()).isEqualTo(ClusterState.CREATING);
            assertThat(created.clusterArn()).startsWith("arn:aws:kafka:us-east-1:000000000000:cluster/orders/");
            String arn = created.clusterArn();

            ClusterInfo info = msk.describeCluster(b -> b.clusterArn(arn)).clusterInfo();
            assertThat(info.state()).isEqualTo(ClusterState.CREATING);
            assertThat(info.numberOfBrokerNodes()).isEqualTo(3);
            assertThat(info.currentBrokerSoftwareInfo().kafkaVersion()).isEqualTo("3.7.x");
            assertThat(info.brokerNodeGroupInfo().instanceType()).isEqualTo("kafka.m5.large");
            assertThat(info.tags()).containsExactlyEntriesOf(Map.of("team", "data"));
            assertThat(info.creationTime()).isBefore(Instant.now().plusSeconds(1));
            assertThatThrownBy(() -> msk.getBootstrapBrokers(b -> b.clusterArn(arn)))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith("You can't get bootstrap broker nodes for a cluster in CREATING state.");

            server.clock().advance(Duration.ofSeconds(30));
            assertThat(msk.describeCluster(b -> b.clusterArn(arn)).clusterInfo().state()).isEqualTo(ClusterState.ACTIVE);
            String bootstrap = msk.getBootstrapBrokers(b -> b.clusterArn(arn)).bootstrapBrokerString();
            assertThat(bootstrap).isEqualTo(server.kafkaBootstrapServers());

            List<NodeInfo> nodes = msk.listNodes(b -> b.clusterArn(arn)).nodeInfoList();
            assertThat(nodes).hasSize(1);
            assertThat(nodes.get(0).brokerNodeInfo().brokerId()).isEqualTo(0.0);
            assertThat(nodes.get(0).brokerNodeInfo().endpoints()).containsExactly("127.0.0.1");
            assertThat(nodes.get(0).instanceType()).isEqualTo("kafka.m5.large");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                producer.send(new ProducerRecord<>("msk-topic", "k", "hello msk")).get();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
                TopicPartition tp = new TopicPartition("msk-topic", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<String, String>> got = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
                assertThat(got).extracting(ConsumerRecord::value).containsExactly("hello msk");
            }

            assertThat(msk.deleteCluster(b -> b.clusterArn(arn)).state()).isEqualTo(ClusterState.DELETING);
            assertThat(msk.describeCluster(b -> b.clusterArn(arn)).clusterInfo().state()).isEqualTo(ClusterState.DELETING);
            server.clock().advance(Duration.ofSeconds(10));
            assertThatThrownBy(() -> msk.describeCluster(b -> b.clusterArn(arn))).isInstanceOf(NotFoundException.class)
                    .hasMessageStartingWith("The requested resource doesn't exist.");
            assertThat(msk.listClusters(b -> { }).clusterInfoList()).isEmpty();
        }
    }

    @Test
    void listingFiltersV2ServerlessTagsAndErrors() {
        start();
        try (KafkaClient msk = msk()) {
            String a = createCluster(msk, "alpha").clusterArn();
            createCluster(msk, "beta");
            createCluster(msk, "alpine");
            String serverless = msk.createClusterV2(b -> b.clusterName("lambda")
                    .serverless(s -> s.vpcConfigs(v -> v.subnetIds("subnet-9")))).clusterArn();

            assertThat(msk.listClusters(b -> { }).clusterInfoList()).extracting(ClusterInfo::clusterName)
                    .containsExactly("alpha", "alpine", "beta");
            assertThat(msk.listClusters(b -> b.clusterNameFilter("al")).clusterInfoList()).extracting(ClusterInfo::clusterName)
                    .containsExactly("alpha", "alpine");
            var page = msk.listClusters(b -> b.maxResults(2));
            assertThat(page.clusterInfoList()).hasSize(2);
            assertThat(msk.listClusters(b -> b.maxResults(2).nextToken(page.nextToken())).clusterInfoList())
                    .extracting(ClusterInfo::clusterName).containsExactly("beta");
            assertThat(msk.listClustersV2(b -> b.clusterTypeFilter("SERVERLESS")).clusterInfoList())
                    .extracting(c -> c.clusterName()).containsExactly("lambda");
            assertThat(msk.listClustersV2(b -> { }).clusterInfoList()).hasSize(4);

            var v2 = msk.describeClusterV2(b -> b.clusterArn(serverless)).clusterInfo();
            assertThat(v2.clusterType()).isEqualTo(ClusterType.SERVERLESS);
            assertThat(v2.serverless().vpcConfigs().get(0).subnetIds()).containsExactly("subnet-9");
            assertThat(msk.describeClusterV2(b -> b.clusterArn(a)).clusterInfo().provisioned().numberOfBrokerNodes()).isEqualTo(3);
            assertThatThrownBy(() -> msk.describeCluster(b -> b.clusterArn(serverless))).isInstanceOf(BadRequestException.class);

            msk.tagResource(b -> b.resourceArn(a).tags(Map.of("env", "dev", "owner", "me")));
            msk.untagResource(b -> b.resourceArn(a).tagKeys("owner"));
            assertThat(msk.listTagsForResource(b -> b.resourceArn(a)).tags())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("team", "data", "env", "dev"));

            assertThatThrownBy(() -> createCluster(msk, "alpha")).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> msk.createCluster(b -> b.clusterName("v").kafkaVersion("0.8").numberOfBrokerNodes(1)
                    .brokerNodeGroupInfo(g -> g.instanceType("kafka.t3.small").clientSubnets("s"))))
                    .isInstanceOf(BadRequestException.class).hasMessageStartingWith("Unsupported KafkaVersion [0.8].");
            assertThatThrownBy(() -> msk.updateBrokerCount(b -> b.clusterArn(a).currentVersion("V").targetNumberOfBrokerNodes(6)))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith("Tributary does not support the MSK operation UpdateBrokerCount yet.");
            assertThatThrownBy(() -> msk.describeCluster(b -> b.clusterArn(a + "x"))).isInstanceOf(NotFoundException.class);
        }
    }

    /** MSK's topic API and Kafka's AdminClient see the same topics. */
    @Test
    void topicApiManagesTheTopicsKafkaClientsSee() throws Exception {
        start();
        try (KafkaClient msk = msk(); org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", server.kafkaBootstrapServers()))) {
            String arn = createCluster(msk, "topics").clusterArn();
            assertThatThrownBy(() -> msk.createTopic(b -> b.clusterArn(arn).topicName("early").partitionCount(1).replicationFactor(1)))
                    .isInstanceOf(BadRequestException.class);
            server.clock().advance(Duration.ofSeconds(30));
            String configs = java.util.Base64.getEncoder().encodeToString("{\"retention.ms\":\"3600000\"}".getBytes());
            var created = msk.createTopic(b -> b.clusterArn(arn).topicName("payments").partitionCount(3).replicationFactor(1)
                    .configs(configs));
            assertThat(created.topicArn()).startsWith("arn:aws:kafka:us-east-1:000000000000:topic/topics/").endsWith("/payments");
            assertThat(created.statusAsString()).isEqualTo("CREATING");
            assertThatThrownBy(() -> msk.createTopic(b -> b.clusterArn(arn).topicName("payments").partitionCount(1)
                    .replicationFactor(1))).isInstanceOf(ConflictException.class);

            var described = msk.describeTopic(b -> b.clusterArn(arn).topicName("payments"));
            assertThat(described.partitionCount()).isEqualTo(3);
            assertThat(described.replicationFactor()).isEqualTo(1);
            assertThat(described.statusAsString()).isEqualTo("ACTIVE");
            assertThat(new String(java.util.Base64.getDecoder().decode(described.configs())))
                    .isEqualTo("{\"retention.ms\":\"3600000\"}");
            assertThat(admin.describeTopics(List.of("payments")).allTopicNames().get().get("payments").partitions()).hasSize(3);

            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("audit", 1, (short) 1))).all().get();
            assertThat(msk.listTopics(b -> b.clusterArn(arn)).topics()).extracting(t -> t.topicName())
                    .containsExactly("audit", "payments");
            assertThat(msk.listTopics(b -> b.clusterArn(arn).topicNameFilter("pay")).topics()).singleElement()
                    .satisfies(t -> {
                        assertThat(t.partitionCount()).isEqualTo(3);
                        assertThat(t.outOfSyncReplicaCount()).isZero();
                    });
            assertThat(msk.describeTopicPartitions(b -> b.clusterArn(arn).topicName("payments")).partitions())
                    .extracting(p -> p.partition() + ":" + p.leader() + ":" + p.replicas() + ":" + p.isr())
                    .containsExactly("0:0:[0]:[0]", "1:0:[0]:[0]", "2:0:[0]:[0]");

            msk.updateTopic(b -> b.clusterArn(arn).topicName("payments").partitionCount(4));
            assertThat(admin.describeTopics(List.of("payments")).allTopicNames().get().get("payments").partitions()).hasSize(4);

            msk.deleteTopic(b -> b.clusterArn(arn).topicName("payments"));
            assertThat(admin.listTopics().names().get()).containsExactly("audit");
            assertThatThrownBy(() -> msk.describeTopic(b -> b.clusterArn(arn).topicName("payments")))
                    .isInstanceOf(NotFoundException.class).hasMessageStartingWith("The topic payments does not exist.");
        }
    }

    /** What Terraform's aws_msk_configuration and a configuration update do: revisions, cluster operation, in-use refusal. */
    @Test
    void configurationsRevisionsAndClusterConfigurationUpdates() {
        start();
        try (KafkaClient msk = msk()) {
            var created = msk.createConfiguration(b -> b.name("strict").description("first")
                    .kafkaVersions("3.7.x").serverProperties(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                            "auto.create.topics.enable=false\nmin.insync.replicas=2\n")));
            String configArn = created.arn();
            assertThat(configArn).startsWith("arn:aws:kafka:us-east-1:000000000000:configuration/strict/");
            assertThat(created.latestRevision().revision()).isEqualTo(1L);
            assertThatThrownBy(() -> msk.createConfiguration(b -> b.name("strict")
                    .serverProperties(software.amazon.awssdk.core.SdkBytes.fromUtf8String("a=b"))))
                    .isInstanceOf(ConflictException.class);

            var updated = msk.updateConfiguration(b -> b.arn(configArn).description("second")
                    .serverProperties(software.amazon.awssdk.core.SdkBytes.fromUtf8String("min.insync.replicas=1\n")));
            assertThat(updated.latestRevision().revision()).isEqualTo(2L);
            assertThat(msk.describeConfiguration(b -> b.arn(configArn)).latestRevision().description()).isEqualTo("second");
            assertThat(msk.describeConfigurationRevision(b -> b.arn(configArn).revision(1L)).serverProperties().asUtf8String())
                    .isEqualTo("auto.create.topics.enable=false\nmin.insync.replicas=2\n");
            assertThat(msk.listConfigurationRevisions(b -> b.arn(configArn)).revisions()).extracting(r -> r.revision())
                    .containsExactly(1L, 2L);
            assertThat(msk.listConfigurations(b -> { }).configurations()).extracting(c -> c.name()).containsExactly("strict");
            assertThatThrownBy(() -> msk.describeConfigurationRevision(b -> b.arn(configArn).revision(3L)))
                    .isInstanceOf(NotFoundException.class);

            String cluster = msk.createCluster(b -> b.clusterName("configured").kafkaVersion("3.7.x").numberOfBrokerNodes(1)
                    .brokerNodeGroupInfo(g -> g.instanceType("kafka.t3.small").clientSubnets("s"))
                    .configurationInfo(c -> c.arn(configArn).revision(1L))).clusterArn();
            assertThat(msk.describeCluster(b -> b.clusterArn(cluster)).clusterInfo().currentBrokerSoftwareInfo()
                    .configurationRevision()).isEqualTo(1L);
            assertThatThrownBy(() -> msk.deleteConfiguration(b -> b.arn(configArn))).isInstanceOf(BadRequestException.class)
                    .hasMessageStartingWith("The configuration is in use by the cluster " + cluster);

            server.clock().advance(Duration.ofSeconds(30));
            String version = msk.describeCluster(b -> b.clusterArn(cluster)).clusterInfo().currentVersion();
            assertThatThrownBy(() -> msk.updateClusterConfiguration(b -> b.clusterArn(cluster).currentVersion("WRONG")
                    .configurationInfo(c -> c.arn(configArn).revision(2L)))).isInstanceOf(BadRequestException.class);
            var update = msk.updateClusterConfiguration(b -> b.clusterArn(cluster).currentVersion(version)
                    .configurationInfo(c -> c.arn(configArn).revision(2L)));
            var operation = msk.describeClusterOperation(b -> b.clusterOperationArn(update.clusterOperationArn()))
                    .clusterOperationInfo();
            assertThat(operation.operationState()).isEqualTo("UPDATE_COMPLETE");
            assertThat(operation.operationType()).isEqualTo("UPDATE_CLUSTER_CONFIGURATION");
            assertThat(operation.sourceClusterInfo().configurationInfo().revision()).isEqualTo(1L);
            assertThat(operation.targetClusterInfo().configurationInfo().revision()).isEqualTo(2L);
            assertThat(msk.listClusterOperations(b -> b.clusterArn(cluster)).clusterOperationInfoList()).hasSize(1);
            ClusterInfo after = msk.describeCluster(b -> b.clusterArn(cluster)).clusterInfo();
            assertThat(after.currentBrokerSoftwareInfo().configurationRevision()).isEqualTo(2L);
            assertThat(after.currentVersion()).isNotEqualTo(version);

            msk.deleteCluster(b -> b.clusterArn(cluster));
            server.clock().advance(Duration.ofSeconds(10));
            assertThat(msk.deleteConfiguration(b -> b.arn(configArn)).stateAsString()).isEqualTo("DELETING");
            assertThatThrownBy(() -> msk.describeConfiguration(b -> b.arn(configArn))).isInstanceOf(NotFoundException.class);
        }
    }

    /**
     * RebootBroker is a real outage: the broker's listener refuses connections while the cluster is
     * REBOOTING_BROKER, a producer's send waits, and both recover when the reboot time passes on
     * the emulator's clock; no acknowledged record is lost.
     */
    @Test
    void rebootBrokerTakesTheListenerDownUntilTheRebootEnds() throws Exception {
        start();
        try (KafkaClient msk = msk()) {
            String arn = createCluster(msk, "reboot").clusterArn();
            server.clock().advance(Duration.ofSeconds(30));
            String bootstrap = msk.getBootstrapBrokers(b -> b.clusterArn(arn)).bootstrapBrokerString();
            int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
                producer.send(new ProducerRecord<>("uptime", 0, "k", "before")).get();

                var reboot = msk.rebootBroker(b -> b.clusterArn(arn).brokerIds("0"));
                assertThat(msk.describeCluster(b -> b.clusterArn(arn)).clusterInfo().state())
                        .isEqualTo(ClusterState.REBOOTING_BROKER);
                assertThat(msk.describeClusterOperation(b -> b.clusterOperationArn(reboot.clusterOperationArn()))
                        .clusterOperationInfo().operationState()).isEqualTo("UPDATE_IN_PROGRESS");
                assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                        .isInstanceOf(java.net.ConnectException.class);
                assertThat(msk.getBootstrapBrokers(b -> b.clusterArn(arn)).bootstrapBrokerString()).isEqualTo(bootstrap);

                var during = producer.send(new ProducerRecord<>("uptime", 0, "k", "during"));
                org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.TimeoutException.class,
                        () -> during.get(1, java.util.concurrent.TimeUnit.SECONDS));

                server.clock().advance(Duration.ofSeconds(5));
                assertThat(during.get(30, java.util.concurrent.TimeUnit.SECONDS).offset()).isEqualTo(1);
                assertThat(msk.describeCluster(b -> b.clusterArn(arn)).clusterInfo().state()).isEqualTo(ClusterState.ACTIVE);
                assertThat(msk.describeClusterOperation(b -> b.clusterOperationArn(reboot.clusterOperationArn()))
                        .clusterOperationInfo().operationState()).isEqualTo("UPDATE_COMPLETE");
            }
            assertThatThrownBy(() -> msk.rebootBroker(b -> b.clusterArn(arn).brokerIds("7")))
                    .isInstanceOf(BadRequestException.class).hasMessageStartingWith("The broker 7 does not exist in the cluster.");
        }
    }

    @Test
    void clustersSurviveARestart() {
        start();
        String arn;
        try (KafkaClient msk = msk()) {
            arn = createCluster(msk, "durable").clusterArn();
        }
        server.close();
        start();
        try (KafkaClient msk = msk()) {
            ClusterInfo info = msk.describeCluster(b -> b.clusterArn(arn)).clusterInfo();
            assertThat(info.clusterName()).isEqualTo("durable");
            assertThat(info.state()).isEqualTo(ClusterState.CREATING);
        }
    }
}
