package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.EmulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.1 runs a word count against Tributary: its AdminClient creates the repartition
 * and changelog topics (with their configs), its consumer joins a classic group with the Streams
 * assignor, and the counts come out exact.
 */
class KafkaStreamsIT {
    @TempDir
    Path stateDir;

    @Test
    void wordCountTopologyCountsExactly() throws Exception {
        try (Tributary server = Tributary.start(EmulatorConfig.forTests())) {
            String bootstrap = server.kafkaBootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("lines", 2, (short) 1), new NewTopic("counts", 2, (short) 1)))
                        .all().get();
            }
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
                    .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split(" ")))
                    .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                    .count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("word-counts"))
                            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                    .toStream()
                    .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "wordcount");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
                streams.start();
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                        "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
                    for (String line : List.of("the quick brown fox", "the lazy dog", "The fox")) {
                        producer.send(new ProducerRecord<>("lines", line, line)).get();
                    }
                }
                Map<String, Long> counts = new HashMap<>();
                Map<String, Long> expected = Map.of("the", 3L, "quick", 1L, "brown", 1L, "fox", 2L, "lazy", 1L, "dog", 1L);
                try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                        "group.id", "reader", "auto.offset.reset", "earliest",
                        "key.deserializer", StringDeserializer.class.getName(), "value.deserializer", LongDeserializer.class.getName()))) {
                    consumer.subscribe(List.of("counts"));
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (!counts.equals(expected) && System.nanoTime() < deadline) {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> counts.put(r.key(), r.value()));
                    }
                }
                assertThat(counts).isEqualTo(expected);
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    assertThat(admin.listTopics().names().get()).contains("wordcount-word-counts-changelog",
                            "wordcount-word-counts-repartition");
                }
            }
        }
    }
}
