package dev.tributary.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.emulator.Tributary;
import dev.tributary.emulator.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The AWS SDK v2 DynamoDB and CloudWatch clients (the releases KCL 3.1.0 is built with) against
 * Tributary: the table and item operations a lease table needs, with DynamoDB's exact error
 * types, and PutMetricData read back with ListMetrics.
 */
class DynamoDbIT {
    @TempDir
    Path dataDir;

    private Tributary start() {
        return Tributary.start(ConfigLoader.load(new String[] {"--port", "0", "--data-dir", dataDir.toString()},
                Map.of()));
    }

    private static DynamoDbClient dynamo(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Clients.REGION)
                .credentialsProvider(Clients.CREDENTIALS).build();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static void createLeaseTable(DynamoDbClient db) {
        db.createTable(b -> b.tableName("leases").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("leaseOwner").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("LeaseOwnerToLeaseKeyIndex")
                        .keySchema(k -> k.attributeName("leaseOwner").keyType(KeyType.HASH),
                                k -> k.attributeName("leaseKey").keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
    }

    @Test
    void leaseTableLifecycleWithConditionalWritesQueriesAndExactErrors() {
        try (Tributary server = start(); DynamoDbClient db = dynamo(server.endpoint())) {
            createLeaseTable(db);
            assertThat(db.describeTable(b -> b.tableName("leases")).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
            assertThat(db.listTables().tableNames()).containsExactly("leases");
            assertThatThrownBy(() -> createLeaseTable(db)).isInstanceOf(ResourceInUseException.class)
                    .hasMessageStartingWith("Table already exists: leases");
            assertThatThrownBy(() -> db.describeTable(b -> b.tableName("missing")))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageStartingWith("Requested resource not found: Table: missing not found");

            for (int i = 0; i < 6; i++) {
                String key = "shardId-" + i;
                db.putItem(b -> b.tableName("leases").item(Map.of("leaseKey", s(key), "leaseOwner", s(key.endsWith("0") || key.endsWith("2") ? "w1" : "w2"),
                        "leaseCounter", AttributeValue.fromN("0"))).conditionExpression("attribute_not_exists(leaseKey)"));
            }
            assertThatThrownBy(() -> db.putItem(b -> b.tableName("leases").item(Map.of("leaseKey", s("shardId-0")))
                    .conditionExpression("attribute_not_exists(leaseKey)")))
                    .isInstanceOf(ConditionalCheckFailedException.class)
                    .hasMessageStartingWith("The conditional request failed");

            var updated = db.updateItem(b -> b.tableName("leases").key(Map.of("leaseKey", s("shardId-1")))
                    .updateExpression("SET #o = :new, leaseCounter = leaseCounter + :one REMOVE checkpoint")
                    .conditionExpression("#o = :old")
                    .expressionAttributeNames(Map.of("#o", "leaseOwner"))
                    .expressionAttributeValues(Map.of(":new", s("w1"), ":old", s("w2"), ":one", AttributeValue.fromN("1")))
                    .returnValues(ReturnValue.UPDATED_NEW));
            assertThat(updated.attributes()).containsEntry("leaseOwner", s("w1")).containsEntry("leaseCounter", AttributeValue.fromN("1"));

            List<String> owned = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = db.query(b -> b.tableName("leases").indexName("LeaseOwnerToLeaseKeyIndex").limit(2)
                        .keyConditionExpression("leaseOwner = :o").expressionAttributeValues(Map.of(":o", s("w1")))
                        .exclusiveStartKey(from));
                page.items().forEach(i -> owned.add(i.get("leaseKey").s()));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            assertThat(owned).containsExactly("shardId-0", "shardId-1", "shardId-2");

            assertThat(db.scan(b -> b.tableName("leases")).count()).isEqualTo(6);
            db.deleteItem(b -> b.tableName("leases").key(Map.of("leaseKey", s("shardId-5"))));
            assertThat(db.scan(b -> b.tableName("leases")).count()).isEqualTo(5);

            assertThatThrownBy(() -> db.updateItem(b -> b.tableName("leases").key(Map.of("leaseKey", s("shardId-0")))
                    .updateExpression("SET leaseKey = :v").expressionAttributeValues(Map.of(":v", s("x")))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                                "One or more parameter values were invalid: Cannot update attribute leaseKey. This attribute is part of the key");
                    });
            assertThatThrownBy(() -> db.getItem(b -> b.tableName("missing").key(Map.of("leaseKey", s("x")))))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void itemsSurviveARestart() {
        try (Tributary server = start(); DynamoDbClient db = dynamo(server.endpoint())) {
            createLeaseTable(db);
            db.putItem(b -> b.tableName("leases").item(Map.of("leaseKey", s("shardId-0"), "checkpoint", s("4959"),
                    "blob", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")))));
        }
        try (Tributary server = start(); DynamoDbClient db = dynamo(server.endpoint())) {
            var item = db.getItem(b -> b.tableName("leases").key(Map.of("leaseKey", s("shardId-0"))).consistentRead(true)).item();
            assertThat(item.get("checkpoint").s()).isEqualTo("4959");
            assertThat(item.get("blob").b().asUtf8String()).isEqualTo("bytes");
            assertThat(db.describeTable(b -> b.tableName("leases")).table().globalSecondaryIndexes()).hasSize(1);
        }
    }

    @Test
    void cloudWatchKeepsPutMetricDataForListMetrics() {
        try (Tributary server = start();
             CloudWatchClient cw = CloudWatchClient.builder().endpointOverride(server.endpoint()).region(Clients.REGION)
                     .credentialsProvider(Clients.CREDENTIALS).build()) {
            cw.putMetricData(b -> b.namespace("orders-app").metricData(
                    m -> m.metricName("RecordsProcessed").value(42.0).unit(StandardUnit.COUNT).timestamp(Instant.now())
                            .dimensions(d -> d.name("ShardId").value("shardId-000000000000")),
                    m -> m.metricName("MillisBehindLatest").statisticValues(v -> v.sampleCount(2.0).sum(10.0).minimum(1.0).maximum(9.0))));
            List<Metric> metrics = cw.listMetrics(b -> b.namespace("orders-app")).metrics();
            assertThat(metrics).extracting(Metric::metricName).containsExactlyInAnyOrder("RecordsProcessed", "MillisBehindLatest");
            assertThat(metrics.stream().filter(m -> m.metricName().equals("RecordsProcessed")).findFirst().orElseThrow()
                    .dimensions()).singleElement().satisfies(d -> assertThat(d.value()).isEqualTo("shardId-000000000000"));
            assertThat(cw.listMetrics(b -> b.namespace("other")).metrics()).isEmpty();
        }
    }
}
