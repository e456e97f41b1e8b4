package dev.tributary.emulator.kafka;

import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * CreateTopics, DeleteTopics, CreatePartitions and Metadata's auto-creation, with Kafka's error
 * codes and messages. A topic's partitions are shards of one store stream ({@link KafkaTopics}).
 *
 * <p>Thread-safe: each change is one atomic store operation.
 */
final class TopicAdmin {
    /** Kafka's {@code num.partitions} default, used by auto-creation and {@code numPartitions=-1}. */
    static final int DEFAULT_PARTITIONS = 1;

    private final KafkaApis apis;
    private final KafkaTopics topics;

    TopicAdmin(KafkaApis apis, KafkaTopics topics) {
        this.apis = apis;
        this.topics = topics;
    }

    /** Metadata's auto-creation ({@code auto.create.topics.enable=true}, as Kafka's default); null if it lost a race to a delete. */
    StreamInfo autoCreate(String name) {
        try {
            return topics.create(name, DEFAULT_PARTITIONS, 0, Map.of());
        } catch (StreamExistsException e) {
            return topics.find(name).orElse(null);
        }
    }

    CreateTopicsResponseData createTopics(CreateTopicsRequestData req, short v) {
        CreateTopicsResponseData out = new CreateTopicsResponseData();
        int nodes = topics.store().nodes().size();
        for (CreateTopicsRequestData.CreatableTopic t : req.topics()) {
            CreateTopicsResponseData.CreatableTopicResult r = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(t.name());
            out.topics().add(r);
            int partitions = t.numPartitions() == -1 ? DEFAULT_PARTITIONS : t.numPartitions();
            int rf = t.replicationFactor() == -1 ? 0 : t.replicationFactor();
            Map<String, String> configs = new HashMap<>();
            for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs()) {
                configs.put(c.name(), c.value());
            }
            String invalid = KafkaTopics.invalidNameReason(t.name());
            if (invalid != null) {
                error(r, Errors.INVALID_TOPIC_EXCEPTION, invalid);
            } else if (!t.assignments().isEmpty()) {
                error(r, Errors.INVALID_REQUEST, "Manual replica assignments are not supported by Tributary");
            } else if (partitions < 1) {
                error(r, Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
            } else if (partitions > KafkaTopics.MAX_PARTITIONS) {
                error(r, Errors.INVALID_PARTITIONS, "Tributary allows at most " + KafkaTopics.MAX_PARTITIONS
                        + " partitions per topic.");
            } else if (rf == 0 && t.replicationFactor() != -1 || rf < 0) {
                error(r, Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0.");
            } else if (rf > nodes) {
                error(r, Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition " + rf
                        + " time(s): The target replication factor of " + rf
                        + " cannot be reached because only " + nodes + " broker(s) are registered.");
            } else if (topics.find(t.name()).isPresent()
                    || topics.store().stream(KafkaTopics.storeName(t.name())).isPresent()) {
                error(r, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + t.name() + "' already exists.");
            } else {
                try {
                    KafkaTopics.retention(configs);
                    if (req.validateOnly()) {
                        fill(r, null, partitions, rf, v);
                    } else {
                        StreamInfo created = topics.create(t.name(), partitions, rf, configs);
                        fill(r, created, partitions, rf, v);
                    }
                } catch (StreamExistsException e) {
                    error(r, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + t.name() + "' already exists.");
                } catch (IllegalArgumentException e) {
                    error(r, Errors.INVALID_CONFIG, e.getMessage());
                }
            }
        }
        return out;
    }

    private void fill(CreateTopicsResponseData.CreatableTopicResult r, StreamInfo created, int partitions, int rf, short v) {
        r.setErrorCode(Errors.NONE.code());
        if (v >= 5) {
            int replication = rf > 0 ? rf : created != null
                    ? topics.store().replicaState(created.name(), 0).replicas().size() : 1;
            r.setNumPartitions(partitions).setReplicationFactor((short) replication);
            if (created != null) {
                for (Map.Entry<String, String> c : KafkaTopics.configs(created).entrySet()) {
                    r.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs().setName(c.getKey())
                            .setValue(c.getValue()).setConfigSource((byte) 1).setIsSensitive(false).setReadOnly(false));
                }
            }
        }
        if (v >= 7 && created != null) {
            r.setTopicId(KafkaTopics.topicId(created));
        }
    }

    private static void error(CreateTopicsResponseData.CreatableTopicResult r, Errors e, String message) {
        r.setErrorCode(e.code()).setErrorMessage(message).setNumPartitions(-1).setReplicationFactor((short) -1);
        r.setConfigs(null);
    }

    DeleteTopicsResponseData deleteTopics(DeleteTopicsRequestData req, short v) {
        DeleteTopicsResponseData out = new DeleteTopicsResponseData();
        if (v < 6) {
            for (String name : req.topicNames()) {
                out.responses().add(deleteOne(name, null, v));
            }
        } else {
            for (DeleteTopicsRequestData.DeleteTopicState t : req.topics()) {
                out.responses().add(deleteOne(t.name(), t.topicId(), v));
            }
        }
        return out;
    }

    private DeleteTopicsResponseData.DeletableTopicResult deleteOne(String name, Uuid id, short v) {
        DeleteTopicsResponseData.DeletableTopicResult r = new DeleteTopicsResponseData.DeletableTopicResult().setName(name);
        StreamInfo topic = name != null ? topics.find(name).orElse(null)
                : id != null && !id.equals(Uuid.ZERO_UUID) ? topics.byId(id).orElse(null) : null;
        if (topic == null) {
            Errors e = name == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            r.setErrorCode(e.code());
            if (v >= 5) {
                r.setErrorMessage(e.message());
            }
            if (v >= 6) {
                r.setTopicId(KafkaApis.zeroIfNull(id));
            }
            return r;
        }
        try {
            topics.delete(topic);
        } catch (StreamNotFoundException e) {
            // deleted meanwhile: the outcome the caller wanted
        }
        apis.topicDeleted(topic);
        r.setName(KafkaTopics.topicName(topic)).setErrorCode(Errors.NONE.code());
        if (v >= 6) {
            r.setTopicId(KafkaTopics.topicId(topic));
        }
        return r;
    }

    CreatePartitionsResponseData createPartitions(CreatePartitionsRequestData req, short v) {
        CreatePartitionsResponseData out = new CreatePartitionsResponseData();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : req.topics()) {
            CreatePartitionsResponseData.CreatePartitionsTopicResult r =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(t.name());
            out.results().add(r);
            StreamInfo topic = topics.find(t.name()).orElse(null);
            if (topic == null) {
                r.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                        .setErrorMessage("The topic '" + t.name() + "' does not exist.");
                continue;
            }
            int current = KafkaTopics.partitions(topic);
            if (t.assignments() != null) {
                r.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Manual replica assignments are not supported by Tributary");
            } else if (t.count() < current) {
                r.setErrorCode(Errors.INVALID_PARTITIONS.code()).setErrorMessage("Topic currently has " + current
                        + " partitions, which is higher than the requested " + t.count() + ".");
            } else if (t.count() > KafkaTopics.MAX_PARTITIONS) {
                r.setErrorCode(Errors.INVALID_PARTITIONS.code()).setErrorMessage("Tributary allows at most "
                        + KafkaTopics.MAX_PARTITIONS + " partitions per topic.");
            } else if (t.count() == current) {
                r.setErrorCode(Errors.INVALID_PARTITIONS.code())
                        .setErrorMessage("Topic already has " + current + " partitions.");
            } else if (!req.validateOnly()) {
                try {
                    topics.addPartitions(topic, t.count());
                    r.setErrorCode(Errors.NONE.code());
                } catch (StreamNotFoundException e) {
                    r.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                }
            }
        }
        return out;
    }
}
