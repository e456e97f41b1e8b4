package dev.tributary.emulator.msk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.emulator.kafka.KafkaServer;
import dev.tributary.emulator.protocol.Authenticator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MSK control plane (service {@code kafka}, REST-JSON, API 2018-11-14) on the main HTTP port:
 * routes by method and path ({@link MskRoutes}, from the model), reads the JSON body and query,
 * runs the operation and writes the JSON answer or the model's error shape ({@code x-amzn-ErrorType}
 * and {@code {"message", "invalidParameter"}}). Operations of the model Tributary does not serve
 * yet answer {@code BadRequestException} naming the operation.
 *
 * <p>Every cluster is served by the same Kafka brokers (the store's nodes, see
 * {@link KafkaServer}): GetBootstrapBrokers and ListNodes name their real listeners.
 *
 * <p>Thread-safe.
 */
public final class MskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MskHandler.class);
    /** Kafka versions ListKafkaVersions reports and CreateCluster accepts. */
    static final List<String> KAFKA_VERSIONS = List.of("2.8.1", "3.5.1", "3.6.0", "3.7.x", "3.7.x.kraft", "3.8.x",
            "3.8.x.kraft", "3.9.x", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft");
    static final Set<String> SERVED = Set.of("CreateCluster", "CreateClusterV2", "DescribeCluster", "DescribeClusterV2",
            "ListClusters", "ListClustersV2", "DeleteCluster", "GetBootstrapBrokers", "ListNodes", "ListKafkaVersions",
            "GetCompatibleKafkaVersions", "TagResource", "UntagResource", "ListTagsForResource", "CreateTopic",
            "DescribeTopic", "ListTopics", "UpdateTopic", "DeleteTopic", "DescribeTopicPartitions", "CreateConfiguration",
            "DescribeConfiguration", "DescribeConfigurationRevision", "ListConfigurations", "ListConfigurationRevisions",
            "UpdateConfiguration", "DeleteConfiguration", "UpdateClusterConfiguration", "DescribeClusterOperation",
            "ListClusterOperations", "RebootBroker");
    /** Cluster description members kept for Tributary only, never shown. */
    static final String OPERATIONS = "_operations";
    private static final char[] VERSION_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    /** An HTTP answer. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
    }

    private final MskBackend backend;
    private final MskTopics topics;
    private final MskConfigurations configurations;
    /** Loaded off the start-up path (the model is large); the first MSK request waits for it. */
    private final java.util.concurrent.CompletableFuture<MskRoutes> routes =
            java.util.concurrent.CompletableFuture.supplyAsync(MskRoutes::load);
    private final Supplier<KafkaServer> kafka;
    private java.util.concurrent.ScheduledExecutorService rebootTicker;
    private final Authenticator authenticator;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    /** @param kafka the Kafka listeners, or null when Kafka is off */
    public MskHandler(MskBackend backend, Supplier<KafkaServer> kafka, String account, String region) {
        this.backend = backend;
        this.topics = new MskTopics(new dev.tributary.emulator.kafka.KafkaTopics(backend.store()));
        this.configurations = new MskConfigurations(backend.store(), backend.clock());
        this.kafka = kafka;
        backend.onRebootDone(ids -> {
            KafkaServer server = kafka.get();
            if (server != null) {
                ids.forEach(server::startBroker);
            }
        });
        this.authenticator = new Authenticator(account, region, false);
    }

    /** True when a request without {@code X-Amz-Target} is an MSK call: signed for {@code kafka}, or on an MSK path. */
    public static boolean accepts(String path, String authorization) {
        if (authorization != null && authorization.contains("/kafka/aws4_request")) {
            return true;
        }
        return MskRoutes.isMskPath(path);
    }

    public Reply handle(String method, String rawPath, String query, String authorization, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        try {
            MskRoutes.Match match = routes.join().match(method, rawPath);
            if (match == null) {
                throw new MskException(MskError.NOT_FOUND, "No MSK operation at " + method + " " + rawPath, null);
            }
            String op = match.route().operation();
            if (!SERVED.contains(op)) {
                throw new MskException(MskError.BAD_REQUEST, "Tributary does not support the MSK operation " + op + " yet.");
            }
            Authenticator.Principal who;
            try {
                who = authenticator.authenticate(authorization);
            } catch (RuntimeException e) {
                throw new MskException(MskError.UNAUTHORIZED, "The request signature is malformed.");
            }
            Map<String, List<String>> q = query(query);
            ObjectNode in = body(body, method);
            JsonNode out = run(op, who, match.labels(), q, in);
            byte[] bytes = out == null ? new byte[0] : json.writeValueAsBytes(out);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("x-amzn-RequestId", requestId);
            return new Reply(match.route().successStatus(), headers, bytes);
        } catch (MskException e) {
            return error(e, requestId);
        } catch (Exception e) {
            LOG.error("MSK request failed method={} path={}", method, rawPath, e);
            return error(new MskException(MskError.INTERNAL_SERVER_ERROR, "We encountered an internal error. Please try again."),
                    requestId);
        }
    }

    private Reply error(MskException e, String requestId) {
        ObjectNode body = json.createObjectNode();
        body.put("message", e.getMessage());
        if (e.invalidParameter() != null) {
            body.put("invalidParameter", e.invalidParameter());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", requestId);
        headers.put("x-amzn-ErrorType", e.error().code());
        try {
            return new Reply(e.error().status(), headers, json.writeValueAsBytes(body));
        } catch (Exception impossible) {
            return new Reply(e.error().status(), headers, new byte[0]);
        }
    }

    private static Map<String, List<String>> query(String query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MskException(MskError.BAD_REQUEST, "The query string is not valid percent-encoding: " + s);
        }
    }

    private ObjectNode body(byte[] body, String method) {
        if (body == null || body.length == 0 || method.equals("GET")) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || n.isNull()) {
                return json.createObjectNode();
            }
            if (!n.isObject()) {
                throw new MskException(MskError.BAD_REQUEST, "The request body must be a JSON object.");
            }
            return (ObjectNode) n;
        } catch (MskException e) {
            throw e;
        } catch (Exception e) {
            throw new MskException(MskError.BAD_REQUEST, "The request body is not valid JSON.");
        }
    }

    private JsonNode run(String op, Authenticator.Principal who, Map<String, String> labels,
                         Map<String, List<String>> q, ObjectNode in) {
        return switch (op) {
            case "CreateCluster" -> createCluster(who, in, false);
            case "CreateClusterV2" -> createCluster(who, in, true);
            case "DescribeCluster" -> describe(labels.get("clusterArn"), false);
            case "DescribeClusterV2" -> describe(labels.get("clusterArn"), true);
            case "ListClusters" -> listClusters(who, q, false);
            case "ListClustersV2" -> listClusters(who, q, true);
            case "DeleteCluster" -> deleteCluster(labels.get("clusterArn"), first(q, "currentVersion"));
            case "GetBootstrapBrokers" -> bootstrapBrokers(labels.get("clusterArn"));
            case "ListNodes" -> listNodes(labels.get("clusterArn"));
            case "ListKafkaVersions" -> listKafkaVersions();
            case "GetCompatibleKafkaVersions" -> compatibleVersions(first(q, "clusterArn"));
            case "TagResource" -> tag(labels.get("resourceArn"), in);
            case "UntagResource" -> untag(labels.get("resourceArn"), q.getOrDefault("tagKeys", List.of()));
            case "ListTagsForResource" -> listTags(labels.get("resourceArn"));
            case "CreateConfiguration" -> configurations.create(who, in);
            case "DescribeConfiguration" -> configurations.describe(labels.get("arn"));
            case "DescribeConfigurationRevision" -> configurations.describeRevision(labels.get("arn"), labels.get("revision"));
            case "ListConfigurations" -> configurations.list(who);
            case "ListConfigurationRevisions" -> configurations.listRevisions(labels.get("arn"));
            case "UpdateConfiguration" -> configurations.update(labels.get("arn"), in);
            case "DeleteConfiguration" -> configurations.delete(labels.get("arn"), backend.list(who.account(), who.region())
                    .stream().filter(c -> labels.get("arn").equals(c.path("provisioned").path("currentBrokerSoftwareInfo")
                            .path("configurationArn").asText(null))).toList());
            case "UpdateClusterConfiguration" -> updateClusterConfiguration(labels.get("clusterArn"), in);
            case "RebootBroker" -> rebootBroker(labels.get("clusterArn"), in);
            case "DescribeClusterOperation" -> describeOperation(labels.get("clusterOperationArn"));
            case "ListClusterOperations" -> {
                ObjectNode c = backend.get(labels.get("clusterArn"));
                ObjectNode out = json.createObjectNode();
                out.set("clusterOperationInfoList", c.has(OPERATIONS) ? c.get(OPERATIONS) : json.createArrayNode());
                yield out;
            }
            case "CreateTopic" -> topics.create(provisionedCluster(labels.get("clusterArn")), in);
            case "DescribeTopic" -> topics.describe(provisionedCluster(labels.get("clusterArn")), labels.get("topicName"));
            case "ListTopics" -> topics.list(provisionedCluster(labels.get("clusterArn")), first(q, "topicNameFilter"),
                    maxResults(q), decodeToken(first(q, "nextToken")));
            case "UpdateTopic" -> topics.update(provisionedCluster(labels.get("clusterArn")), labels.get("topicName"), in);
            case "DeleteTopic" -> topics.delete(provisionedCluster(labels.get("clusterArn")), labels.get("topicName"));
            case "DescribeTopicPartitions" -> {
                provisionedCluster(labels.get("clusterArn"));
                String token = first(q, "nextToken");
                int from;
                try {
                    from = token == null ? 0 : Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    throw new MskException(MskError.BAD_REQUEST, "The nextToken is invalid.", "nextToken");
                }
                yield topics.partitions(labels.get("topicName"), maxResults(q), from);
            }
            default -> throw new MskException(MskError.BAD_REQUEST, "Tributary does not support the MSK operation " + op + " yet.");
        };
    }

    private static String first(Map<String, List<String>> q, String key) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    // ---- clusters -------------------------------------------------------------------------------

    /** The member as an object, null when absent; {@code BadRequestException} when it is something else. */
    private static ObjectNode object(JsonNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new MskException(MskError.BAD_REQUEST, field + " must be an object.", field);
        }
        return (ObjectNode) n;
    }

    private static MskException missing(String parameter) {
        // AWS's exact wording for a missing member is not public: Tributary's text.
        return new MskException(MskError.BAD_REQUEST, "The request is missing the required parameter " + parameter + ".",
                parameter);
    }

    private JsonNode createCluster(Authenticator.Principal who, ObjectNode in, boolean v2) {
        String name = in.path("clusterName").asText(null);
        if (name == null || name.isEmpty()) {
            throw missing("clusterName");
        }
        if (name.length() > 64 || !name.matches("[0-9A-Za-z][0-9A-Za-z-]*")) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster name " + name
                    + " is invalid: use 1 to 64 letters, digits and hyphens, starting with a letter or digit.", "clusterName");
        }
        ObjectNode cluster = json.createObjectNode();
        String arn = "arn:aws:kafka:" + who.region() + ":" + who.account() + ":cluster/" + name + "/" + UUID.randomUUID() + "-1";
        cluster.put("clusterArn", arn);
        cluster.put("clusterName", name);
        cluster.put("creationTime", Instant.ofEpochMilli(backend.clock().millis()).toString());
        cluster.put("currentVersion", newVersion());
        cluster.set("tags", in.has("tags") && in.get("tags").isObject() ? in.get("tags") : json.createObjectNode());
        if (v2 && in.has("serverless") && !in.get("serverless").isNull()) {
            if (in.has("provisioned") && !in.get("provisioned").isNull()) {
                throw new MskException(MskError.BAD_REQUEST, "Specify either provisioned or serverless, not both.", "provisioned");
            }
            ObjectNode serverless = object(in, "serverless");
            if (!serverless.path("vpcConfigs").isArray()) {
                throw missing("vpcConfigs");
            }
            cluster.put("clusterType", "SERVERLESS");
            ObjectNode s = json.createObjectNode();
            s.set("vpcConfigs", serverless.get("vpcConfigs"));
            s.set("clientAuthentication", serverless.has("clientAuthentication") ? serverless.get("clientAuthentication")
                    : tree("{\"sasl\":{\"iam\":{\"enabled\":true}}}"));
            cluster.set("serverless", s);
        } else {
            ObjectNode p = v2 ? object(in, "provisioned") : in;
            if (p == null || p.isNull()) {
                throw missing("provisioned");
            }
            cluster.put("clusterType", "PROVISIONED");
            cluster.set("provisioned", provisioned(who, p));
        }
        ObjectNode created = backend.create(who.account(), who.region(), cluster);
        ObjectNode out = json.createObjectNode();
        out.put("clusterArn", arn);
        out.put("clusterName", name);
        out.put("state", created.get("state").asText());
        if (v2) {
            out.put("clusterType", created.get("clusterType").asText());
        }
        return out;
    }

    private ObjectNode provisioned(Authenticator.Principal who, ObjectNode p) {
        JsonNode group = p.get("brokerNodeGroupInfo");
        if (group == null || !group.isObject()) {
            throw missing("brokerNodeGroupInfo");
        }
        if (!group.has("clientSubnets")) {
            throw missing("clientSubnets");
        }
        if (!group.has("instanceType")) {
            throw missing("instanceType");
        }
        String version = p.path("kafkaVersion").asText(null);
        if (version == null) {
            throw missing("kafkaVersion");
        }
        if (!KAFKA_VERSIONS.contains(version)) {
            throw new MskException(MskError.BAD_REQUEST, "Unsupported KafkaVersion [" + version + "]. Valid values: "
                    + String.join(", ", KAFKA_VERSIONS) + ".", "kafkaVersion");
        }
        if (!p.has("numberOfBrokerNodes")) {
            throw missing("numberOfBrokerNodes");
        }
        int brokersWanted = p.get("numberOfBrokerNodes").asInt();
        if (brokersWanted < 1 || brokersWanted > 15) {
            throw new MskException(MskError.BAD_REQUEST, "numberOfBrokerNodes must be between 1 and 15.", "numberOfBrokerNodes");
        }
        ObjectNode out = json.createObjectNode();
        ObjectNode g = ((ObjectNode) group).deepCopy();
        if (!g.has("storageInfo")) {
            g.set("storageInfo", tree("{\"ebsStorageInfo\":{\"volumeSize\":1000}}"));
        }
        out.set("brokerNodeGroupInfo", g);
        ObjectNode software = json.createObjectNode();
        JsonNode configInfo = p.get("configurationInfo");
        if (configInfo != null && !configInfo.isNull()) {
            String configArn = configInfo.path("arn").asText(null);
            long revision = configInfo.path("revision").asLong(-1);
            checkConfiguration(configArn, revision);
            software.put("configurationArn", configArn).put("configurationRevision", revision);
        }
        software.put("kafkaVersion", version);
        out.set("currentBrokerSoftwareInfo", software);
        if (p.has("clientAuthentication")) {
            out.set("clientAuthentication", p.get("clientAuthentication"));
        }
        ObjectNode enc = p.has("encryptionInfo") ? object(p, "encryptionInfo").deepCopy() : json.createObjectNode();
        if (!enc.has("encryptionAtRest")) {
            enc.set("encryptionAtRest", json.createObjectNode().put("dataVolumeKMSKeyId",
                    "arn:aws:kms:" + who.region() + ":" + who.account() + ":key/" + UUID.randomUUID()));
        }
        if (!enc.has("encryptionInTransit")) {
            enc.set("encryptionInTransit", json.createObjectNode().put("clientBroker", "TLS").put("inCluster", true));
        }
        out.set("encryptionInfo", enc);
        out.put("enhancedMonitoring", p.path("enhancedMonitoring").asText("DEFAULT"));
        out.set("openMonitoring", p.has("openMonitoring") ? p.get("openMonitoring") : tree(
                "{\"prometheus\":{\"jmxExporter\":{\"enabledInBroker\":false},\"nodeExporter\":{\"enabledInBroker\":false}}}"));
        if (p.has("loggingInfo")) {
            out.set("loggingInfo", p.get("loggingInfo"));
        }
        out.put("numberOfBrokerNodes", brokersWanted);
        out.put("storageMode", p.path("storageMode").asText("LOCAL"));
        return out;
    }

    private JsonNode tree(String literal) {
        try {
            return json.readTree(literal);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkConfiguration(String arn, long revision) {
        if (arn == null || revision < 1) {
            throw new MskException(MskError.BAD_REQUEST, "configurationInfo needs an arn and a revision.", "configurationInfo");
        }
        try {
            configurations.revision(arn, revision);
        } catch (MskException e) {
            throw new MskException(MskError.BAD_REQUEST, "The configuration " + arn + " revision " + revision
                    + " does not exist.", "configurationInfo");
        }
    }

    private JsonNode updateClusterConfiguration(String arn, ObjectNode in) {
        ObjectNode c = backend.get(arn);
        if (serverless(c)) {
            throw new MskException(MskError.BAD_REQUEST, "This operation cannot be performed on serverless clusters.",
                    "clusterArn");
        }
        String current = in.path("currentVersion").asText(null);
        if (current == null) {
            throw missing("currentVersion");
        }
        JsonNode info = in.get("configurationInfo");
        if (info == null || !info.isObject()) {
            throw missing("configurationInfo");
        }
        String state = c.path("state").asText();
        if (!state.equals("ACTIVE")) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster is in " + state
                    + " state; it can be updated only while it is ACTIVE.", "clusterArn");
        }
        if (!current.equals(c.path("currentVersion").asText())) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster version " + current
                    + " does not match the current version " + c.path("currentVersion").asText() + ".", "currentVersion");
        }
        String configArn = info.path("arn").asText(null);
        long revision = info.path("revision").asLong(-1);
        checkConfiguration(configArn, revision);
        String[] parts = arn.split(":", 6);
        String operationArn = "arn:aws:kafka:" + parts[3] + ":" + parts[4] + ":cluster-operation/"
                + parts[5].substring("cluster/".length()) + "/" + UUID.randomUUID();
        String now = Instant.ofEpochMilli(backend.clock().millis()).toString();
        backend.update(arn, cluster -> {
            if (!current.equals(cluster.path("currentVersion").asText())) {
                throw new MskException(MskError.BAD_REQUEST, "The cluster version " + current
                        + " does not match the current version " + cluster.path("currentVersion").asText() + ".",
                        "currentVersion");
            }
            ObjectNode software = (ObjectNode) cluster.path("provisioned").path("currentBrokerSoftwareInfo");
            ObjectNode op = json.createObjectNode();
            op.put("clusterArn", arn);
            op.put("creationTime", now);
            op.put("endTime", now);
            op.put("operationArn", operationArn);
            op.put("operationState", "UPDATE_COMPLETE");
            op.put("operationType", "UPDATE_CLUSTER_CONFIGURATION");
            ObjectNode source = op.putObject("sourceClusterInfo");
            if (software.has("configurationArn")) {
                source.putObject("configurationInfo").put("arn", software.get("configurationArn").asText())
                        .put("revision", software.get("configurationRevision").asLong());
            }
            op.putObject("targetClusterInfo").putObject("configurationInfo").put("arn", configArn).put("revision", revision);
            op.putArray("operationSteps").addObject().put("stepName", "FINALIZE_UPDATE")
                    .putObject("stepInfo").put("stepStatus", "SUCCESS");
            software.put("configurationArn", configArn).put("configurationRevision", revision);
            cluster.put("currentVersion", newVersion());
            (cluster.has(OPERATIONS) ? (ArrayNode) cluster.get(OPERATIONS) : cluster.putArray(OPERATIONS)).add(op);
            return cluster;
        });
        ObjectNode out = json.createObjectNode();
        out.put("clusterArn", arn);
        out.put("clusterOperationArn", operationArn);
        return out;
    }

    private JsonNode describeOperation(String operationArn) {
        String[] parts = operationArn == null ? new String[0] : operationArn.split(":", 6);
        if (parts.length == 6 && parts[5].startsWith("cluster-operation/")) {
            String[] path = parts[5].substring("cluster-operation/".length()).split("/");
            if (path.length == 3) {
                String clusterArn = "arn:aws:kafka:" + parts[3] + ":" + parts[4] + ":cluster/" + path[0] + "/" + path[1];
                ObjectNode c = backend.find(clusterArn).orElse(null);
                if (c != null && c.has(OPERATIONS)) {
                    for (JsonNode op : c.get(OPERATIONS)) {
                        if (operationArn.equals(op.path("operationArn").asText())) {
                            ObjectNode out = json.createObjectNode();
                            out.set("clusterOperationInfo", op);
                            return out;
                        }
                    }
                }
            }
        }
        throw new MskException(MskError.NOT_FOUND, "The requested resource doesn't exist.", "clusterOperationArn");
    }

    /** The cluster as clients see it: without Tributary's own members. */
    private ObjectNode visible(ObjectNode c) {
        ObjectNode copy = c.deepCopy();
        copy.remove(OPERATIONS);
        copy.remove(MskBackend.REBOOTING);
        return copy;
    }

    /**
     * RebootBroker: a real outage. The broker's Kafka listener closes (and on a replicated store
     * its node stops, so leadership moves) for {@code --msk-reboot-broker-delay} on the emulator's
     * clock; the cluster is REBOOTING_BROKER meanwhile and a REBOOT_NODE operation runs until then.
     * Every cluster shares the brokers, so the outage is seen through all of them.
     */
    private JsonNode rebootBroker(String arn, ObjectNode in) {
        ObjectNode c = provisionedCluster(arn);
        String state = c.path("state").asText();
        if (!state.equals("ACTIVE")) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster is in " + state
                    + " state; brokers can be rebooted only while it is ACTIVE.", "clusterArn");
        }
        JsonNode ids = in.get("brokerIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw missing("brokerIds");
        }
        if (ids.size() != 1) {
            // AWS's wording is not public: Tributary's text.
            throw new MskException(MskError.BAD_REQUEST, "Only one broker can be rebooted at a time.", "brokerIds");
        }
        int id;
        try {
            id = (int) Double.parseDouble(ids.get(0).asText());
        } catch (NumberFormatException e) {
            id = -1;
        }
        int brokerId = id;
        if (brokers().stream().noneMatch(b -> b.nodeId() == brokerId)) {
            throw new MskException(MskError.BAD_REQUEST, "The broker " + ids.get(0).asText() + " does not exist in the cluster.",
                    "brokerIds");
        }
        String[] parts = arn.split(":", 6);
        String operationArn = "arn:aws:kafka:" + parts[3] + ":" + parts[4] + ":cluster-operation/"
                + parts[5].substring("cluster/".length()) + "/" + UUID.randomUUID();
        String now = Instant.ofEpochMilli(backend.clock().millis()).toString();
        long delay = Math.max(1, backend.config().rebootBrokerDelay().toMillis());
        backend.startReboot(arn, List.of(brokerId), delay, cluster -> {
            ObjectNode op = json.createObjectNode();
            op.put("clusterArn", arn);
            op.put("creationTime", now);
            op.put("operationArn", operationArn);
            op.put("operationState", "UPDATE_IN_PROGRESS");
            op.put("operationType", "REBOOT_NODE");
            (cluster.has(OPERATIONS) ? (ArrayNode) cluster.get(OPERATIONS) : cluster.putArray(OPERATIONS)).add(op);
            return cluster;
        });
        KafkaServer server = kafka.get();
        if (server != null) {
            server.stopBroker(brokerId);
        }
        startRebootTicker();
        ObjectNode out = json.createObjectNode();
        out.put("clusterArn", arn);
        out.put("clusterOperationArn", operationArn);
        return out;
    }

    /**
     * Ends reboots when their time comes on the emulator's clock, also when nobody asks about the
     * cluster: checks every 100 ms while a reboot is in progress, then stops.
     */
    private synchronized void startRebootTicker() {
        if (rebootTicker != null) {
            return;
        }
        rebootTicker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "msk-reboot-ticker");
            t.setDaemon(true);
            return t;
        });
        rebootTicker.scheduleWithFixedDelay(() -> {
            try {
                boolean pending = backend.all().stream()
                        .anyMatch(c -> "REBOOTING_BROKER".equals(c.path("state").asText()));
                if (!pending) {
                    stopRebootTicker();
                }
            } catch (RuntimeException e) {
                // the store closed under us (the server stops): nothing left to reboot
                stopRebootTicker();
            }
        }, 100, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private synchronized void stopRebootTicker() {
        if (rebootTicker != null) {
            rebootTicker.shutdown();
            rebootTicker = null;
        }
    }

    private String newVersion() {
        char[] c = new char[14];
        for (int i = 0; i < c.length; i++) {
            c[i] = VERSION_CHARS[random.nextInt(VERSION_CHARS.length)];
        }
        return new String(c);
    }

    /** The V1 {@code ClusterInfo}: the V2 description with the provisioned details inline. */
    private ObjectNode clusterInfoV1(ObjectNode c) {
        ObjectNode out = json.createObjectNode();
        for (String k : List.of("clusterArn", "clusterName", "creationTime", "currentVersion", "state", "tags")) {
            if (c.has(k)) {
                out.set(k, c.get(k));
            }
        }
        JsonNode p = c.get("provisioned");
        if (p != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean serverless(ObjectNode c) {
        return "SERVERLESS".equals(c.path("clusterType").asText());
    }

    private JsonNode describe(String arn, boolean v2) {
        ObjectNode c = backend.get(arn);
        if (!v2 && serverless(c)) {
            throw new MskException(MskError.BAD_REQUEST,
                    "This operation cannot be performed on serverless clusters. Use DescribeClusterV2.", "clusterArn");
        }
        ObjectNode out = json.createObjectNode();
        out.set("clusterInfo", v2 ? visible(c) : clusterInfoV1(c));
        return out;
    }

    private JsonNode listClusters(Authenticator.Principal who, Map<String, List<String>> q, boolean v2) {
        String prefix = first(q, "clusterNameFilter");
        String type = first(q, "clusterTypeFilter");
        int max = maxResults(q);
        String after = decodeToken(first(q, "nextToken"));
        ArrayNode list = json.createArrayNode();
        String last = null;
        boolean more = false;
        for (ObjectNode c : backend.list(who.account(), who.region())) {
            String name = c.get("clusterName").asText();
            if ((prefix != null && !name.startsWith(prefix)) || (after != null && name.compareTo(after) <= 0)) {
                continue;
            }
            if (!v2 && serverless(c)) {
                continue;
            }
            if (type != null && !type.equals(c.path("clusterType").asText())) {
                continue;
            }
            if (list.size() == max) {
                more = true;
                break;
            }
            list.add(v2 ? visible(c) : clusterInfoV1(c));
            last = name;
        }
        ObjectNode out = json.createObjectNode();
        out.set("clusterInfoList", list);
        if (more) {
            out.put("nextToken", Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static int maxResults(Map<String, List<String>> q) {
        String v = first(q, "maxResults");
        if (v == null) {
            return 10;
        }
        int max;
        try {
            max = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > 100) {
            throw new MskException(MskError.BAD_REQUEST, "maxResults must be between 1 and 100.", "maxResults");
        }
        return max;
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MskException(MskError.BAD_REQUEST, "The nextToken is invalid.", "nextToken");
        }
    }

    /** The cluster, which must not be serverless (the topic API is for provisioned clusters). */
    private ObjectNode provisionedCluster(String arn) {
        ObjectNode c = backend.get(arn);
        if (serverless(c)) {
            throw new MskException(MskError.BAD_REQUEST, "This operation cannot be performed on serverless clusters.",
                    "clusterArn");
        }
        return c;
    }

    private JsonNode deleteCluster(String arn, String currentVersion) {
        ObjectNode c = backend.get(arn);
        if (currentVersion != null && !currentVersion.equals(c.path("currentVersion").asText())) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster version " + currentVersion
                    + " does not match the current version " + c.path("currentVersion").asText() + ".", "currentVersion");
        }
        if ("DELETING".equals(c.path("state").asText())) {
            throw new MskException(MskError.BAD_REQUEST, "The cluster is already being deleted.", "clusterArn");
        }
        ObjectNode deleted = backend.delete(arn);
        ObjectNode out = json.createObjectNode();
        out.put("clusterArn", arn);
        out.put("state", deleted.get("state").asText());
        return out;
    }

    /** Every broker's address (stopped ones too, as MSK keeps listing them); empty when Kafka is off. */
    private List<KafkaServer.BrokerAddress> brokers() {
        KafkaServer server = kafka.get();
        return server == null ? List.of() : server.allBrokers();
    }

    private String brokerString() {
        List<KafkaServer.BrokerAddress> list = brokers();
        if (list.isEmpty()) {
            throw new MskException(MskError.SERVICE_UNAVAILABLE,
                    "The Kafka listener of this Tributary is off (--kafka-port -1).");
        }
        return String.join(",", list.stream().map(b -> b.host() + ":" + b.port()).toList());
    }

    private JsonNode bootstrapBrokers(String arn) {
        ObjectNode c = backend.get(arn);
        String state = c.path("state").asText();
        if (state.equals("CREATING") || state.equals("DELETING") || state.equals("FAILED")) {
            // AWS's text for a FAILED cluster, with the actual state; the data plane serves in every other state.
            throw new MskException(MskError.BAD_REQUEST,
                    "You can't get bootstrap broker nodes for a cluster in " + state + " state.", "clusterArn");
        }
        ObjectNode out = json.createObjectNode();
        out.put("bootstrapBrokerString", brokerString());
        return out;
    }

    private JsonNode listNodes(String arn) {
        ObjectNode c = backend.get(arn);
        if (serverless(c)) {
            throw new MskException(MskError.BAD_REQUEST, "This operation cannot be performed on serverless clusters.",
                    "clusterArn");
        }
        brokerString();
        JsonNode p = c.get("provisioned");
        ArrayNode nodes = json.createArrayNode();
        String[] arnParts = arn.split(":", 6);
        String tail = arnParts.length == 6 ? arnParts[5].substring("cluster/".length()) : c.get("clusterName").asText();
        for (KafkaServer.BrokerAddress b : brokers()) {
            ObjectNode n = nodes.addObject();
            n.put("addedToClusterTime", c.path("creationTime").asText());
            n.put("instanceType", p.path("brokerNodeGroupInfo").path("instanceType").asText());
            n.put("nodeARN", "arn:aws:kafka:" + arnParts[3] + ":" + arnParts[4] + ":broker/" + tail + "/" + b.nodeId());
            n.put("nodeType", "BROKER");
            ObjectNode info = n.putObject("brokerNodeInfo");
            info.put("attachedENIId", String.format("eni-%017x", (long) b.nodeId() + 1));
            info.put("brokerId", (double) b.nodeId());
            JsonNode subnets = p.path("brokerNodeGroupInfo").path("clientSubnets");
            if (subnets.isArray() && subnets.size() > 0) {
                info.put("clientSubnet", subnets.get(b.nodeId() % subnets.size()).asText());
            }
            info.put("clientVpcIpAddress", b.host());
            info.set("currentBrokerSoftwareInfo", p.path("currentBrokerSoftwareInfo"));
            info.putArray("endpoints").add(b.host());
        }
        ObjectNode out = json.createObjectNode();
        out.set("nodeInfoList", nodes);
        return out;
    }

    private JsonNode listKafkaVersions() {
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("kafkaVersions");
        for (String v : KAFKA_VERSIONS) {
            list.addObject().put("version", v).put("status", "ACTIVE");
        }
        return out;
    }

    private JsonNode compatibleVersions(String clusterArn) {
        List<String> sources = KAFKA_VERSIONS;
        if (clusterArn != null) {
            ObjectNode c = backend.get(clusterArn);
            sources = List.of(c.path("provisioned").path("currentBrokerSoftwareInfo").path("kafkaVersion").asText());
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("compatibleKafkaVersions");
        for (String source : sources) {
            ObjectNode e = list.addObject().put("sourceVersion", source);
            ArrayNode targets = e.putArray("targetVersions");
            boolean kraft = source.endsWith(".kraft");
            int from = KAFKA_VERSIONS.indexOf(source);
            for (int i = from + 1; i < KAFKA_VERSIONS.size() && from >= 0; i++) {
                if (KAFKA_VERSIONS.get(i).endsWith(".kraft") == kraft) {
                    targets.add(KAFKA_VERSIONS.get(i));
                }
            }
        }
        return out;
    }

    // ---- tags ---------------------------------------------------------------------------------------

    private JsonNode tag(String arn, ObjectNode in) {
        JsonNode tags = in.get("tags");
        if (tags == null || !tags.isObject()) {
            throw missing("tags");
        }
        backend.get(arn);
        backend.update(arn, c -> {
            ObjectNode t = c.has("tags") ? (ObjectNode) c.get("tags") : c.putObject("tags");
            tags.fields().forEachRemaining(e -> t.put(e.getKey(), e.getValue().asText()));
            return c;
        });
        return null;
    }

    private JsonNode untag(String arn, List<String> keys) {
        if (keys.isEmpty()) {
            throw missing("tagKeys");
        }
        backend.get(arn);
        backend.update(arn, c -> {
            if (c.has("tags")) {
                ((ObjectNode) c.get("tags")).remove(keys);
            }
            return c;
        });
        return null;
    }

    private JsonNode listTags(String arn) {
        ObjectNode c = backend.get(arn);
        ObjectNode out = json.createObjectNode();
        out.set("tags", c.has("tags") ? c.get("tags") : json.createObjectNode());
        return out;
    }
}
