package dev.tributary.emulator.kafka;

import dev.tributary.store.api.LeaderNotAvailableException;
import dev.tributary.store.api.NotEnoughReplicasException;
import dev.tributary.store.api.OffsetOutOfRangeException;
import dev.tributary.store.api.ReplicaState;
import dev.tributary.store.api.ReplicationTimeoutException;
import dev.tributary.store.api.ShardNotFoundException;
import dev.tributary.store.api.StorageException;
import dev.tributary.store.api.StreamInfo;
import dev.tributary.store.api.StreamNotFoundException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka APIs every broker serves: the advertised versions, dispatch by API key, and the small
 * APIs (ApiVersions, Metadata, FindCoordinator, InitProducerId); Produce, Fetch, ListOffsets,
 * topic administration and consumer groups have classes of their own.
 *
 * <p>Any broker answers for any group (it names itself as the coordinator); partition requests
 * are answered only by the partition's leader, as the store's replica state says.
 *
 * <p>Thread-safe; called concurrently by every connection of every broker.
 */
public final class KafkaApis {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaApis.class);
    /** Returned by {@link #handle} when the connection must be closed. */
    static final ByteBuffer CLOSE = ByteBuffer.allocate(0);
    public static final String CLUSTER_ID = "tributary-kafka-0000000";

    /** Advertised version ranges: only what is implemented (no transactions, no KIP-848, no telemetry). */
    static final Map<ApiKeys, short[]> SUPPORTED = new EnumMap<>(ApiKeys.class);

    static {
        // Produce: advertised from 0 so librdkafka keeps compression on; v0-2 are refused on arrival.
        put(ApiKeys.PRODUCE, 0, 11);
        put(ApiKeys.FETCH, 4, 12);
        put(ApiKeys.LIST_OFFSETS, 1, 7);
        put(ApiKeys.METADATA, 0, 12);
        put(ApiKeys.OFFSET_COMMIT, 2, 9);
        put(ApiKeys.OFFSET_FETCH, 1, 9);
        put(ApiKeys.FIND_COORDINATOR, 0, 6);
        put(ApiKeys.JOIN_GROUP, 0, 9);
        put(ApiKeys.HEARTBEAT, 0, 4);
        put(ApiKeys.LEAVE_GROUP, 0, 5);
        put(ApiKeys.SYNC_GROUP, 0, 5);
        put(ApiKeys.DESCRIBE_GROUPS, 0, 5);
        put(ApiKeys.LIST_GROUPS, 0, 5);
        put(ApiKeys.DELETE_GROUPS, 0, 2);
        put(ApiKeys.API_VERSIONS, 0, 4);
        put(ApiKeys.CREATE_TOPICS, 2, 7);
        put(ApiKeys.DELETE_TOPICS, 1, 6);
        put(ApiKeys.INIT_PRODUCER_ID, 0, 5);
        put(ApiKeys.CREATE_PARTITIONS, 0, 3);
        put(ApiKeys.DESCRIBE_CONFIGS, 1, 4);
        // v0 of SaslHandshake sends raw tokens outside Kafka framing: only v1 is offered.
        put(ApiKeys.SASL_HANDSHAKE, 1, 1);
        put(ApiKeys.SASL_AUTHENTICATE, 0, 2);
        put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1);
    }

    private static void put(ApiKeys key, int min, int max) {
        // Never advertise past what the pinned kafka-clients can parse.
        SUPPORTED.put(key, new short[] {(short) min, (short) Math.min(max, key.latestVersion())});
    }

    private final KafkaServer server;
    private final KafkaTopics topics;
    private final Clock clock;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final TopicAdmin admin;
    private final GroupCoordinator groups;
    private final ConfigsHandler configs;
    private final SaslHandler sasl = new SaslHandler();

    /** What one connection remembers between requests. Used by that connection's thread only. */
    static final class Session {
        final String clientHost;
        String saslMechanism;
        String principal;

        Session(String clientHost) {
            this.clientHost = clientHost;
        }
    }
    private final AtomicLong nextProducerId;

    private final KafkaFaults faults;

    private final dev.tributary.emulator.metrics.Metrics metrics;

    KafkaApis(KafkaServer server, KafkaTopics topics, Clock clock, KafkaFaults faults,
              dev.tributary.emulator.metrics.Metrics metrics) {
        this.faults = faults;
        this.metrics = metrics;
        this.server = server;
        this.topics = topics;
        this.clock = clock;
        this.produce = new ProduceHandler(this, topics, metrics);
        this.fetch = new FetchHandler(this, topics, metrics);
        this.admin = new TopicAdmin(this, topics);
        this.groups = new GroupCoordinator(topics, clock);
        this.configs = new ConfigsHandler(topics);
        // Unique across restarts without persisting a counter: the start time in microseconds.
        this.nextProducerId = new AtomicLong(System.currentTimeMillis() * 1000);
    }

    GroupCoordinator groups() {
        return groups;
    }

    KafkaServer server() {
        return server;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Answers one request frame: the response frame, null when the request gets no response
     * (Produce with acks=0), or {@link #CLOSE}.
     */
    ByteBuffer handle(KafkaBroker broker, Session session, ByteBuffer frame) {
        if (!server.nodeRunning(broker.nodeId())) {
            // the node stopped; its listener closes within 100 ms, its connections at once
            return CLOSE;
        }
        short keyId = KafkaCodec.peekApiKey(frame);
        if (keyId == ApiKeys.API_VERSIONS.id) {
            short v = KafkaCodec.peekApiVersion(frame);
            if (v < 0 || v > SUPPORTED.get(ApiKeys.API_VERSIONS)[1]) {
                // A newer client: answer in v0 with UNSUPPORTED_VERSION and our ranges, so it retries lower.
                return KafkaCodec.encode(ApiKeys.API_VERSIONS, (short) 0, KafkaCodec.peekCorrelationId(frame),
                        apiVersions(Errors.UNSUPPORTED_VERSION));
            }
        }
        KafkaCodec.Request request;
        try {
            if (keyId < 0 || !ApiKeys.hasId(keyId)) {
                return CLOSE;
            }
            request = KafkaCodec.decode(frame);
        } catch (RuntimeException e) {
            LOG.debug("Unparseable Kafka request, closing nodeId={} apiKey={}", broker.nodeId(), keyId, e);
            return CLOSE;
        }
        ApiKeys key = request.apiKey();
        short version = request.version();
        short[] range = SUPPORTED.get(key);
        ApiMessage response;
        long t0 = System.nanoTime();
        int status = 200;
        String failure = null;
        try {
            if (range == null || version < range[0] || version > range[1]
                    || (key == ApiKeys.PRODUCE && version < 3)) {
                response = request.body().getErrorResponse(0, Errors.UNSUPPORTED_VERSION.exception()).data();
            } else {
                response = dispatch(broker, session, request);
            }
        } catch (RuntimeException e) {
            if (e instanceof dev.tributary.store.api.StorageException && "the store is closed".equals(e.getMessage())) {
                // A long poll still running while the emulator shuts down: expected, not a failure.
                LOG.debug("Kafka request ended by shutdown nodeId={} apiKey={}", broker.nodeId(), key);
            } else {
                LOG.warn("Kafka request failed nodeId={} apiKey={} version={}", broker.nodeId(), key, version, e);
            }
            status = 500;
            failure = Errors.UNKNOWN_SERVER_ERROR.name();
            try {
                response = request.body().getErrorResponse(0, Errors.UNKNOWN_SERVER_ERROR.exception()).data();
            } catch (RuntimeException e2) {
                return CLOSE;
            }
        }
        metrics.request("kafka", key.name, status, failure, System.nanoTime() - t0);
        if (response == null) {
            return null;
        }
        return KafkaCodec.encode(key, version, request.header().correlationId(), response);
    }

    private ApiMessage dispatch(KafkaBroker broker, Session session, KafkaCodec.Request request) {
        String clientHost = session.clientHost;
        AbstractRequest body = request.body();
        short v = request.version();
        String clientId = request.header().clientId() == null ? "" : request.header().clientId();
        return switch (request.apiKey()) {
            case API_VERSIONS -> apiVersions(Errors.NONE);
            case METADATA -> metadata((MetadataRequestData) body.data(), v);
            case PRODUCE -> produce.handle(broker, (org.apache.kafka.common.message.ProduceRequestData) body.data(), v);
            case FETCH -> fetch.handle(broker, (org.apache.kafka.common.message.FetchRequestData) body.data(), v);
            case LIST_OFFSETS -> fetch.listOffsets(broker, (org.apache.kafka.common.message.ListOffsetsRequestData) body.data(), v);
            case CREATE_TOPICS -> admin.createTopics((org.apache.kafka.common.message.CreateTopicsRequestData) body.data(), v);
            case DELETE_TOPICS -> admin.deleteTopics((org.apache.kafka.common.message.DeleteTopicsRequestData) body.data(), v);
            case CREATE_PARTITIONS -> admin.createPartitions((org.apache.kafka.common.message.CreatePartitionsRequestData) body.data(), v);
            case INIT_PRODUCER_ID -> initProducerId((InitProducerIdRequestData) body.data());
            case FIND_COORDINATOR -> findCoordinator(broker, (FindCoordinatorRequestData) body.data(), v);
            case JOIN_GROUP -> groups.join((org.apache.kafka.common.message.JoinGroupRequestData) body.data(), v, clientId, clientHost);
            case SYNC_GROUP -> groups.sync((org.apache.kafka.common.message.SyncGroupRequestData) body.data(), v);
            case HEARTBEAT -> groups.heartbeat((org.apache.kafka.common.message.HeartbeatRequestData) body.data());
            case LEAVE_GROUP -> groups.leave((org.apache.kafka.common.message.LeaveGroupRequestData) body.data(), v);
            case OFFSET_COMMIT -> groups.commit((org.apache.kafka.common.message.OffsetCommitRequestData) body.data(), v);
            case OFFSET_FETCH -> groups.fetchOffsets((org.apache.kafka.common.message.OffsetFetchRequestData) body.data(), v);
            case DESCRIBE_GROUPS -> groups.describe((org.apache.kafka.common.message.DescribeGroupsRequestData) body.data(), v);
            case LIST_GROUPS -> groups.list((org.apache.kafka.common.message.ListGroupsRequestData) body.data());
            case DELETE_GROUPS -> groups.delete((org.apache.kafka.common.message.DeleteGroupsRequestData) body.data());
            case SASL_HANDSHAKE -> sasl.handshake(session, (org.apache.kafka.common.message.SaslHandshakeRequestData) body.data());
            case SASL_AUTHENTICATE -> sasl.authenticate(session, (org.apache.kafka.common.message.SaslAuthenticateRequestData) body.data());
            case DESCRIBE_CONFIGS -> configs.describe(broker, (org.apache.kafka.common.message.DescribeConfigsRequestData) body.data(), v);
            case INCREMENTAL_ALTER_CONFIGS -> configs.alter((org.apache.kafka.common.message.IncrementalAlterConfigsRequestData) body.data());
            default -> body.getErrorResponse(0, Errors.UNSUPPORTED_VERSION.exception()).data();
        };
    }

    static ApiVersionsResponseData apiVersions(Errors error) {
        ApiVersionsResponseData out = new ApiVersionsResponseData().setErrorCode(error.code());
        for (Map.Entry<ApiKeys, short[]> e : SUPPORTED.entrySet()) {
            out.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey(e.getKey().id)
                    .setMinVersion(e.getValue()[0]).setMaxVersion(e.getValue()[1]));
        }
        return out;
    }

    // ---- Metadata ------------------------------------------------------------------------------

    private MetadataResponseData metadata(MetadataRequestData req, short v) {
        MetadataResponseData out = new MetadataResponseData().setClusterId(CLUSTER_ID)
                .setControllerId(server.controllerId());
        for (KafkaServer.BrokerAddress b : server.brokers()) {
            out.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(b.nodeId())
                    .setHost(b.host()).setPort(b.port()));
        }
        List<StreamInfo> selected = new ArrayList<>();
        boolean all = req.topics() == null || (v == 0 && req.topics().isEmpty());
        if (all) {
            selected.addAll(topics.all());
        } else {
            for (MetadataRequestData.MetadataRequestTopic t : req.topics()) {
                String name = t.name();
                StreamInfo info = name != null ? topics.find(name).orElse(null)
                        : topics.byId(t.topicId()).orElse(null);
                if (info == null && name != null && KafkaTopics.invalidNameReason(name) != null) {
                    out.topics().add(new MetadataResponseData.MetadataResponseTopic().setName(name)
                            .setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()));
                    continue;
                }
                if (info == null && name != null && (v < 4 || req.allowAutoTopicCreation())) {
                    info = admin.autoCreate(name);
                }
                if (info == null) {
                    MetadataResponseData.MetadataResponseTopic missing = new MetadataResponseData.MetadataResponseTopic()
                            .setName(name).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    if (v >= 10 && name == null) {
                        missing.setTopicId(t.topicId());
                    }
                    out.topics().add(missing);
                    continue;
                }
                selected.add(info);
            }
        }
        for (StreamInfo info : selected) {
            MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic()
                    .setName(KafkaTopics.topicName(info)).setErrorCode(Errors.NONE.code()).setIsInternal(false);
            if (v >= 10) {
                topic.setTopicId(KafkaTopics.topicId(info));
            }
            for (int p = 0; p < KafkaTopics.partitions(info); p++) {
                MetadataResponseData.MetadataResponsePartition part = new MetadataResponseData.MetadataResponsePartition()
                        .setPartitionIndex(p);
                try {
                    ReplicaState rs = topics.store().replicaState(info.name(), p);
                    part.setLeaderId(rs.leader()).setReplicaNodes(rs.replicas()).setIsrNodes(rs.isr())
                            .setErrorCode(rs.leader() < 0 ? Errors.LEADER_NOT_AVAILABLE.code() : Errors.NONE.code());
                    if (v >= 7) {
                        part.setLeaderEpoch(rs.leaderEpoch());
                    }
                    if (v >= 5) {
                        List<Integer> offline = new ArrayList<>();
                        for (int r : rs.replicas()) {
                            if (!server.isRunning(r)) {
                                offline.add(r);
                            }
                        }
                        part.setOfflineReplicas(offline);
                    }
                } catch (StreamNotFoundException | ShardNotFoundException e) {
                    part.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()).setLeaderId(-1);
                }
                topic.partitions().add(part);
            }
            out.topics().add(topic);
        }
        return out;
    }

    // ---- coordinators and producer ids -----------------------------------------------------------

    private FindCoordinatorResponseData findCoordinator(KafkaBroker broker, FindCoordinatorRequestData req, short v) {
        FindCoordinatorResponseData out = new FindCoordinatorResponseData();
        boolean transaction = req.keyType() == 1;
        Errors error = transaction ? Errors.UNSUPPORTED_VERSION : Errors.NONE;
        String message = transaction ? "Transactions are not supported by Tributary yet" : null;
        int node = transaction ? -1 : broker.nodeId();
        String host = transaction ? "" : broker.host();
        int port = transaction ? -1 : broker.port();
        if (v >= 4) {
            for (String key : req.coordinatorKeys()) {
                out.coordinators().add(new FindCoordinatorResponseData.Coordinator().setKey(key).setNodeId(node)
                        .setHost(host).setPort(port).setErrorCode(error.code()).setErrorMessage(message));
            }
        } else {
            out.setErrorCode(error.code()).setNodeId(node).setHost(host).setPort(port);
            if (v >= 1) {
                out.setErrorMessage(message);
            }
        }
        return out;
    }

    private InitProducerIdResponseData initProducerId(InitProducerIdRequestData req) {
        InitProducerIdResponseData out = new InitProducerIdResponseData();
        if (req.transactionalId() != null) {
            return out.setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setProducerId(-1).setProducerEpoch((short) -1);
        }
        if (req.producerId() >= 0 && req.producerEpoch() >= 0 && req.producerEpoch() < Short.MAX_VALUE - 1) {
            // An idempotent producer bumping its epoch after an error keeps its id.
            return out.setProducerId(req.producerId()).setProducerEpoch((short) (req.producerEpoch() + 1));
        }
        return out.setProducerId(nextProducerId.getAndIncrement()).setProducerEpoch((short) 0);
    }

    /** Forgets what was kept in memory for a deleted topic. */
    void topicDeleted(StreamInfo topic) {
        produce.forget(topic);
    }

    // ---- shared by the partition handlers -------------------------------------------------------

    /**
     * Null when {@code broker} leads the partition, else the error a client gets: Kafka's answer to a
     * request that reached a follower, or an offline partition.
     */
    Errors leaderError(KafkaBroker broker, StreamInfo topic, int partition) {
        return leaderError(broker, topic, partition, null);
    }

    /** As above, or the error injected for {@code api} on this partition (test-control faults). */
    Errors leaderError(KafkaBroker broker, StreamInfo topic, int partition, ApiKeys api) {
        if (partition < 0 || partition >= KafkaTopics.partitions(topic)) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (api != null) {
            Errors injected = faults.check(api, KafkaTopics.topicName(topic), partition);
            if (injected != null) {
                return injected;
            }
        }
        int leader = topics.store().replicaState(topic.name(), partition).leader();
        if (leader < 0) {
            return Errors.LEADER_NOT_AVAILABLE;
        }
        return leader == broker.nodeId() ? null : Errors.NOT_LEADER_OR_FOLLOWER;
    }

    /** A store exception as the Kafka error a client gets for its partition. */
    static Errors errorOf(RuntimeException e) {
        if (e instanceof NotEnoughReplicasException) {
            return Errors.NOT_ENOUGH_REPLICAS;
        }
        if (e instanceof LeaderNotAvailableException) {
            return Errors.LEADER_NOT_AVAILABLE;
        }
        if (e instanceof ReplicationTimeoutException) {
            return Errors.REQUEST_TIMED_OUT;
        }
        if (e instanceof StreamNotFoundException || e instanceof ShardNotFoundException) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (e instanceof OffsetOutOfRangeException) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        if (e instanceof StorageException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        if (e instanceof dev.tributary.store.api.ShardClosedException) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        throw e;
    }

    static Uuid zeroIfNull(Uuid id) {
        return id == null ? Uuid.ZERO_UUID : id;
    }
}
