package dev.tributary.emulator.msk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.config.KafkaConfig;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StreamExistsException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import dev.tributary.store.api.StreamSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * MSK clusters: their descriptions and the state machine {@code CREATING -> ACTIVE -> DELETING ->
 * gone}, each transition completing after its configured delay on the emulator's clock, evaluated
 * lazily whenever a cluster is looked up (no background thread; a test that moves the clock sees
 * the transition).
 *
 * <p>A cluster is kept in the store as the attributes of a stream {@value #STORE_PREFIX}ARN (one
 * unused shard): {@value #CLUSTER} holds its description as JSON (the V2 {@code Cluster} shape plus
 * the provisioned details), {@value #STATE_UNTIL} the end of a transition. So clusters survive a
 * restart, and every change is atomic.
 *
 * <p>Thread-safe.
 */
public final class MskBackend {
    public static final String STORE_PREFIX = "msk/";
    public static final String CLUSTER = "msk.cluster";
    public static final String STATE_UNTIL = "msk.stateUntil";
    /** Cluster description member (hidden from clients): the brokers of a reboot in progress. */
    public static final String REBOOTING = "_rebooting";

    private final ShardStore store;
    private final KafkaConfig config;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private volatile java.util.function.Consumer<List<Integer>> rebootDone = ids -> { };

    /** Called with the broker ids of a reboot when it ends (the cluster turns ACTIVE again). */
    public void onRebootDone(java.util.function.Consumer<List<Integer>> hook) {
        this.rebootDone = hook;
    }

    /** Every cluster of every account, settled: what the reboot ticker walks. */
    public List<ObjectNode> all() {
        List<ObjectNode> out = new ArrayList<>();
        for (StreamInfo info : store.streams()) {
            if (info.name().startsWith(STORE_PREFIX)) {
                settle(info).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Puts a cluster in REBOOTING_BROKER until {@code delayMillis} from now, remembering the brokers. */
    public ObjectNode startReboot(String arn, List<Integer> brokerIds, long delayMillis, UnaryOperator<ObjectNode> alsoChange) {
        ObjectNode[] result = new ObjectNode[1];
        try {
            store.updateStream(STORE_PREFIX + arn, attrs -> {
                Map<String, String> next = new HashMap<>(attrs);
                ObjectNode c = alsoChange.apply(read(attrs.get(CLUSTER)));
                c.put("state", "REBOOTING_BROKER");
                com.fasterxml.jackson.databind.node.ArrayNode ids = c.putArray(REBOOTING);
                brokerIds.forEach(ids::add);
                result[0] = c;
                next.put(CLUSTER, write(c));
                next.put(STATE_UNTIL, Long.toString(clock.millis() + delayMillis));
                return next;
            }, null);
        } catch (StreamNotFoundException e) {
            throw new MskException(MskError.NOT_FOUND, "The requested resource doesn't exist.", "clusterArn");
        }
        return result[0];
    }

    public MskBackend(ShardStore store, KafkaConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    public ShardStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public KafkaConfig config() {
        return config;
    }

    /** Stores a new cluster in CREATING (or ACTIVE at once with no delay). */
    public ObjectNode create(String account, String region, ObjectNode cluster) {
        String name = cluster.get("clusterName").asText();
        if (list(account, region).stream().anyMatch(c -> c.get("clusterName").asText().equals(name))) {
            throw new MskException(MskError.CONFLICT,
                    "A cluster with the name " + name + " already exists in this account and Region.", "clusterName");
        }
        long delay = config.createClusterDelay().toMillis();
        cluster.put("state", delay > 0 ? "CREATING" : "ACTIVE");
        Map<String, String> attrs = new HashMap<>();
        attrs.put(CLUSTER, write(cluster));
        if (delay > 0) {
            attrs.put(STATE_UNTIL, Long.toString(clock.millis() + delay));
        }
        try {
            store.createStream(new StreamSpec(STORE_PREFIX + cluster.get("clusterArn").asText(), 1, Duration.ofDays(1), attrs));
        } catch (StreamExistsException e) {
            throw new MskException(MskError.CONFLICT, "A cluster with this ARN already exists.", "clusterName");
        }
        return cluster;
    }

    /** The cluster of that ARN with its state settled, if it exists. */
    public Optional<ObjectNode> find(String arn) {
        return store.stream(STORE_PREFIX + arn).flatMap(this::settle);
    }

    /** The cluster, or {@code NotFoundException}. */
    public ObjectNode get(String arn) {
        return find(arn).orElseThrow(() -> new MskException(MskError.NOT_FOUND,
                "The requested resource doesn't exist.", "clusterArn"));
    }

    /** Clusters of an account and region, ordered by name. */
    public List<ObjectNode> list(String account, String region) {
        String prefix = STORE_PREFIX + "arn:aws:kafka:" + region + ":" + account + ":cluster/";
        List<ObjectNode> out = new ArrayList<>();
        for (StreamInfo info : store.streams()) {
            if (info.name().startsWith(prefix)) {
                settle(info).ifPresent(out::add);
            }
        }
        out.sort((a, b) -> a.get("clusterName").asText().compareTo(b.get("clusterName").asText()));
        return out;
    }

    /** Atomically changes a cluster's description. */
    public ObjectNode update(String arn, UnaryOperator<ObjectNode> change) {
        ObjectNode[] result = new ObjectNode[1];
        try {
            store.updateStream(STORE_PREFIX + arn, attrs -> {
                Map<String, String> next = new HashMap<>(attrs);
                result[0] = change.apply(read(attrs.get(CLUSTER)));
                next.put(CLUSTER, write(result[0]));
                return next;
            }, null);
        } catch (StreamNotFoundException e) {
            throw new MskException(MskError.NOT_FOUND, "The requested resource doesn't exist.", "clusterArn");
        }
        return result[0];
    }

    /** DeleteCluster: DELETING for the configured delay, then gone. */
    public ObjectNode delete(String arn) {
        long delay = config.deleteClusterDelay().toMillis();
        if (delay <= 0) {
            ObjectNode cluster = get(arn);
            try {
                store.deleteStream(STORE_PREFIX + arn);
            } catch (StreamNotFoundException e) {
                // deleted meanwhile
            }
            cluster.put("state", "DELETING");
            return cluster;
        }
        ObjectNode[] result = new ObjectNode[1];
        try {
            store.updateStream(STORE_PREFIX + arn, attrs -> {
                Map<String, String> next = new HashMap<>(attrs);
                ObjectNode c = read(attrs.get(CLUSTER));
                c.put("state", "DELETING");
                result[0] = c;
                next.put(CLUSTER, write(c));
                next.put(STATE_UNTIL, Long.toString(clock.millis() + delay));
                return next;
            }, null);
        } catch (StreamNotFoundException e) {
            throw new MskException(MskError.NOT_FOUND, "The requested resource doesn't exist.", "clusterArn");
        }
        return result[0];
    }

    private Optional<ObjectNode> settle(StreamInfo info) {
        ObjectNode cluster = read(info.attributes().get(CLUSTER));
        String until = info.attributes().get(STATE_UNTIL);
        if (until == null || clock.millis() < Long.parseLong(until)) {
            return Optional.of(cluster);
        }
        try {
            if ("DELETING".equals(cluster.path("state").asText())) {
                store.deleteStream(info.name());
                return Optional.empty();
            }
            List<Integer> rebooted = new ArrayList<>();
            StreamInfo settled = store.updateStream(info.name(), attrs -> {
                Map<String, String> next = new HashMap<>(attrs);
                String u = next.get(STATE_UNTIL);
                rebooted.clear();
                if (u != null && clock.millis() >= Long.parseLong(u)) {
                    ObjectNode c = read(next.get(CLUSTER));
                    if ("CREATING".equals(c.path("state").asText())) {
                        c.put("state", "ACTIVE");
                    }
                    if ("REBOOTING_BROKER".equals(c.path("state").asText())) {
                        c.put("state", "ACTIVE");
                        c.path(REBOOTING).forEach(id -> rebooted.add(id.asInt()));
                        c.remove(REBOOTING);
                        String end = java.time.Instant.ofEpochMilli(Long.parseLong(u)).toString();
                        c.path("_operations").forEach(op -> {
                            if ("UPDATE_IN_PROGRESS".equals(op.path("operationState").asText())) {
                                ((ObjectNode) op).put("operationState", "UPDATE_COMPLETE").put("endTime", end);
                            }
                        });
                    }
                    next.put(CLUSTER, write(c));
                    next.remove(STATE_UNTIL);
                }
                return next;
            }, null);
            if (!rebooted.isEmpty()) {
                rebootDone.accept(List.copyOf(rebooted));
            }
            return Optional.of(read(settled.attributes().get(CLUSTER)));
        } catch (StreamNotFoundException e) {
            return Optional.empty();
        }
    }

    private ObjectNode read(String s) {
        try {
            return (ObjectNode) json.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt MSK cluster attribute", e);
        }
    }

    private String write(ObjectNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
