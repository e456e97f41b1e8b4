package dev.tributary.emulator.kafka;

import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeConfigs and IncrementalAlterConfigs for topics (and DescribeConfigs for brokers).
 *
 * <p>A topic's configs are Kafka's defaults overlaid with the ones set at creation or altered
 * (kept as {@link KafkaTopics#CONFIG_PREFIX} attributes). {@code retention.ms} is applied to the
 * store stream's retention; the others are kept and reported but not applied (see docs/kafka.md).
 *
 * <p>Thread-safe: each change is one atomic store update.
 */
final class ConfigsHandler {
    static final byte TOPIC = 2;
    static final byte BROKER = 4;
    /** Kafka's config sources. */
    private static final byte DYNAMIC_TOPIC_CONFIG = 1;
    private static final byte STATIC_BROKER_CONFIG = 4;
    private static final byte DEFAULT_CONFIG = 5;
    /** Kafka's config types. */
    private static final byte BOOLEAN = 1;
    private static final byte STRING = 2;
    private static final byte INT = 3;
    private static final byte LONG = 5;
    private static final byte LIST = 7;

    /** Kafka's topic-level defaults: name to {value, type}. */
    static final Map<String, Object[]> TOPIC_DEFAULTS = new LinkedHashMap<>();
    /** What each broker reports about itself. */
    static final Map<String, Object[]> BROKER_CONFIGS = new LinkedHashMap<>();

    static {
        TOPIC_DEFAULTS.put("cleanup.policy", new Object[] {"delete", LIST});
        TOPIC_DEFAULTS.put("compression.type", new Object[] {"producer", STRING});
        TOPIC_DEFAULTS.put("max.message.bytes", new Object[] {"1048588", INT});
        TOPIC_DEFAULTS.put("message.timestamp.type", new Object[] {"CreateTime", STRING});
        TOPIC_DEFAULTS.put("min.insync.replicas", new Object[] {"1", INT});
        TOPIC_DEFAULTS.put("retention.bytes", new Object[] {"-1", LONG});
        TOPIC_DEFAULTS.put("retention.ms", new Object[] {Long.toString(KafkaTopics.DEFAULT_RETENTION.toMillis()), LONG});
        TOPIC_DEFAULTS.put("segment.bytes", new Object[] {"1073741824", INT});
        TOPIC_DEFAULTS.put("segment.ms", new Object[] {"604800000", LONG});
        TOPIC_DEFAULTS.put("unclean.leader.election.enable", new Object[] {"false", BOOLEAN});
        BROKER_CONFIGS.put("auto.create.topics.enable", new Object[] {"true", BOOLEAN});
        BROKER_CONFIGS.put("default.replication.factor", new Object[] {"1", INT});
        BROKER_CONFIGS.put("group.initial.rebalance.delay.ms", new Object[] {"0", INT});
        BROKER_CONFIGS.put("log.retention.hours", new Object[] {"168", INT});
        BROKER_CONFIGS.put("message.max.bytes", new Object[] {"1048588", INT});
        BROKER_CONFIGS.put("num.partitions", new Object[] {Integer.toString(TopicAdmin.DEFAULT_PARTITIONS), INT});
        BROKER_CONFIGS.put("socket.request.max.bytes", new Object[] {Integer.toString(KafkaBroker.MAX_FRAME_BYTES), INT});
    }

    private final KafkaTopics topics;

    ConfigsHandler(KafkaTopics topics) {
        this.topics = topics;
    }

    DescribeConfigsResponseData describe(KafkaBroker broker, DescribeConfigsRequestData req, short v) {
        DescribeConfigsResponseData out = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource r : req.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(r.resourceType()).setResourceName(r.resourceName()).setErrorCode(Errors.NONE.code());
            out.results().add(result);
            Map<String, Object[]> values = new LinkedHashMap<>();
            if (r.resourceType() == TOPIC) {
                StreamInfo topic = topics.find(r.resourceName()).orElse(null);
                if (topic == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                            .setErrorMessage("The topic '" + r.resourceName() + "' does not exist.");
                    continue;
                }
                TOPIC_DEFAULTS.forEach((k, d) -> values.put(k, new Object[] {d[0], d[1], DEFAULT_CONFIG}));
                KafkaTopics.configs(topic).forEach((k, val) -> values.put(k, new Object[] {val,
                        TOPIC_DEFAULTS.containsKey(k) ? TOPIC_DEFAULTS.get(k)[1] : STRING, DYNAMIC_TOPIC_CONFIG}));
            } else if (r.resourceType() == BROKER) {
                if (!r.resourceName().isEmpty() && !r.resourceName().equals(Integer.toString(broker.nodeId()))) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Unexpected broker id, expected " + broker.nodeId() + " or empty string, but received "
                                    + r.resourceName());
                    continue;
                }
                BROKER_CONFIGS.forEach((k, d) -> values.put(k, new Object[] {d[0], d[1], STATIC_BROKER_CONFIG}));
                values.put("broker.id", new Object[] {Integer.toString(broker.nodeId()), INT, STATIC_BROKER_CONFIG});
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Tributary describes only topic and broker configs");
                continue;
            }
            List<DescribeConfigsResponseData.DescribeConfigsResourceResult> configs = new ArrayList<>();
            values.forEach((k, d) -> {
                if (r.configurationKeys() == null || r.configurationKeys().contains(k)) {
                    DescribeConfigsResponseData.DescribeConfigsResourceResult c =
                            new DescribeConfigsResponseData.DescribeConfigsResourceResult().setName(k).setValue((String) d[0])
                                    .setReadOnly(r.resourceType() == BROKER).setIsSensitive(false).setConfigSource((byte) d[2]);
                    if (v >= 3) {
                        c.setConfigType((byte) d[1]);
                    }
                    configs.add(c);
                }
            });
            result.setConfigs(configs);
        }
        return out;
    }

    IncrementalAlterConfigsResponseData alter(IncrementalAlterConfigsRequestData req) {
        IncrementalAlterConfigsResponseData out = new IncrementalAlterConfigsResponseData();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource r : req.resources()) {
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse().setResourceType(r.resourceType())
                            .setResourceName(r.resourceName()).setErrorCode(Errors.NONE.code());
            out.responses().add(result);
            if (r.resourceType() != TOPIC) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Tributary alters only topic configs");
                continue;
            }
            StreamInfo topic = topics.find(r.resourceName()).orElse(null);
            if (topic == null) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("The topic '" + r.resourceName() + "' does not exist.");
                continue;
            }
            Map<String, String> next = KafkaTopics.configs(topic);
            String error = null;
            for (IncrementalAlterConfigsRequestData.AlterableConfig c : r.configs()) {
                switch (c.configOperation()) {
                    case 0 -> next.put(c.name(), c.value());
                    case 1 -> next.remove(c.name());
                    case 2, 3 -> {
                        List<String> items = new ArrayList<>();
                        String current = next.getOrDefault(c.name(),
                                TOPIC_DEFAULTS.containsKey(c.name()) ? (String) TOPIC_DEFAULTS.get(c.name())[0] : "");
                        for (String s : current.split(",")) {
                            if (!s.isBlank()) {
                                items.add(s.trim());
                            }
                        }
                        for (String s : c.value() == null ? new String[0] : c.value().split(",")) {
                            if (c.configOperation() == 2 && !items.contains(s.trim())) {
                                items.add(s.trim());
                            } else if (c.configOperation() == 3) {
                                items.remove(s.trim());
                            }
                        }
                        next.put(c.name(), String.join(",", items));
                    }
                    default -> error = "Unknown config operation " + c.configOperation();
                }
            }
            try {
                KafkaTopics.retention(next);
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
            if (error != null) {
                result.setErrorCode(Errors.INVALID_CONFIG.code()).setErrorMessage(error);
                continue;
            }
            if (req.validateOnly()) {
                continue;
            }
            try {
                topics.replaceConfigs(topic, next);
            } catch (StreamNotFoundException e) {
                result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
        }
        return out;
    }
}
