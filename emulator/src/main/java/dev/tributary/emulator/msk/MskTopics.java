package dev.tributary.emulator.msk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kafka.KafkaTopics;
import dev.tributary.store.api.ReplicaState;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MSK's topic API (CreateTopic, DescribeTopic, ListTopics, UpdateTopic, DeleteTopic,
 * DescribeTopicPartitions) over the very topics Kafka clients see ({@link KafkaTopics}). Topic
 * {@code configs} travel as Base64 of a JSON object of config names to values (a
 * {@code server.properties}-style text is accepted too).
 *
 * <p>Thread-safe: each change is one atomic store operation.
 */
final class MskTopics {
    private final KafkaTopics topics;
    private final ObjectMapper json = new ObjectMapper();

    MskTopics(KafkaTopics topics) {
        this.topics = topics;
    }

    static String topicArn(ObjectNode cluster, String topic) {
        String arn = cluster.get("clusterArn").asText();
        return arn.replaceFirst(":cluster/", ":topic/") + "/" + topic;
    }

    private static void requireActive(ObjectNode cluster) {
        String state = cluster.path("state").asText();
        if (!state.equals("ACTIVE")) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster is in " + state
                    + " state; topics can be managed only while it is ACTIVE.", "clusterArn");
        }
    }

    private StreamInfo topic(String name) {
        return topics.find(name).orElseThrow(() -> new MskException(MskError.NOT_FOUND,
                "The topic " + name + " does not exist.", "topicName"));
    }

    private Map<String, String> decodeConfigs(String base64) {
        Map<String, String> out = new TreeMap<>();
        if (base64 == null || base64.isEmpty()) {
            return out;
        }
        String text;
        try {
            text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MskException(MskError.BAD_REQUEST, "configs must be Base64.", "configs");
        }
        try {
            JsonNode n = json.readTree(text);
            if (n != null && n.isObject()) {
                n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
                return out;
            }
        } catch (Exception notJson) {
            // a properties text, then
        }
        for (String line : text.split("\\R")) {
            String l = line.trim();
            int eq = l.indexOf('=');
            if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                out.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private String encodeConfigs(StreamInfo topic) {
        try {
            return Base64.getEncoder().encodeToString(json.writeValueAsBytes(new TreeMap<>(KafkaTopics.configs(topic))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int replicationFactor(StreamInfo topic) {
        return topics.store().replicaState(topic.name(), 0).replicas().size();
    }

    private ObjectNode status(ObjectNode cluster, String name, String status) {
        ObjectNode out = json.createObjectNode();
        out.put("topicArn", topicArn(cluster, name));
        out.put("topicName", name);
        out.put("status", status);
        return out;
    }

    JsonNode create(ObjectNode cluster, ObjectNode in) {
        requireActive(cluster);
        String name = in.path("topicName").asText(null);
        if (name == null) {
            throw new MskException(MskError.BAD_REQUEST, "The request is missing the required parameter topicName.", "topicName");
        }
        String invalid = KafkaTopics.invalidNameReason(name);
        if (invalid != null) {
            throw new MskException(MskError.BAD_REQUEST, invalid, "topicName");
        }
        int partitions = in.path("partitionCount").asInt(0);
        int rf = in.path("replicationFactor").asInt(0);
        if (partitions < 1 || partitions > KafkaTopics.MAX_PARTITIONS) {
            throw new MskException(MskError.BAD_REQUEST, "partitionCount must be between 1 and " + KafkaTopics.MAX_PARTITIONS
                    + ".", "partitionCount");
        }
        int nodes = topics.store().nodes().size();
        if (rf < 1 || rf > nodes) {
            throw new MskException(MskError.BAD_REQUEST, "replicationFactor must be between 1 and the number of brokers ("
                    + nodes + ").", "replicationFactor");
        }
        Map<String, String> configs = decodeConfigs(in.path("configs").asText(null));
        try {
            topics.create(name, partitions, rf, configs);
        } catch (StreamExistsException e) {
            throw new MskException(MskError.CONFLICT, "The topic " + name + " already exists.", "topicName");
        } catch (IllegalArgumentException e) {
            throw new MskException(MskError.BAD_REQUEST, e.getMessage(), "configs");
        }
        return status(cluster, name, "CREATING");
    }

    JsonNode describe(ObjectNode cluster, String name) {
        StreamInfo topic = topic(name);
        ObjectNode out = status(cluster, name, "ACTIVE");
        out.put("partitionCount", KafkaTopics.partitions(topic));
        out.put("replicationFactor", replicationFactor(topic));
        out.put("configs", encodeConfigs(topic));
        return out;
    }

    JsonNode list(ObjectNode cluster, String prefix, int max, String after) {
        ArrayNode list = json.createArrayNode();
        String last = null;
        boolean more = false;
        for (StreamInfo t : topics.all()) {
            String name = KafkaTopics.topicName(t);
            if ((prefix != null && !name.startsWith(prefix)) || (after != null && name.compareTo(after) <= 0)) {
                continue;
            }
            if (list.size() == max) {
                more = true;
                break;
            }
            int outOfSync = 0;
            for (int p = 0; p < KafkaTopics.partitions(t); p++) {
                ReplicaState rs = topics.store().replicaState(t.name(), p);
                outOfSync += rs.replicas().size() - rs.isr().size();
            }
            ObjectNode info = list.addObject();
            info.put("topicArn", topicArn(cluster, name));
            info.put("topicName", name);
            info.put("partitionCount", KafkaTopics.partitions(t));
            info.put("replicationFactor", replicationFactor(t));
            info.put("outOfSyncReplicaCount", outOfSync);
            last = name;
        }
        ObjectNode out = json.createObjectNode();
        out.set("topics", list);
        if (more) {
            out.put("nextToken", Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    JsonNode partitions(String name, int max, int from) {
        StreamInfo topic = topic(name);
        ArrayNode list = json.createArrayNode();
        int count = KafkaTopics.partitions(topic);
        int p = from;
        for (; p < count && list.size() < max; p++) {
            ReplicaState rs = topics.store().replicaState(topic.name(), p);
            ObjectNode n = list.addObject();
            n.put("partition", p);
            n.put("leader", rs.leader());
            ArrayNode replicas = n.putArray("replicas");
            rs.replicas().forEach(replicas::add);
            ArrayNode isr = n.putArray("isr");
            rs.isr().forEach(isr::add);
        }
        ObjectNode out = json.createObjectNode();
        out.set("partitions", list);
        if (p < count) {
            out.put("nextToken", Integer.toString(p));
        }
        return out;
    }

    JsonNode update(ObjectNode cluster, String name, ObjectNode in) {
        requireActive(cluster);
        StreamInfo topic = topic(name);
        try {
            if (in.has("configs")) {
                Map<String, String> next = new LinkedHashMap<>(KafkaTopics.configs(topic));
                next.putAll(decodeConfigs(in.get("configs").asText()));
                topic = topics.replaceConfigs(topic, next);
            }
            if (in.has("partitionCount")) {
                int count = in.get("partitionCount").asInt();
                int current = KafkaTopics.partitions(topic);
                if (count < current) {
                    throw new MskException(MskError.BAD_REQUEST, "Topic currently has " + current
                            + " partitions, which is higher than the requested " + count + ".", "partitionCount");
                }
                if (count > KafkaTopics.MAX_PARTITIONS) {
                    throw new MskException(MskError.BAD_REQUEST, "partitionCount must be at most "
                            + KafkaTopics.MAX_PARTITIONS + ".", "partitionCount");
                }
                if (count > current) {
                    topics.addPartitions(topic, count);
                }
            }
        } catch (StreamNotFoundException e) {
            throw new MskException(MskError.NOT_FOUND, "The topic " + name + " does not exist.", "topicName");
        } catch (IllegalArgumentException e) {
            throw new MskException(MskError.BAD_REQUEST, e.getMessage(), "configs");
        }
        return status(cluster, name, "UPDATING");
    }

    JsonNode delete(ObjectNode cluster, String name) {
        requireActive(cluster);
        StreamInfo topic = topic(name);
        try {
            topics.delete(topic);
        } catch (StreamNotFoundException e) {
            // gone meanwhile
        }
        return status(cluster, name, "DELETING");
    }

    static List<String> operations() {
        return List.of("CreateTopic", "DescribeTopic", "ListTopics", "UpdateTopic", "DeleteTopic", "DescribeTopicPartitions");
    }
}
