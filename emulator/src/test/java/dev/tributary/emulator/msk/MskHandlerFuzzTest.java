package dev.tributary.emulator.msk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.emulator.config.KafkaConfig;
import dev.tributary.store.ShardStores;
import dev.tributary.store.api.ShardStore;
import dev.tributary.store.api.StoreConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random requests on every route of the model (random labels, query strings and bodies, some of
 * them valid ARNs of existing clusters and configurations) never get an HTTP 500 and always get a
 * JSON body: bad input is answered with the model's error shape.
 */
class MskHandlerFuzzTest {
    private static final String[] VALUES = {"", "x", "-1", "0", "1", "100", "null", "true", "{}", "[]", "\u0000",
            "arn:aws:kafka:us-east-1:000000000000:cluster/x/y", "%", "3.7.x", "PROVISIONED", "SERVERLESS", "a/b"};
    private static final String[] FIELDS = {"clusterName", "kafkaVersion", "numberOfBrokerNodes", "brokerNodeGroupInfo",
            "provisioned", "serverless", "tags", "configurationInfo", "currentVersion", "brokerIds", "topicName",
            "partitionCount", "replicationFactor", "configs", "name", "serverProperties", "description", "kafkaVersions",
            "clientSubnets", "instanceType", "vpcConfigs", "arn", "revision", "encryptionInfo"};

    @Test
    void randomRequestsNeverGetAServerError() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (ShardStore store = ShardStores.open(StoreConfig.defaults(null))) {
            MskBackend backend = new MskBackend(store, new KafkaConfig(0, "127.0.0.1", Duration.ZERO, Duration.ZERO,
                    Duration.ZERO), Clock.systemUTC());
            MskHandler msk = new MskHandler(backend, () -> null, "000000000000", "us-east-1");
            List<String> arns = new ArrayList<>();
            JsonNode cluster = json.readTree(msk.handle("POST", "/v1/clusters", null, null, ("{\"clusterName\":\"c\","
                    + "\"kafkaVersion\":\"3.7.x\",\"numberOfBrokerNodes\":1,\"brokerNodeGroupInfo\":{\"instanceType\":\"kafka.t3.small\","
                    + "\"clientSubnets\":[\"s\"]}}").getBytes(StandardCharsets.UTF_8)).body());
            arns.add(cluster.get("clusterArn").asText());
            JsonNode config = json.readTree(msk.handle("POST", "/v1/configurations", null, null,
                    "{\"name\":\"n\",\"serverProperties\":\"YT1i\"}".getBytes(StandardCharsets.UTF_8)).body());
            arns.add(config.get("arn").asText());
            Random random = new Random(64);
            List<MskRoutes.Route> routes = MskRoutes.load().routes();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < 30000; i++) {
                MskRoutes.Route route = routes.get(random.nextInt(routes.size()));
                StringBuilder path = new StringBuilder();
                for (String segment : route.segments()) {
                    path.append('/');
                    if (segment.startsWith("{")) {
                        String v = random.nextInt(3) == 0 ? arns.get(random.nextInt(arns.size()))
                                : VALUES[random.nextInt(VALUES.length)];
                        path.append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                    } else {
                        path.append(segment);
                    }
                }
                String query = random.nextBoolean() ? null : FIELDS[random.nextInt(FIELDS.length)] + "="
                        + URLEncoder.encode(VALUES[random.nextInt(VALUES.length)], StandardCharsets.UTF_8)
                        + "&maxResults=" + VALUES[random.nextInt(VALUES.length)];
                byte[] body = randomBody(random, json);
                MskHandler.Reply reply = msk.handle(route.method(), path.toString(), query, null, body);
                if (reply.status() == 500) {
                    failures.add(route.operation() + " " + path + "?" + query + " " + new String(body, StandardCharsets.UTF_8));
                }
                if (reply.body().length > 0) {
                    json.readTree(reply.body());
                }
            }
            assertThat(failures).isEmpty();
        }
    }

    /** Members of the wrong JSON type where the operation reads them as objects. */
    @Test
    void membersOfTheWrongTypeAreBadRequests() {
        try (ShardStore store = ShardStores.open(StoreConfig.defaults(null))) {
            MskHandler msk = new MskHandler(new MskBackend(store, new KafkaConfig(0, "127.0.0.1", Duration.ZERO,
                    Duration.ZERO, Duration.ZERO), Clock.systemUTC()), () -> null, "000000000000", "us-east-1");
            String group = "\"brokerNodeGroupInfo\":{\"instanceType\":\"kafka.t3.small\",\"clientSubnets\":[\"s\"]}";
            for (String[] call : new String[][] {
                    {"/api/v2/clusters", "{\"clusterName\":\"x\",\"provisioned\":\"p\"}"},
                    {"/api/v2/clusters", "{\"clusterName\":\"x\",\"serverless\":7}"},
                    {"/api/v2/clusters", "{\"clusterName\":\"x\",\"serverless\":{\"vpcConfigs\":\"v\"}}"},
                    {"/v1/clusters", "{\"clusterName\":\"x\",\"kafkaVersion\":\"3.7.x\",\"numberOfBrokerNodes\":1," + group
                            + ",\"encryptionInfo\":\"e\"}"},
                    {"/v1/clusters", "{\"clusterName\":\"x\",\"kafkaVersion\":\"3.7.x\",\"numberOfBrokerNodes\":1,"
                            + "\"brokerNodeGroupInfo\":[]}"}}) {
                MskHandler.Reply reply = msk.handle("POST", call[0], null, null, call[1].getBytes(StandardCharsets.UTF_8));
                assertThat(reply.status()).as(call[1]).isEqualTo(400);
                assertThat(reply.headers()).containsEntry("x-amzn-ErrorType", "BadRequestException");
            }
        }
    }

    private static byte[] randomBody(Random random, ObjectMapper json) throws Exception {
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] garbage = new byte[random.nextInt(20)];
                random.nextBytes(garbage);
                return garbage;
            }
            case 1 -> {
                return new byte[0];
            }
            default -> {
                var node = json.createObjectNode();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    String field = FIELDS[random.nextInt(FIELDS.length)];
                    switch (random.nextInt(5)) {
                        case 0 -> node.put(field, VALUES[random.nextInt(VALUES.length)]);
                        case 1 -> node.put(field, random.nextInt(20) - 2);
                        case 2 -> node.putArray(field).add(VALUES[random.nextInt(VALUES.length)]);
                        case 3 -> node.putObject(field).put(FIELDS[random.nextInt(FIELDS.length)], VALUES[random.nextInt(VALUES.length)]);
                        default -> node.putNull(field);
                    }
                }
                return json.writeValueAsBytes(node);
            }
        }
    }
}
