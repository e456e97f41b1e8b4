package dev.tributary.emulator.kafka;

import dev.tributary.store.api.KeyRange;
import dev.tributary.store.api.NewShard;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * Kafka topics as store streams. Topic {@code t} is the store stream {@code kafka/t}; partition
 * {@code p} is its shard {@code p} (Kafka partitions never close, so shard indexes and partition
 * numbers stay equal). The stream carries the attribute {@value #KIND} = {@code topic}, the topic
 * id ({@value #TOPIC_ID}) and the topic configs given at creation ({@value #CONFIG_PREFIX}name).
 * Kinesis keeps its streams under {@code account/region/name} and Firehose under
 * {@code firehose/}, so neither lists a topic, and Kafka lists only streams with the attribute.
 *
 * <p>Thread-safe: every change is one atomic store operation.
 */
public final class KafkaTopics {
    public static final String STORE_PREFIX = "kafka/";
    public static final String KIND = "kafka.kind";
    public static final String TOPIC_ID = "kafka.topicId";
    public static final String CONFIG_PREFIX = "kafka.config.";
    /** Kafka's default {@code retention.ms}: 7 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** What {@code retention.ms=-1} (keep forever) becomes: the store needs a finite retention. */
    static final Duration FOREVER = Duration.ofDays(365L * 1000);
    /** Tributary's cap on partitions per topic (Kafka has none; each partition is a store shard with files). */
    public static final int MAX_PARTITIONS = 10_000;
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final ShardStore store;

    public KafkaTopics(ShardStore store) {
        this.store = store;
    }

    public ShardStore store() {
        return store;
    }

    public static String storeName(String topic) {
        return STORE_PREFIX + topic;
    }

    /** The topic, if it exists. */
    public Optional<StreamInfo> find(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        return store.stream(storeName(topic)).filter(KafkaTopics::isTopic);
    }

    static boolean isTopic(StreamInfo info) {
        return info.name().startsWith(STORE_PREFIX) && "topic".equals(info.attributes().get(KIND));
    }

    /** Every topic, ordered by name. */
    public List<StreamInfo> all() {
        List<StreamInfo> out = new ArrayList<>();
        for (StreamInfo info : store.streams()) {
            if (isTopic(info)) {
                out.add(info);
            }
        }
        return out;
    }

    public static String topicName(StreamInfo info) {
        return info.name().substring(STORE_PREFIX.length());
    }

    public static Uuid topicId(StreamInfo info) {
        String id = info.attributes().get(TOPIC_ID);
        return id == null ? Uuid.ZERO_UUID : Uuid.fromString(id);
    }

    /** Partition count: every shard of a topic is a partition. */
    public static int partitions(StreamInfo info) {
        return info.shards().size();
    }

    /** The topic of that id, if it exists. */
    public Optional<StreamInfo> byId(Uuid id) {
        return all().stream().filter(t -> topicId(t).equals(id)).findFirst();
    }

    /** Null when the name is legal, else Kafka's reason. */
    public static String invalidNameReason(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "Topic name is illegal, it can't be empty";
        }
        if (topic.equals(".") || topic.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (topic.length() > 249) {
            return "Topic name is illegal, it can't be longer than 249 characters, topic name: " + topic;
        }
        if (!LEGAL_NAME.matcher(topic).matches()) {
            return "Topic name \"" + topic + "\" is illegal, it contains a character other than "
                    + "ASCII alphanumerics, '.', '_' and '-'";
        }
        return null;
    }

    /**
     * Creates a topic.
     *
     * @throws StreamExistsException     if it exists
     * @throws IllegalArgumentException  on a bad config value or replication factor
     */
    public StreamInfo create(String topic, int partitions, int replicationFactor, Map<String, String> configs) {
        Map<String, String> attrs = new HashMap<>();
        attrs.put(KIND, "topic");
        attrs.put(TOPIC_ID, new Uuid(UUID.randomUUID().getMostSignificantBits(),
                UUID.randomUUID().getLeastSignificantBits()).toString());
        for (Map.Entry<String, String> c : configs.entrySet()) {
            if (c.getValue() != null) {
                attrs.put(CONFIG_PREFIX + c.getKey(), c.getValue());
            }
        }
        return store.createStream(new StreamSpec(storeName(topic), partitions, retention(configs), attrs,
                Math.max(0, replicationFactor)));
    }

    static Duration retention(Map<String, String> configs) {
        String ms = configs.get("retention.ms");
        if (ms == null) {
            return DEFAULT_RETENTION;
        }
        long v;
        try {
            v = Long.parseLong(ms.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value " + ms + " for configuration retention.ms");
        }
        if (v == -1) {
            return FOREVER;
        }
        if (v <= 0) {
            throw new IllegalArgumentException("Invalid value " + ms + " for configuration retention.ms");
        }
        return Duration.ofMillis(v);
    }

    /** Adds partitions up to {@code totalCount}: new open shards covering the whole key space (keys do not route Kafka records). */
    public StreamInfo addPartitions(StreamInfo topic, int totalCount) {
        int add = totalCount - partitions(topic);
        List<NewShard> shards = new ArrayList<>(Collections.nCopies(add,
                new NewShard(KeyRange.all(), OptionalInt.empty(), OptionalInt.empty())));
        return store.reshard(topic.name(), shards, List.of());
    }

    /**
     * Replaces a topic's configs (the ones set on it, not Kafka's defaults) and applies
     * {@code retention.ms} to the stream's retention.
     *
     * @throws IllegalArgumentException on a bad {@code retention.ms}
     */
    public StreamInfo replaceConfigs(StreamInfo topic, Map<String, String> configs) {
        Duration retention = retention(configs);
        return store.updateStream(topic.name(), attrs -> {
            Map<String, String> next = new HashMap<>();
            attrs.forEach((k, v) -> {
                if (!k.startsWith(CONFIG_PREFIX)) {
                    next.put(k, v);
                }
            });
            configs.forEach((k, v) -> {
                if (v != null) {
                    next.put(CONFIG_PREFIX + k, v);
                }
            });
            return next;
        }, retention);
    }

    /** Deletes the topic, and every group's committed offsets of it, as Kafka does. */
    public void delete(StreamInfo topic) {
        store.deleteStream(topic.name());
        String prefix = "o/" + topicName(topic) + "/";
        for (StreamInfo s : store.streams()) {
            if (s.name().startsWith(GroupCoordinator.STORE_PREFIX) && s.attributes().keySet().stream().anyMatch(k -> k.startsWith(prefix))) {
                try {
                    store.updateStream(s.name(), attrs -> {
                        Map<String, String> next = new HashMap<>(attrs);
                        // o/<topic>/<partition> of this topic only (a topic name has no '/')
                        next.keySet().removeIf(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0);
                        return next;
                    }, null);
                } catch (dev.tributary.store.api.StreamNotFoundException e) {
                    // the group was deleted meanwhile
                }
            }
        }
    }

    /** The topic configs given at creation. */
    public static Map<String, String> configs(StreamInfo info) {
        Map<String, String> out = new HashMap<>();
        info.attributes().forEach((k, v) -> {
            if (k.startsWith(CONFIG_PREFIX)) {
                out.put(k.substring(CONFIG_PREFIX.length()), v);
            }
        });
        return out;
    }
}
