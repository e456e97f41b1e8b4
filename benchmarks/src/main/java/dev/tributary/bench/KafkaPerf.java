package dev.tributary.bench;

import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

/**
 * Kafka throughput against a running Tributary (or any broker): creates a 4-partition topic,
 * produces N records of S bytes with the given acks (idempotent for acks=all, the Java default;
 * linger.ms=5, batch.size=64 KiB), then consumes them all with assign + seekToBeginning. The topic
 * takes the server's default replication factor.
 *
 * <pre>java -cp benchmarks/target/tributary-bench.jar dev.tributary.bench.KafkaPerf 127.0.0.1:9092 1000000 100 all</pre>
 */
public final class KafkaPerf {
    private KafkaPerf() {
    }

    public static void main(String[] a) throws Exception {
        String bootstrap = a[0];
        int n = Integer.parseInt(a[1]);
        int size = Integer.parseInt(a[2]);
        String acks = a[3];
        String topic = "perf-" + acks + "-" + size + "-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(4), Optional.empty()))).all().get();
        }
        byte[] value = new byte[size];
        Map<String, Object> p = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "acks", acks, "linger.ms", 5,
                "batch.size", 65536, "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()));
        if (acks.equals("1")) p.put("enable.idempotence", "false");
        long t0 = System.nanoTime();
        AtomicLong errors = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, null, value), (m, e) -> { if (e != null) errors.incrementAndGet(); });
            }
            producer.flush();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("produce %d x %d B acks=%s: %.0f records/s, %.1f MB/s, errors=%d%n", n, size, acks, n / secs, n * (double) size / secs / 1e6, errors.get());
        Map<String, Object> c = Map.of("bootstrap.servers", bootstrap, "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(), "max.poll.records", 10000);
        t0 = System.nanoTime();
        long got = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < 4; i++) tps.add(new TopicPartition(topic, i));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (got < n) got += consumer.poll(Duration.ofMillis(500)).count();
        }
        secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("consume %d: %.0f records/s, %.1f MB/s%n", got, got / secs, got * (double) size / secs / 1e6);
    }
}
